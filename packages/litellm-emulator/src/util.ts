import { createHash, randomBytes, randomUUID } from 'node:crypto';

/** `"sk-" + secrets.token_urlsafe(16)`: 22 urlsafe base64 characters after the prefix. */
export function generateKey(): string {
  return `sk-${randomBytes(16).toString('base64url')}`;
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** LiteLLM rule: a value starting with `sk-` is a raw key and is hashed; otherwise it is the hash. */
export function toTokenHash(rawOrHash: string): string {
  return rawOrHash.startsWith('sk-') ? sha256Hex(rawOrHash) : rawOrHash;
}

export function keyName(rawKey: string): string {
  return `sk-...${rawKey.slice(-4)}`;
}

/** `abcd****wxyz` as LiteLLM masks keys in error messages. */
export function maskKey(key: string): string {
  if (key.length <= 8) return `${key.slice(0, 2)}****`;
  return `${key.slice(0, 4)}****${key.slice(-4)}`;
}

export const uuid = randomUUID;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const DURATION_RE = /^(\d+)(mo|s|m|h|d|w)$/;

export function parseDuration(
  duration: string,
): { value: number; unit: string } | undefined {
  const m = DURATION_RE.exec(String(duration).trim());
  if (!m) return undefined;
  return { value: Number(m[1]), unit: m[2] };
}

export class BadDurationError extends Error {
  constructor(duration: string) {
    super(`Unsupported duration unit, passed duration: ${duration}`);
  }
}

/** Adds a LiteLLM duration to a time (exact: used for key expiry and rolling budget resets). */
export function addDuration(ms: number, duration: string): number {
  const d = parseDuration(duration);
  if (!d) throw new BadDurationError(duration);
  switch (d.unit) {
    case 's':
      return ms + d.value * 1000;
    case 'm':
      return ms + d.value * 60_000;
    case 'h':
      return ms + d.value * 3_600_000;
    case 'd':
      return ms + d.value * 86_400_000;
    case 'w':
      return ms + d.value * 7 * 86_400_000;
    default: {
      const date = new Date(ms);
      const day = date.getUTCDate();
      const target = new Date(ms);
      target.setUTCDate(1);
      target.setUTCMonth(target.getUTCMonth() + d.value);
      const last = new Date(
        Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0),
      ).getUTCDate();
      target.setUTCDate(Math.min(day, last));
      return target.getTime();
    }
  }
}

/**
 * LiteLLM's `get_next_standardized_reset_time` in UTC: 1d → next midnight, 7d/1w → next Monday,
 * 30d → first of next month, other Nd → midnight + N days, Nh/Nm/Ns → next aligned boundary,
 * 1mo → first of next month.
 */
export function nextStandardizedReset(ms: number, duration: string): number {
  const d = parseDuration(duration);
  if (!d) throw new BadDurationError(duration);
  const now = new Date(ms);
  const midnight = Date.UTC(
    now.getUTCFullYear(),
    now.getUTCMonth(),
    now.getUTCDate(),
  );
  const DAY = 86_400_000;
  const { value, unit } = d;
  if (value === 0) return ms;
  const dayReset = (days: number): number => {
    if (days === 1) return midnight + DAY;
    if (days === 7) {
      const weekday = (now.getUTCDay() + 6) % 7; // Monday = 0 like Python
      let until = (7 - weekday) % 7;
      if (until === 0) until = 7;
      return midnight + until * DAY;
    }
    if (days === 30) {
      return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    }
    return midnight + days * DAY;
  };
  switch (unit) {
    case 'd':
      return dayReset(value);
    case 'w':
      return dayReset(value * 7);
    case 'h': {
      const h = now.getUTCHours();
      const next = h + value - (h % value);
      return midnight + next * 3_600_000;
    }
    case 'm': {
      const mins = now.getUTCMinutes();
      const next = mins + value - (mins % value);
      return midnight + now.getUTCHours() * 3_600_000 + next * 60_000;
    }
    case 's': {
      const s = now.getUTCSeconds();
      const next = s + value - (s % value);
      return (
        midnight +
        now.getUTCHours() * 3_600_000 +
        now.getUTCMinutes() * 60_000 +
        next * 1000
      );
    }
    default:
      return Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + value, 1);
  }
}

/** Python `repr()` of JSON-like values (LiteLLM puts repr'd dicts into error messages). */
export function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : pyFloat(value);
  if (typeof value === 'string') {
    if (value.includes("'") && !value.includes('"')) return `"${value}"`;
    return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  }
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

/** Python `repr(float)`: `5.0`, `0.00058`, `1e-05`, `1e+16` (LiteLLM prints floats in messages). */
export function pyFloat(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  const a = Math.abs(n);
  if (a < 1e-4 || a >= 1e16) {
    const [mantissa, exp] = n.toExponential().split('e');
    const e = Number(exp);
    return `${mantissa}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(
      2,
      '0',
    )}`;
  }
  const s = String(n);
  return s.includes('.') ? s : `${s}.0`;
}

/** Parses `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` (or ISO) as UTC. */
export function parseUtcDate(value: string): number | undefined {
  const v = value.trim();
  let ms: number;
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) ms = Date.parse(`${v}T00:00:00Z`);
  else if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(v))
    ms = Date.parse(`${v.replace(' ', 'T')}Z`);
  else ms = Date.parse(v);
  return Number.isFinite(ms) ? ms : undefined;
}

export function isDateOnly(value: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(value.trim());
}

/** Deterministic 32-bit PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
