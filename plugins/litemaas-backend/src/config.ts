import { RootConfigService } from '@backstage/backend-plugin-api';
import { budgetPeriodSeconds } from '@litemaas/backstage-plugin-litemaas-common';
import { z } from 'zod';
import { checkConfig, wholeNonNegative, wholePositive } from './configChecks';
import {
  LiteLLMRetryOptions,
  readRetryOptions,
  retryOptionsSchema,
} from './litellm/resilience';
import { AlertSettings, DEFAULT_ALERT_SETTINGS } from './services/AlertService';
import { DEFAULT_USAGE_SETTINGS, UsageSettings } from './usage';

/** Limits a self-service key gets when the request does not say, and may not exceed. */
export interface KeyLimitSettings {
  maxBudget?: number;
  budgetDuration?: string;
  tpmLimit?: number;
  rpmLimit?: number;
  /** Days until a new key expires. */
  expiresInDays?: number;
}

/** The one-time reveal of secrets minted on someone's behalf (software templates). */
export interface RevealSettings {
  /** Encrypts secrets awaiting their reveal; without it reveal delivery answers 503. */
  encryptionKey?: string;
  /** How long a reveal link works. */
  ttlSeconds: number;
}

/**
 * Every `litemaas.*` setting, read and checked once at start-up (see `config.d.ts`), except
 * the job schedules (read by the scheduler's own reader).
 */
export interface LiteMaaSSettings {
  /** The LiteLLM proxy's management API. */
  litellm: {
    baseUrl: string;
    masterKey: string;
    timeoutMs?: number;
    /** Retries of idempotent reads (the client's defaults where unset). */
    retry?: LiteLLMRetryOptions;
  };
  /** The OpenAI-compatible base URL key holders call. */
  publicBaseUrl: string;
  currency: string;
  keyDefaults: KeyLimitSettings;
  keyMaximums: KeyLimitSettings & { keysPerOwner?: number };
  /**
   * The shortest and longest budget period a self-service key may have
   * (`litemaas.keys.minimums.budgetDuration`, `litemaas.keys.maximums.budgetDuration`),
   * 1d and 30d unless configured: a short period would let LiteLLM reset a key's spend
   * every few minutes.
   */
  keyBudgetPeriods: { min: string; max: string };
  /** The longest grace period a rotation may keep the old secret alive for. */
  rotationMaxGraceSeconds: number;
  /** Limits of the LiteLLM user created for each portal user on first use. */
  userDefaults: Omit<KeyLimitSettings, 'expiresInDays'>;
  /** The LiteLLM team every user belongs to, as LiteLLM requires. */
  defaultTeamId: string;
  reveal: RevealSettings;
  usage: UsageSettings;
  /** Alerts through Backstage notifications; `enabled: false` sends none at all. */
  notifications: AlertSettings & { enabled: boolean };
}

/** Default bounds of a key's budget period. */
export const DEFAULT_KEY_BUDGET_PERIODS = { min: '1d', max: '30d' } as const;

/** Default lifetime of a reveal link: 15 minutes. */
export const DEFAULT_REVEAL_TTL_SECONDS = 900;

const positive = z.number().positive('must be greater than 0');
const duration = z.string().refine(d => budgetPeriodSeconds(d) !== undefined, {
  message: 'must be a LiteLLM duration such as 1d, 7d, 30d or 1mo',
});

const limitsSchema = z.object({
  maxBudget: positive.optional(),
  budgetDuration: duration.optional(),
  tpmLimit: wholePositive.optional(),
  rpmLimit: wholePositive.optional(),
  expiresInDays: wholePositive.optional(),
  keysPerOwner: wholePositive.optional(),
});

