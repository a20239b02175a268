// Two portal backends on one PostgreSQL database behind a round-robin proxy; one is killed
// with SIGKILL while it runs the scheduled usage sync and while key creations are in
// flight on it. Shows: the jobs still run once per schedule (counted at the emulator),
// usage totals equal LiteLLM's, no orphan key after reconciliation, and no request lost
// beyond those in flight on the killed replica.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import { after, before, test } from 'node:test';
import path from 'node:path';
import {
  freePort,
  json,
  repoRoot,
  request,
  signInAsGuest,
} from '../bench/lib.mjs';
import {
  compareUsageTotals,
  countCalls,
  dropDatabases,
  keyAgreement,
  masterKey,
  pg,
  startBackend,
  startEmulator,
} from '../bench/portal.mjs';

const PREFIX = `litemaas_rkill_${process.pid}_`;
const PERIOD = 5; // seconds between runs of every configurable job
const TIMEOUT = 8; // a job's timeout: how long a dead replica's claim on it lasts
const USAGE_LATENCY_MS = 4000; // each usage sync waits this long for LiteLLM
const KEY_LATENCY_MS = 8000; // each /key/generate (LiteLLM commits it anyway)
const CREATIONS = 8;
const USAGE_TASK = 'litemaas-usage-sync';
const DAY = 86_400_000;
const iso = ms => new Date(ms).toISOString().slice(0, 10);
const sleep = ms => new Promise(r => setTimeout(r, ms));
const admin = { authorization: `Bearer ${masterKey}` };

/** Waits for `check()` to return a truthy value; fails after `seconds`. */
async function until(what, check, seconds = 60) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

/**
 * A round-robin HTTP proxy in front of the replicas, as a load balancer would be: a
 * replica that refuses connections is taken out and the request (nothing of it reached
 * the replica) goes to the next one; a connection that breaks once the request was sent
 * is a lost request, answered 502 and recorded.
 */
async function startProxy(upstreams) {
  const targets = upstreams.map(u => ({ ...u, down: false }));
  const log = [];
  let next = 0;
  const forward = (target, req, body) =>
    new Promise((resolve, reject) => {
      const headers = { ...req.headers, 'content-length': body.length };
      delete headers.connection;
      const up = http.request(
        `${target.url}${req.url}`,
        { method: req.method, headers, agent: false },
        res => {
          const chunks = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode,
              headers: res.headers,
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', reject);
        },
      );
      up.on('error', reject);
      up.end(body);
    });
  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const entry = { method: req.method, url: req.url, start: Date.now() };
    log.push(entry);
    for (;;) {
      const live = targets.filter(t => !t.down);
      if (!live.length) break;
      const target = live[next++ % live.length];
      entry.upstream = target.name;
      try {
        const r = await forward(target, req, body);
        entry.end = Date.now();
        entry.status = r.status;
        const headers = { ...r.headers };
        delete headers['transfer-encoding'];
        delete headers.connection;
        headers['content-length'] = r.body.length;
        res.writeHead(r.status, headers);
        res.end(r.body);
        return;
      } catch (error) {
        if (error.code === 'ECONNREFUSED') {
          target.down = true;
          continue;
        }
        entry.end = Date.now();
        entry.lost = error.code ?? error.message;
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: `upstream ${target.name} failed` }));
        return;
      }
    }
    entry.end = Date.now();
    entry.lost = 'no replica';
    res.writeHead(503).end();
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    log,
    close: () => new Promise(r => server.close(r)),
  };
}

let emulator;
const replicas = [];
let proxy;

before(async () => {
  await dropDatabases(PREFIX);
  emulator = await startEmulator(await freePort());
  // The first replica creates the schema; the second joins the same database.
  for (const name of ['A', 'B']) {
    const b = await startBackend({
      port: await freePort(),
      prefix: PREFIX,
      emulatorUrl: emulator.url,
      configs: [path.join(repoRoot, 'bench/app-config.soak.yaml')],
      env: {
        BENCH_JOB_SECONDS: String(PERIOD),
        BENCH_JOB_DELAY: '1',
        BENCH_JOB_TIMEOUT: String(TIMEOUT),
      },
    });
    replicas.push({ ...b, name });
  }
  proxy = await startProxy(replicas);
});

after(async () => {
  await proxy?.close();
  for (const r of replicas) r.stop();
  emulator?.stop();
  await sleep(1500);
  await dropDatabases(PREFIX);
});

