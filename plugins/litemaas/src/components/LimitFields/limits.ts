import type { KeyLimitSettings } from '../../api';

/** The limit fields of a key form, as typed (strings; '' = not set). @public */
export interface LimitValues {
  maxBudget: string;
  budgetDuration: string;
  tpmLimit: string;
  rpmLimit: string;
  /** `YYYY-MM-DD`, '' for no expiry. */
  expiresOn: string;
}

/** A validation problem, as a message key of `common.limits` and its values. @public */
export interface LimitProblem {
  key: 'overMax' | 'notPositive' | 'notWhole' | 'expiryPast' | 'expiryTooLate';
  values?: Record<string, string | number>;
}

export type LimitProblems = Partial<Record<keyof LimitValues, LimitProblem>>;

const DAY_MS = 24 * 3600 * 1000;

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The form's starting values: the configured defaults, or an existing key's limits. @public */
export function initialLimitValues(
  from: {
    maxBudget?: number | null;
    budgetDuration?: string | null;
    tpmLimit?: number | null;
    rpmLimit?: number | null;
    expiresAt?: string | null;
    expiresInDays?: number | null;
  },
  now: Date = new Date(),
): LimitValues {
  let expiresOn = '';
  if (from.expiresAt) expiresOn = from.expiresAt.slice(0, 10);
  else if (from.expiresInDays)
    expiresOn = isoDay(new Date(now.getTime() + from.expiresInDays * DAY_MS));
  const text = (n?: number | null) =>
    n === null || n === undefined ? '' : String(n);
  return {
    maxBudget: text(from.maxBudget),
    budgetDuration: from.budgetDuration ?? '',
    tpmLimit: text(from.tpmLimit),
    rpmLimit: text(from.rpmLimit),
    expiresOn,
  };
}

/** The latest expiry day the maximums allow, or undefined. */
export function maxExpiryDay(
  maximums: KeyLimitSettings,
  now: Date = new Date(),
): string | undefined {
  return maximums.expiresInDays
    ? isoDay(new Date(now.getTime() + maximums.expiresInDays * DAY_MS))
    : undefined;
}

/**
 * Checks the limits against the configured maximums, as the backend will: the form
 * shows each problem next to its field and cannot be submitted with one.
 *
 * @public
 */
export function validateLimits(
  values: LimitValues,
  maximums: KeyLimitSettings,
  now: Date = new Date(),
): LimitProblems {
  const problems: LimitProblems = {};
  const numeric = (
    field: 'maxBudget' | 'tpmLimit' | 'rpmLimit',
    whole: boolean,
  ) => {
    const text = values[field].trim();
    if (!text) return;
    const value = Number(text);
    const max = maximums[field];
    if (!Number.isFinite(value) || value <= 0) {
      problems[field] = { key: 'notPositive' };
    } else if (whole && !Number.isInteger(value)) {
      problems[field] = { key: 'notWhole' };
    } else if (max !== undefined && value > max) {
      problems[field] = { key: 'overMax', values: { max } };
    }
  };
  numeric('maxBudget', false);
  numeric('tpmLimit', true);
  numeric('rpmLimit', true);
  if (values.expiresOn) {
    const latest = maxExpiryDay(maximums, now);
    if (values.expiresOn <= isoDay(now)) {
      problems.expiresOn = { key: 'expiryPast' };
    } else if (latest && values.expiresOn > latest) {
      problems.expiresOn = {
        key: 'expiryTooLate',
        values: { max: maximums.expiresInDays! },
      };
    }
  }
  return problems;
}

/** Numbers and an ISO expiry for the API; unset fields are left out (create). @public */
export function limitsForCreate(values: LimitValues) {
  const num = (text: string) => (text.trim() ? Number(text) : undefined);
  return {
    maxBudget: num(values.maxBudget),
    budgetDuration: values.budgetDuration || undefined,
    tpmLimit: num(values.tpmLimit),
    rpmLimit: num(values.rpmLimit),
    expiresAt: values.expiresOn
      ? `${values.expiresOn}T23:59:59.000Z`
      : undefined,
  };
}

/** Like {@link limitsForCreate}, but an emptied field removes the limit (`null`). @public */
export function limitsForUpdate(values: LimitValues) {
  const created = limitsForCreate(values);
  return {
    maxBudget: created.maxBudget ?? null,
    budgetDuration: created.budgetDuration ?? null,
    tpmLimit: created.tpmLimit ?? null,
    rpmLimit: created.rpmLimit ?? null,
    expiresAt: created.expiresAt ?? null,
  };
}
