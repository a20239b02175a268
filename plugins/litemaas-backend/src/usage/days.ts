import { DateTime } from 'luxon';

/** The UTC calendar day (`YYYY-MM-DD`) of an instant. */
export function isoDate(ms: number): string {
  return DateTime.fromMillis(ms, { zone: 'utc' }).toISODate()!;
}

/** The start of a UTC calendar day. */
export function utcDay(date: string): DateTime {
  return DateTime.fromISO(date, { zone: 'utc' });
}

/** The calendar day after `date`. */
export function nextDay(date: string): string {
  return utcDay(date).plus({ days: 1 }).toISODate()!;
}

/** Every calendar day from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = nextDay(d)) out.push(d);
  return out;
}

/** Runs of consecutive days, each at most `size` long. */
export function windows(dates: string[], size: number): string[][] {
  const out: string[][] = [];
  let run: string[] = [];
  for (const d of dates) {
    const prev = run[run.length - 1];
    if (run.length > 0 && (d !== nextDay(prev) || run.length >= size)) {
      out.push(run);
      run = [];
    }
    run.push(d);
  }
  if (run.length > 0) out.push(run);
  return out;
}
