/** Price per token → price per million tokens, as LiteLLM's admin UI shows it. */
export function formatPricePerMillion(
  perToken: number | null,
  locale?: string,
): string {
  if (perToken === null) {
    return '–';
  }
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: 'USD',
    maximumFractionDigits: 4,
  }).format(perToken * 1_000_000);
}

export function formatCount(value: number | null, locale?: string): string {
  return value === null ? '–' : new Intl.NumberFormat(locale).format(value);
}

/** The path of a model's page below the LiteMaaS page (ids contain `/` and `:`). */
export function modelPath(id: string): string {
  return `models/${encodeURIComponent(id)}`;
}
