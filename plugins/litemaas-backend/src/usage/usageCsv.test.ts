import { text } from 'node:stream/consumers';
import { UsageDailyRow } from '../database/UsageStore';
import { usageCsv } from './usageCsv';

const row = (over: Partial<UsageDailyRow>): UsageDailyRow => ({
  date: '2026-01-01',
  keyHash: 'h1',
  model: 'gpt-4o',
  keyId: 'k1',
  ownerRef: 'user:default/bob',
  userRef: 'user:default/bob',
  teamRef: null,
  requestsOk: 3,
  requestsFailed: 1,
  promptTokens: 10,
  completionTokens: 5,
  spend: 0.25,
  ...over,
});

async function* rows(...items: UsageDailyRow[]) {
  yield* items;
}

describe('usageCsv', () => {
  it('writes a header and one line per row, with totals', async () => {
    const csv = await text(usageCsv(rows(row({}))));
    expect(csv.split('\n')).toEqual([
      'date,key_id,owner_ref,user_ref,team_ref,model,requests,successful_requests,failed_requests,prompt_tokens,completion_tokens,total_tokens,spend',
      '2026-01-01,k1,user:default/bob,user:default/bob,,gpt-4o,4,3,1,10,5,15,0.25',
      '',
    ]);
  });

  it('makes formulas inert and quotes commas and quotes', async () => {
    const csv = await text(
      usageCsv(
        rows(
          row({ model: '=HYPERLINK("http://x")', keyId: null }),
          row({ model: '@SUM(A1)', ownerRef: '+1', teamRef: '-2' }),
          row({ model: 'a,b', userRef: '\tx' }),
        ),
      ),
    );
    const lines = csv.trim().split('\n').slice(1);
    expect(lines[0]).toBe(
      `2026-01-01,,user:default/bob,user:default/bob,,"'=HYPERLINK(""http://x"")",4,3,1,10,5,15,0.25`,
    );
    expect(lines[1]).toBe(
      `2026-01-01,k1,'+1,user:default/bob,'-2,'@SUM(A1),4,3,1,10,5,15,0.25`,
    );
    expect(lines[2]).toBe(
      `2026-01-01,k1,user:default/bob,'\tx,,"a,b",4,3,1,10,5,15,0.25`,
    );
  });
});