test('SIGKILL of a replica mid usage sync and mid key creation: jobs, usage and keys stay right', async () => {
  const t0 = Date.now();
  const headers = await signInAsGuest(proxy.url);
  const api = (method, p, body) =>
    json(proxy.url, method, `/api/litemaas${p}`, { headers, body });
  assert.equal((await api('POST', '/admin/models/sync', {})).status, 200);
  const models = (await api('GET', '/models?restricted=false')).body.items
    .map(m => m.id)
    .filter(id => !id.includes('embedding'))
    .slice(0, 2);
  for (const modelId of models) {
    assert.ok((await api('POST', '/subscriptions', { modelId })).status < 300);
  }
  const secrets = [];
  for (let i = 0; i < 2; i++) {
    const k = await api('POST', '/keys', { name: `before ${i}`, models });
    assert.equal(k.status, 201);
    secrets.push(k.body.secret);
  }
  const chat = async n => {
    for (let i = 0; i < n; i++) {
      const r = await request(emulator.url, 'POST', '/v1/chat/completions', {
        headers: { authorization: `Bearer ${secrets[i % secrets.length]}` },
        body: {
          model: models[i % 2],
          messages: [{ role: 'user', content: 'hi' }],
        },
      });
      assert.equal(r.status, 200);
    }
  };
  await chat(10);

  // Every usage sync waits USAGE_LATENCY_MS at LiteLLM: a window to kill its replica in.
  const calls = await countCalls(emulator.url, ['/user/daily/activity'], {
    latencyMs: USAGE_LATENCY_MS,
  });
  const modelCalls = await countCalls(emulator.url, ['/model/info']);
  const runs = async () => ({
    usage: (await calls())['/user/daily/activity'],
    model: (await modelCalls())['/model/info'],
  });

  // Reads through the proxy all along; every answer is kept.
  const answers = [];
  let reading = true;
  const reader = (async () => {
    while (reading) {
      const r = await request(proxy.url, 'GET', '/api/litemaas/keys', {
        headers,
      });
      answers.push({ what: 'GET /keys', status: r.status });
      await sleep(100);
    }
  })();

  const bothUp = { at: Date.now(), ...(await runs()) };
  // Wait for two schedules with both replicas up, then for a usage sync in progress.
  await sleep(2 * PERIOD * 1000);
  const taskState = async r => {
    const t = await json(
      r.url,
      'GET',
      '/api/litemaas/.backstage/scheduler/v1/tasks',
      {
        headers,
      },
    );
    return t.body.tasks.find(x => x.taskId === USAGE_TASK)?.workerState?.status;
  };
  // Key creations through the proxy, each held KEY_LATENCY_MS at /key/generate, where
  // LiteLLM commits the key whether or not its caller is still there.
  await json(emulator.url, 'POST', '/__emulator/faults', {
    headers: admin,
    body: {
      path: '/key/generate',
      latencyMs: KEY_LATENCY_MS,
      lateEffect: true,
      times: CREATIONS,
    },
  });
  const creations = Array.from({ length: CREATIONS }, (_, i) =>
    api('POST', '/keys', { name: `during ${i}`, models }).then(r => {
      answers.push({ what: 'POST /keys', status: r.status });
      return r;
    }),
  );
  await until(
    'every creation to reach LiteLLM',
    async () => {
      const f = (
        await json(emulator.url, 'GET', '/__emulator/faults', {
          headers: admin,
        })
      ).body.faults.find(x => x.path === '/key/generate');
      return !f;
    },
    30,
  );
  // While they wait there: the replica running the usage sync (it waits
  // USAGE_LATENCY_MS of every PERIOD at LiteLLM) is the one to kill.
  const victim = await until('a replica running the usage sync', async () => {
    for (const r of replicas) if ((await taskState(r)) === 'running') return r;
    return undefined;
  });
  const survivor = replicas.find(r => r !== victim);
  const creatingOnVictim = proxy.log.filter(
    e =>
      e.upstream === victim.name &&
      e.method === 'POST' &&
      e.url === '/api/litemaas/keys' &&
      e.end === undefined,
  ).length;
  const dead = once(victim.child, 'exit');
  process.kill(-victim.child.pid, 'SIGKILL');
  await dead;
  // Requests that started before the replica was gone may have been in flight on it.
  const killAt = Date.now();
  const atKill = await runs();
  await Promise.all(creations);

  // After the kill: the survivor takes each job over (once the dead claim times out).
  await chat(10);
  const resumed = await until(
    'a usage sync and two model syncs on the survivor',
    async () => {
      const now = await runs();
      return now.usage - atKill.usage >= 1 && now.model - atKill.model >= 2
        ? { at: Date.now(), ...now }
        : undefined;
    },
    90,
  );
  reading = false;
  await reader;

  const withBoth = (killAt - bothUp.at) / 1000;
  const afterKill = (resumed.at - killAt) / 1000;
  const ranBefore = {
    usage: atKill.usage - bothUp.usage,
    model: atKill.model - bothUp.model,
  };
  const ranAfter = {
    usage: resumed.usage - atKill.usage,
    model: resumed.model - atKill.model,
  };

  // Usage: the survivor's scheduled sync brings LiteMaaS to LiteLLM's totals.
  const usage = await until(
    'usage totals equal to LiteLLM’s',
    async () => {
      const u = await compareUsageTotals({
        emulatorUrl: emulator.url,
        backendUrl: survivor.url,
        headers,
        from: iso(Date.now() - DAY),
        to: iso(Date.now() + DAY),
      });
      return u.equal ? u : undefined;
    },
    60,
  );

  // Keys: what the kill left, then reconciliation. A creation still pending is settled
  // once it is PENDING_TIMEOUT (5 min) old; the rows are aged by that much here instead
  // of waiting (no live replica holds a creation that long).
  const leftByKill = await keyAgreement(PREFIX, emulator.url);
  await pg(`${PREFIX}litemaas`, c =>
    c.query(
      "update litemaas_keys set created_at = created_at - interval '6 minutes' where status = 'pending'",
    ),
  );
  const reconcile = await api('POST', '/admin/keys/reconcile', {});
  assert.equal(reconcile.status, 200);
  const settled = await keyAgreement(PREFIX, emulator.url);

  const lost = proxy.log.filter(e => e.lost);
  const failed = answers.filter(a => a.status >= 300);
  const created = answers.filter(
    a => a.what === 'POST /keys' && a.status === 201,
  );

  console.log(`
replica ${
    victim.name
  } killed (SIGKILL) while running the usage sync, ${creatingOnVictim} key creations in flight on it
jobs every ${PERIOD} s (timeout ${TIMEOUT} s), runs counted at the emulator:
  both replicas, ${withBoth.toFixed(1)} s: usage sync ${
    ranBefore.usage
  }, model sync ${ranBefore.model} (at most ${
    Math.floor(withBoth / PERIOD) + 1
  } each if run once per schedule)
  survivor,      ${afterKill.toFixed(1)} s: usage sync ${
    ranAfter.usage
  }, model sync ${ranAfter.model}
requests: ${answers.length} through the proxy by the test (${
    created.length
  }/${CREATIONS} creations 201), ${failed.length} failed, ${
    lost.length
  } lost by the proxy (${lost
    .map(e => `${e.method} ${e.url.split('?')[0]} on ${e.upstream}`)
    .join(', ')})
usage totals: LiteLLM ${
    usage.litellm.requests
  } requests / ${usage.litellm.spend.toFixed(6)}; LiteMaaS ${
    usage.litemaas.requests
  } / ${usage.litemaas.spend.toFixed(6)} (equal)
keys left by the kill: ${
    leftByKill.litellmWithoutRow.length
  } LiteLLM keys without a row, ${
    leftByKill.rowsWithoutKey.length
  } rows without a key, ${leftByKill.pending.length} pending rows
reconciliation: ${JSON.stringify(reconcile.body)}
after it: ${
    settled.litellmKeys
  } LiteMaaS keys in LiteLLM, rows ${JSON.stringify(settled.byStatus)}, ${
    settled.litellmWithoutRow.length
  } LiteLLM keys without a row, ${
    settled.rowsWithoutKey.length
  } rows without a key, ${settled.pending.length} pending
test took ${((Date.now() - t0) / 1000).toFixed(1)} s after start-up`);

  // Jobs: run while both replicas were up, never once per replica; run again after the kill.
  const jobs = JSON.stringify({ withBoth, ranBefore, afterKill, ranAfter });
  assert.ok(ranBefore.usage >= 1 && ranBefore.model >= 1, jobs);
  assert.ok(ranBefore.usage <= Math.floor(withBoth / PERIOD) + 1, jobs);
  assert.ok(ranBefore.model <= Math.floor(withBoth / PERIOD) + 1, jobs);
  assert.ok(ranAfter.usage >= 1 && ranAfter.model >= 2, jobs);
  assert.ok(ranAfter.usage <= Math.floor(afterKill / PERIOD) + 1, jobs);
  assert.ok(ranAfter.model <= Math.floor(afterKill / PERIOD) + 1, jobs);
  // Requests: only those in flight on the killed replica were lost; the rest answered.
  assert.ok(creatingOnVictim >= 1, 'the kill fell during key creations on it');
  for (const e of lost) {
    assert.equal(e.upstream, victim.name, JSON.stringify(e));
    assert.ok(e.start < killAt, JSON.stringify({ killAt, ...e }));
  }
  assert.deepEqual(
    failed.map(a => a.status),
    lost.map(() => 502),
  );
  assert.equal(
    created.length + lost.filter(e => e.method === 'POST').length,
    CREATIONS,
  );
  // Keys: nothing orphaned on either side once reconciled.
  assert.deepEqual(settled.litellmWithoutRow, []);
  assert.deepEqual(settled.rowsWithoutKey, []);
  assert.deepEqual(settled.pending, []);
});