/** The shape of `litemaas.*` as read from the config, before defaults. */
const rawSchema = z
  .object({
    litellm: z.object({
      baseUrl: z.string().url('must be a URL such as http://litellm:4000'),
      masterKey: z.string().min(1, 'must not be empty'),
      timeoutMs: wholePositive.optional(),
      retry: retryOptionsSchema,
    }),
    publicBaseUrl: z
      .string()
      .url('must be a URL such as https://llm.example.com')
      .optional(),
    currency: z.string().min(1, 'must not be empty').optional(),
    defaultTeamId: z.string().min(1, 'must not be empty').optional(),
    keys: z.object({
      defaults: limitsSchema,
      minimums: z.object({ budgetDuration: duration.optional() }),
      maximums: limitsSchema,
      rotationMaxGraceSeconds: wholeNonNegative.optional(),
    }),
    users: z.object({ defaults: limitsSchema }),
    reveal: z.object({
      encryptionKey: z
        .string()
        .min(16, 'must be at least 16 characters')
        .optional(),
      ttlSeconds: z
        .number()
        .int('must be a whole number')
        .min(30, 'must be between 30 and 86400')
        .max(86400, 'must be between 30 and 86400')
        .optional(),
    }),
    usage: z.object({
      backfillDays: wholePositive.optional(),
      finalizeAfterMinutes: z
        .number()
        .nonnegative('must not be negative')
        .optional(),
      windowDays: wholePositive.optional(),
      pageSize: wholePositive.optional(),
    }),
    notifications: z.object({
      enabled: z.boolean().optional(),
      adminRecipients: z.array(z.string()).optional(),
      keyExpiryWarningDays: wholeNonNegative.optional(),
      linkBase: z.string().optional(),
    }),
  })
  .superRefine((raw, ctx) => {
    const { defaults, maximums, minimums } = raw.keys;
    for (const field of ['maxBudget', 'tpmLimit', 'rpmLimit'] as const) {
      const def = defaults[field];
      const max = maximums[field];
      if (def !== undefined && max !== undefined && def > max) {
        ctx.addIssue({
          code: 'custom',
          params: { comparesFields: true },
          path: ['keys', 'defaults', field],
          message: `(${def}) exceeds litemaas.keys.maximums.${field} (${max})`,
        });
      }
    }
    const min = minimums.budgetDuration ?? DEFAULT_KEY_BUDGET_PERIODS.min;
    const max = maximums.budgetDuration ?? DEFAULT_KEY_BUDGET_PERIODS.max;
    const minSeconds = budgetPeriodSeconds(min);
    const maxSeconds = budgetPeriodSeconds(max);
    if (minSeconds === undefined || maxSeconds === undefined) return;
    if (minSeconds > maxSeconds) {
      ctx.addIssue({
        code: 'custom',
        params: { comparesFields: true },
        path: ['keys', 'minimums', 'budgetDuration'],
        message: `(${min}) is longer than litemaas.keys.maximums.budgetDuration (${max})`,
      });
    }
    const def = defaults.budgetDuration;
    const seconds = def === undefined ? undefined : budgetPeriodSeconds(def);
    if (
      seconds !== undefined &&
      (seconds < minSeconds || seconds > maxSeconds)
    ) {
      ctx.addIssue({
        code: 'custom',
        params: { comparesFields: true },
        path: ['keys', 'defaults', 'budgetDuration'],
        message: `(${def}) must be a duration from ${min} to ${max}`,
      });
    }
  });

type RawSettings = z.infer<typeof rawSchema>;

/** `litemaas.*` through the typed config getters (which report wrong types themselves). */
function readRaw(config: RootConfigService) {
  const c = config.getOptionalConfig('litemaas');
  const limits = (key: string) => {
    const l = c?.getOptionalConfig(key);
    return {
      maxBudget: l?.getOptionalNumber('maxBudget'),
      budgetDuration: l?.getOptionalString('budgetDuration'),
      tpmLimit: l?.getOptionalNumber('tpmLimit'),
      rpmLimit: l?.getOptionalNumber('rpmLimit'),
      expiresInDays: l?.getOptionalNumber('expiresInDays'),
      keysPerOwner: l?.getOptionalNumber('keysPerOwner'),
    };
  };
  return {
    litellm: {
      baseUrl: config.getString('litemaas.litellm.baseUrl'),
      masterKey: config.getString('litemaas.litellm.masterKey'),
      timeoutMs: c?.getOptionalNumber('litellm.timeoutMs'),
      retry: readRetryOptions(c?.getOptionalConfig('litellm')),
    },
    publicBaseUrl: c?.getOptionalString('publicBaseUrl'),
    currency: c?.getOptionalString('currency'),
    defaultTeamId: c?.getOptionalString('defaultTeamId'),
    keys: {
      defaults: limits('keys.defaults'),
      minimums: {
        budgetDuration: c?.getOptionalString('keys.minimums.budgetDuration'),
      },
      maximums: limits('keys.maximums'),
      rotationMaxGraceSeconds: c?.getOptionalNumber(
        'keys.rotationMaxGraceSeconds',
      ),
    },
    users: { defaults: limits('users.defaults') },
    reveal: {
      // An empty passphrase (an unset environment variable) means no reveal delivery.
      encryptionKey: c?.getOptionalString('reveal.encryptionKey'),
      ttlSeconds: c?.getOptionalNumber('reveal.ttlSeconds'),
    },
    usage: {
      backfillDays: c?.getOptionalNumber('usage.backfillDays'),
      finalizeAfterMinutes: c?.getOptionalNumber('usage.finalizeAfterMinutes'),
      windowDays: c?.getOptionalNumber('usage.windowDays'),
      pageSize: c?.getOptionalNumber('usage.pageSize'),
    },
    notifications: {
      enabled: c?.getOptionalBoolean('notifications.enabled'),
      adminRecipients: c?.getOptionalStringArray(
        'notifications.adminRecipients',
      ),
      keyExpiryWarningDays: c?.getOptionalNumber(
        'notifications.keyExpiryWarningDays',
      ),
      linkBase: c?.getOptionalString('notifications.linkBase'),
    },
  };
}

