/** Formatting shared by every view; all take the UI language. */

export function formatMoney(
  value: number | null | undefined,
  currency: string,
  locale?: string,
  options: { maximumFractionDigits?: number } = {},
): string | undefined {
  if (value === null || value === undefined) return undefined;
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    maximumFractionDigits: options.maximumFractionDigits ?? 2,
  }).format(value);
}

/** Price per token → price per million tokens, as model portals show it. */
export function formatPricePerMillion(
  perToken: number | null | undefined,
  currency: string,
  locale?: string,
): string | undefined {
  if (perToken === null || perToken === undefined) return undefined;
  return formatMoney(perToken * 1_000_000, currency, locale, {
    maximumFractionDigits: 4,
  });
}

export function formatCount(
  value: number | null | undefined,
  locale?: string,
): string | undefined {
  if (value === null || value === undefined) return undefined;
  return new Intl.NumberFormat(locale).format(value);
}

/** `128000` → `128K` (compact, for cards and filters). */
export function formatCompact(
  value: number | null | undefined,
  locale?: string,
): string | undefined {
  if (value === null || value === undefined) return undefined;
  return new Intl.NumberFormat(locale, { notation: 'compact' }).format(value);
}

/** An ISO date (and with `withTime`, its time) in the UI language. */
export function formatDate(
  iso: string | null | undefined,
  locale?: string,
  withTime = false,
): string | undefined {
  if (!iso) return undefined;
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return undefined;
  return new Intl.DateTimeFormat(locale, {
    dateStyle: 'medium',
    ...(withTime ? { timeStyle: 'short' as const } : {}),
  }).format(date);
}

export function formatDateTime(
  iso: string | null | undefined,
  locale?: string,
): string | undefined {
  return formatDate(iso, locale, true);
}

/** `user:default/alice` → `alice`; `group:default/payments` → `payments`. */
export function shortRef(ref: string): string {
  const slash = ref.lastIndexOf('/');
  const colon = ref.indexOf(':');
  return ref.slice(Math.max(slash, colon) + 1);
}

/** `component:default/name` → the entity's page in the catalog. */
export function catalogPath(entityRef: string): string {
  const match = /^([^:]+):([^/]+)\/(.+)$/.exec(entityRef);
  if (!match) return '/catalog';
  const [, kind, namespace, name] = match;
  return `/catalog/${namespace}/${kind.toLocaleLowerCase('en-US')}/${name}`;
}
