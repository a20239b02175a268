import { ConflictError, InputError } from '@backstage/errors';
import {
  budgetPeriodSeconds,
  CreateKeyRequest,
  UpdateKeyRequest,
} from '@litemaas/backstage-plugin-litemaas-common';
import { KeyLimitSettings, LiteMaaSSettings } from '../config';

/** The limits a key is minted or updated with (null = none). */
export interface KeyLimits {
  maxBudget: number | null;
  budgetDuration: string | null;
  tpmLimit: number | null;
  rpmLimit: number | null;
  expiresAt: Date | null;
}

/**
 * The budget and rate limits of whoever mints a team key (their admin overrides, else the
 * configured user defaults): a key they mint for a team never exceeds their own.
 */
export type CreatorLimits = Partial<
  Record<(typeof NUMERIC_LIMITS)[number], number | null>
>;

/** The limits a patch changes; a field left out stays as it is. */
export type KeyLimitChanges = { [K in keyof KeyLimits]?: KeyLimits[K] };

const NUMERIC_LIMITS = ['maxBudget', 'tpmLimit', 'rpmLimit'] as const;
const DAY_MS = 86_400_000;

/** A LiteLLM duration (`"42s"`) from now until `date`, at least a second. */
export function durationUntil(date: Date, now: Date): string {
  return `${Math.max(1, Math.ceil((date.getTime() - now.getTime()) / 1000))}s`;
}

/**
 * What limits a self-service key gets and may have: the configured defaults fill what a
 * request leaves out, the configured maximums bound what it asks for, and an owner may
 * hold a limited number of keys. Pure: no database, no LiteLLM, an injectable clock.
 */
export class KeyLimitPolicy {
  readonly #defaults: KeyLimitSettings;
  readonly #maximums: LiteMaaSSettings['keyMaximums'];
  readonly #periods: LiteMaaSSettings['keyBudgetPeriods'];
  readonly #userDefaults: LiteMaaSSettings['userDefaults'];
  readonly #now: () => Date;

  constructor(
    settings: Pick<
      LiteMaaSSettings,
      'keyDefaults' | 'keyMaximums' | 'keyBudgetPeriods' | 'userDefaults'
    >,
    now: () => Date = () => new Date(),
  ) {
    this.#defaults = settings.keyDefaults;
    this.#maximums = settings.keyMaximums;
    this.#periods = settings.keyBudgetPeriods;
    this.#userDefaults = settings.userDefaults;
    this.#now = now;
  }

  /**
   * The limits of a new key: asked for, else the default, else the maximum. A key minted
   * for someone else (a team) is also bounded by the `creator`'s own limits: asking for
   * more is refused, and no limit or a larger default becomes the creator's.
   */
  forCreate(input: CreateKeyRequest, creator?: CreatorLimits): KeyLimits {
    const defaults = this.#defaults;
    const maximums = this.#maximums;
    const limits: KeyLimits = {
      maxBudget: null,
      budgetDuration:
        input.budgetDuration ??
        defaults.budgetDuration ??
        maximums.budgetDuration ??
        null,
      tpmLimit: null,
      rpmLimit: null,
      expiresAt: null,
    };
    this.#assertBudgetPeriod(limits.budgetDuration);
    for (const field of NUMERIC_LIMITS) {
      const value = input[field] ?? defaults[field] ?? maximums[field] ?? null;
      this.#assertWithinMaximum(field, value);
      limits[field] = creator
        ? this.#withinCreator(field, value, input[field], creator)
        : value;
    }
    const now = this.#now();
    if (input.expiresAt) {
      limits.expiresAt = this.#checkExpiry(new Date(input.expiresAt), now);
    } else {
      const days = defaults.expiresInDays ?? maximums.expiresInDays;
      limits.expiresAt =
        days !== undefined ? new Date(now.getTime() + days * DAY_MS) : null;
    }
    return limits;
  }

