// The short soak: bench/soak.mjs for 3 minutes (the 30-minute one is `node bench/soak.mjs`).
// Mixed traffic at a fixed rate against the real backend on PostgreSQL with the jobs on a
// short schedule: no request fails, every scheduled job that was due ran without error,
// and usage totals equal LiteLLM's. Memory: 3 minutes are too short for the long soak's
// rule (RSS at the end within 10% of minute 5, when start-up growth is over); here the
// RSS at the end must stay within 1.5× minute 1's, which a leak proportional to the
// traffic would break and start-up growth does not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runSoak } from '../bench/soak.mjs';

const MINUTES = 3;

test(`soak: ${MINUTES} minutes of mixed traffic, zero errors, every job ran`, async () => {
  const r = await runSoak({ minutes: MINUTES, rate: 10, jobSeconds: 15 });

  assert.equal(r.perMinute.length, MINUTES);
  assert.ok(r.perMinute.every(m => m.requests > 0));
  assert.equal(r.totalErrors, 0, r.errors.slice(0, 10).join('\n'));

  const due = r.jobs.filter(j => j.due);
  assert.ok(
    due.some(j => j.id === 'litemaas-usage-sync') &&
      due.some(j => j.id === 'litemaas-model-sync'),
  );
  for (const j of due) {
    assert.ok(j.ran, `${j.id} did not run`);
    assert.equal(j.failed, undefined, `${j.id} failed: ${j.failed}`);
  }
  assert.ok(r.runs.modelSync >= 1 && r.runs.usageSync >= 1);
  assert.ok(r.usage.equal, JSON.stringify(r.usage));

  const first = r.perMinute[0].rss;
  const last = r.perMinute[MINUTES - 1].rss;
  assert.ok(last <= first * 1.5, `RSS ${first} MB → ${last} MB`);
});