/** Undefined fields dropped, so that `{ ...defaults, ...set }` keeps the defaults. */
function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(o).filter(([, v]) => v !== undefined),
  ) as Partial<T>;
}

/**
 * Reads and checks every `litemaas.*` setting once, with defaults. A bad value stops
 * the start-up with an error naming each offending key, the value found and what it
 * must be.
 */
export function readLiteMaaSSettings(
  config: RootConfigService,
): LiteMaaSSettings {
  return toSettings(checkConfig(rawSchema, readRaw(config), 'litemaas'));
}

function toSettings(raw: RawSettings): LiteMaaSSettings {
  const { keysPerOwner: _ignored, ...keyDefaults } = definedOnly(
    raw.keys.defaults,
  );
  const {
    expiresInDays: _unused,
    keysPerOwner: _none,
    ...userDefaults
  } = definedOnly(raw.users.defaults);
  const { finalizeAfterMinutes, ...usage } = definedOnly(raw.usage);
  const { enabled, ...notifications } = definedOnly(raw.notifications);
  return {
    litellm: raw.litellm,
    publicBaseUrl: (raw.publicBaseUrl ?? raw.litellm.baseUrl).replace(
      /\/+$/,
      '',
    ),
    currency: raw.currency ?? 'USD',
    keyDefaults,
    keyMaximums: definedOnly(raw.keys.maximums),
    keyBudgetPeriods: {
      min: raw.keys.minimums.budgetDuration ?? DEFAULT_KEY_BUDGET_PERIODS.min,
      max: raw.keys.maximums.budgetDuration ?? DEFAULT_KEY_BUDGET_PERIODS.max,
    },
    rotationMaxGraceSeconds: raw.keys.rotationMaxGraceSeconds ?? 86400,
    userDefaults,
    defaultTeamId: raw.defaultTeamId ?? 'litemaas-default',
    reveal: {
      // An empty passphrase (an unset environment variable) means no reveal delivery.
      encryptionKey: raw.reveal.encryptionKey || undefined,
      ttlSeconds: raw.reveal.ttlSeconds ?? DEFAULT_REVEAL_TTL_SECONDS,
    },
    usage: {
      ...DEFAULT_USAGE_SETTINGS,
      ...usage,
      ...(finalizeAfterMinutes !== undefined && {
        finalizeAfterMs: finalizeAfterMinutes * 60_000,
      }),
      pageSize: Math.min(
        1000,
        usage.pageSize ?? DEFAULT_USAGE_SETTINGS.pageSize,
      ),
    },
    notifications: {
      ...DEFAULT_ALERT_SETTINGS,
      ...notifications,
      enabled: enabled ?? true,
    },
  };
}

/**
 * Secrets that only development may run on: the defaults of the repository's
 * `app-config.yaml` (which production layers its own config over, so an unset
 * environment variable there falls back to them) and LiteLLM's documented example key.
 */
export const DEVELOPMENT_SECRETS: readonly string[] = [
  'sk-dev-master-key',
  'dev-only-reveal-passphrase-change-me',
  'sk-1234',
];

/**
 * Whether this backend runs in development: only when the configuration says so
 * explicitly with `auth.environment: development` (as `app-config.yaml` does). Anything
 * else, including no `auth.environment` at all, is production: a deployment that forgets
 * the setting gets the safe side.
 */
export function isDevelopment(config: RootConfigService): boolean {
  return config.getOptionalString('auth.environment') === 'development';
}

/**
 * Refuses to start outside development when the LiteLLM master key or the reveal
 * encryption key is missing or one of the {@link DEVELOPMENT_SECRETS}.
 */
export function assertProductionSecrets(config: RootConfigService): void {
  if (isDevelopment(config)) return;
  const secrets = [
    ['litemaas.litellm.masterKey', 'LITELLM_MASTER_KEY'],
    ['litemaas.reveal.encryptionKey', 'LITEMAAS_REVEAL_KEY'],
  ] as const;
  const problems: string[] = [];
  for (const [key, env] of secrets) {
    const value = config.getOptionalString(key);
    if (!value) {
      problems.push(`${key} is missing (set ${env})`);
    } else if (DEVELOPMENT_SECRETS.includes(value)) {
      problems.push(`${key} is a development default (set ${env})`);
    }
  }
  if (problems.length > 0) {
    throw new Error(
      `LiteMaaS will not start outside development (auth.environment is not 'development') on these secrets: ${problems.join(
        '; ',
      )}`,
    );
  }
}