  /**
   * The limits a patch changes, checked against the maximums (none may be removed). The
   * longest lifetime counts from the key's creation, so pushing the expiry out again and
   * again never makes it longer.
   */
  forPatch(
    patch: UpdateKeyRequest,
    key: { createdAt: string },
    creator?: CreatorLimits,
  ): KeyLimitChanges {
    const maximums = this.#maximums;
    const out: KeyLimitChanges = {};
    for (const field of NUMERIC_LIMITS) {
      const value = patch[field];
      if (value === undefined) continue;
      if (value === null && maximums[field] !== undefined) {
        throw new InputError(
          `${field} cannot be removed: keys may have at most ${maximums[field]}`,
        );
      }
      this.#assertWithinMaximum(field, value);
      out[field] = creator
        ? this.#withinCreator(field, value, value, creator)
        : value;
    }
    if (patch.budgetDuration !== undefined) {
      this.#assertBudgetPeriod(patch.budgetDuration);
      out.budgetDuration = patch.budgetDuration;
    }
    if (patch.expiresAt !== undefined) {
      if (patch.expiresAt === null) {
        if (maximums.expiresInDays !== undefined) {
          throw new InputError(
            `expiresAt cannot be removed: keys expire within ${maximums.expiresInDays} days`,
          );
        }
        out.expiresAt = null;
      } else {
        out.expiresAt = this.#checkExpiry(
          new Date(patch.expiresAt),
          this.#now(),
          new Date(key.createdAt),
        );
      }
    }
    return out;
  }

  /**
   * The most keys an owner may hold: the admin's per-user override for a user's own keys,
   * else `keysPerOwner`; undefined for no limit.
   */
  maxKeys(userMaxKeys?: number | null): number | undefined {
    return userMaxKeys ?? this.#maximums.keysPerOwner;
  }

  /** Refuses another key for an owner who already holds `count` of at most `max`. */
  assertMayHoldAnother(ownerRef: string, count: number, max: number): void {
    if (count >= max) {
      throw new ConflictError(
        `${ownerRef} already has ${count} keys, the maximum is ${max} (keysPerOwner); revoke one first`,
      );
    }
  }

  /** A budget period from the configured minimum to maximum (none: never reset). */
  #assertBudgetPeriod(period: string | null): void {
    if (period === null) return;
    const { min, max } = this.#periods;
    const seconds = budgetPeriodSeconds(period);
    if (seconds === undefined) {
      throw new InputError(
        `budgetDuration ${period} is not a duration such as 1d, 7d or 1mo`,
      );
    }
    if (seconds < budgetPeriodSeconds(min)!) {
      throw new InputError(
        `budgetDuration ${period} is shorter than the minimum of ${min} an administrator allows`,
      );
    }
    if (seconds > budgetPeriodSeconds(max)!) {
      throw new InputError(
        `budgetDuration ${period} is longer than the maximum of ${max} an administrator allows`,
      );
    }
  }

  /** `value` bounded by the creator's own limit of `field` (`asked`: what they asked). */
  #withinCreator(
    field: (typeof NUMERIC_LIMITS)[number],
    value: number | null,
    asked: number | null | undefined,
    creator: CreatorLimits,
  ): number | null {
    const cap = creator[field] ?? this.#userDefaults[field] ?? null;
    if (cap === null) return value;
    if (asked !== undefined && (asked === null || asked > cap)) {
      throw new InputError(
        `${field} ${
          asked ?? 'unlimited'
        } is above your own limit of ${cap}: a key you mint for a team is bounded by your limits`,
      );
    }
    return value === null || value > cap ? cap : value;
  }

  #assertWithinMaximum(
    field: (typeof NUMERIC_LIMITS)[number],
    value: number | null,
  ): void {
    const max = this.#maximums[field];
    if (max !== undefined && value !== null && value > max) {
      throw new InputError(
        `${field} ${value} is above the maximum of ${max} an administrator allows`,
      );
    }
  }

  /** An expiry at least a minute from now and within the longest lifetime from `start`. */
  #checkExpiry(date: Date, now: Date, start?: Date): Date {
    if (date.getTime() <= now.getTime() + 60_000) {
      throw new InputError('expiresAt must be at least a minute in the future');
    }
    const maxDays = this.#maximums.expiresInDays;
    const from = start ?? now;
    if (
      maxDays !== undefined &&
      date.getTime() > from.getTime() + maxDays * DAY_MS
    ) {
      throw new InputError(
        `expiresAt must be within ${maxDays} days${
          start ? " of the key's creation" : ''
        } (the maximum an administrator allows)`,
      );
    }
    return date;
  }
}
