import { RootConfigService } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';

/** Limits a self-service key gets when the request does not say, and may not exceed. */
export interface KeyLimitSettings {
  maxBudget?: number;
  budgetDuration?: string;
  tpmLimit?: number;
  rpmLimit?: number;
  /** Days until a new key expires. */
  expiresInDays?: number;
}

/** Every LiteMaaS setting except the LiteLLM connection (read by the LiteLLM client). */
export interface LiteMaaSSettings {
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
}

function readLimits(
  config: RootConfigService,
  key: string,
): KeyLimitSettings & { keysPerOwner?: number } {
  const c = config.getOptionalConfig(key);
  if (!c) return {};
  return {
    maxBudget: c.getOptionalNumber('maxBudget'),
    budgetDuration: c.getOptionalString('budgetDuration'),
    tpmLimit: c.getOptionalNumber('tpmLimit'),
    rpmLimit: c.getOptionalNumber('rpmLimit'),
    expiresInDays: c.getOptionalNumber('expiresInDays'),
    keysPerOwner: c.getOptionalNumber('keysPerOwner'),
  };
}

/** Default bounds of a key's budget period. */
export const DEFAULT_KEY_BUDGET_PERIODS = { min: '1d', max: '30d' } as const;

function readBudgetPeriods(
  config: RootConfigService,
  keyDefaults: KeyLimitSettings,
): { min: string; max: string } {
  const min =
    config.getOptionalString('litemaas.keys.minimums.budgetDuration') ??
    DEFAULT_KEY_BUDGET_PERIODS.min;
  const max =
    config.getOptionalString('litemaas.keys.maximums.budgetDuration') ??
    DEFAULT_KEY_BUDGET_PERIODS.max;
  const minSeconds = budgetPeriodSeconds(min);
  const maxSeconds = budgetPeriodSeconds(max);
  if (minSeconds === undefined || maxSeconds === undefined) {
    throw new InputError(
      `litemaas.keys.minimums.budgetDuration (${min}) and litemaas.keys.maximums.budgetDuration (${max}) must be LiteLLM durations such as 1d, 7d, 30d or 1mo`,
    );
  }
  if (minSeconds > maxSeconds) {
    throw new InputError(
      `litemaas.keys.minimums.budgetDuration (${min}) is longer than litemaas.keys.maximums.budgetDuration (${max})`,
    );
  }
  const def = keyDefaults.budgetDuration;
  if (def !== undefined) {
    const seconds = budgetPeriodSeconds(def);
    if (seconds === undefined || seconds < minSeconds || seconds > maxSeconds) {
      throw new InputError(
        `litemaas.keys.defaults.budgetDuration (${def}) must be a duration from ${min} to ${max}`,
      );
    }
  }
  return { min, max };
}

/**
 * Seconds of a LiteLLM duration (`30s`, `5m`, `12h`, `1d`, `2w`, `1mo`), a month counted
 * as 30 days; undefined when it is not one.
 */
export function budgetPeriodSeconds(duration: string): number | undefined {
  const m = /^([1-9]\d*)(s|m|h|d|w|mo)$/.exec(duration);
  if (!m) return undefined;
  const unit = { s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, mo: 2_592_000 }[
    m[2] as 's' | 'm' | 'h' | 'd' | 'w' | 'mo'
  ];
  return Number(m[1]) * unit;
}

export function readLiteMaaSSettings(
  config: RootConfigService,
): LiteMaaSSettings {
  const baseUrl = config.getString('litemaas.litellm.baseUrl');
  const { keysPerOwner: _ignored, ...keyDefaults } = readLimits(
    config,
    'litemaas.keys.defaults',
  );
  const keyMaximums = readLimits(config, 'litemaas.keys.maximums');
  for (const field of ['maxBudget', 'tpmLimit', 'rpmLimit'] as const) {
    const def = keyDefaults[field];
    const max = keyMaximums[field];
    if (def !== undefined && max !== undefined && def > max) {
      throw new InputError(
        `litemaas.keys.defaults.${field} (${def}) exceeds litemaas.keys.maximums.${field} (${max})`,
      );
    }
  }
  const keyBudgetPeriods = readBudgetPeriods(config, keyDefaults);
  const { expiresInDays: _unused, ...userDefaults } = readLimits(
    config,
    'litemaas.users.defaults',
  );
  return {
    publicBaseUrl: (
      config.getOptionalString('litemaas.publicBaseUrl') ?? baseUrl
    ).replace(/\/+$/, ''),
    currency: config.getOptionalString('litemaas.currency') ?? 'USD',
    keyDefaults,
    keyMaximums,
    keyBudgetPeriods,
    rotationMaxGraceSeconds:
      config.getOptionalNumber('litemaas.keys.rotationMaxGraceSeconds') ??
      86400,
    userDefaults,
    defaultTeamId:
      config.getOptionalString('litemaas.defaultTeamId') ?? 'litemaas-default',
  };
}

/** The one-time reveal of secrets minted on someone's behalf (software templates). */
export interface RevealSettings {
  /** Encrypts secrets awaiting their reveal; without it reveal delivery answers 503. */
  encryptionKey?: string;
  /** How long a reveal link works. */
  ttlSeconds: number;
}

/** Default lifetime of a reveal link: 15 minutes. */
export const DEFAULT_REVEAL_TTL_SECONDS = 900;

export function readRevealSettings(config: RootConfigService): RevealSettings {
  const encryptionKey = config.getOptionalString(
    'litemaas.reveal.encryptionKey',
  );
  const ttlSeconds =
    config.getOptionalNumber('litemaas.reveal.ttlSeconds') ??
    DEFAULT_REVEAL_TTL_SECONDS;
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 30 || ttlSeconds > 86400) {
    throw new InputError(
      `litemaas.reveal.ttlSeconds must be a whole number between 30 and 86400, got ${ttlSeconds}`,
    );
  }
  if (encryptionKey !== undefined && encryptionKey.length < 16) {
    throw new InputError(
      'litemaas.reveal.encryptionKey must be at least 16 characters',
    );
  }
  return { encryptionKey: encryptionKey || undefined, ttlSeconds };
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
