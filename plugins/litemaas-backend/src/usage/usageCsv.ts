import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify';
import { UsageDailyRow } from '../database/UsageStore';

const CSV_COLUMNS = [
  { key: 'date', header: 'date' },
  { key: 'keyId', header: 'key_id' },
  { key: 'ownerRef', header: 'owner_ref' },
  { key: 'userRef', header: 'user_ref' },
  { key: 'teamRef', header: 'team_ref' },
  { key: 'model', header: 'model' },
  { key: 'requests', header: 'requests' },
  { key: 'requestsOk', header: 'successful_requests' },
  { key: 'requestsFailed', header: 'failed_requests' },
  { key: 'promptTokens', header: 'prompt_tokens' },
  { key: 'completionTokens', header: 'completion_tokens' },
  { key: 'totalTokens', header: 'total_tokens' },
  { key: 'spend', header: 'spend' },
];

/**
 * Usage rows as a CSV stream with a header line. Text cells that a spreadsheet would run
 * as a formula (`=`, `+`, `-`, `@`, tab, carriage return first) are prefixed with `'`.
 */
export function usageCsv(rows: AsyncIterable<UsageDailyRow>): Readable {
  async function* records() {
    for await (const r of rows) {
      yield {
        ...r,
        keyId: r.keyId ?? '',
        ownerRef: r.ownerRef ?? '',
        userRef: r.userRef ?? '',
        teamRef: r.teamRef ?? '',
        requests: r.requestsOk + r.requestsFailed,
        totalTokens: r.promptTokens + r.completionTokens,
      };
    }
  }
  return Readable.from(records()).pipe(
    stringify({
      header: true,
      columns: CSV_COLUMNS,
      cast: { string: neutralizeFormula },
    }),
  );
}

/** A text cell a spreadsheet would run as a formula, made inert. */
function neutralizeFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}
