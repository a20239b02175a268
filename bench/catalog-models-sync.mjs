#!/usr/bin/env node
/*
 * Benchmark of the LiteMaaS catalog module in the real portal backend (packages/backend)
 * on PostgreSQL, against the LiteLLM emulator serving BENCH_MODELS (1,000) generated
 * models with awkward names (`bench-org-3/Bench-Model-42:v0`).
 *
 *   source scripts/toolchain.sh && node bench/catalog-models-sync.mjs
 *
 * Measures, from POST /api/litemaas/admin/models/sync (the LiteMaaS model sync, run by
 * hand: the scheduled one is set to manual here) to the moment the catalog API serves
 * them:
 *   - the time until the first and until all BENCH_MODELS `Resource` entities are
 *     readable (GET /api/catalog/entities/by-query?filter=kind=resource,spec.type=ai-model),
 *   - the CPU the backend and PostgreSQL used until all were readable;
 *   - the baseline, measured in the same run: the time for ONE model change (an admin
 *     deprecates a model, or un-deprecates it) to show on its entity, i.e. the fixed cost
 *     of the pipeline (provider schedule, processing loop, stitching), the median of
 *     BENCH_CHANGES (5) changes, and the ratio of the two.
 * The catalog provider runs every BENCH_PROVIDER_SECONDS (1) here instead of 5 minutes.
 *
 * BENCH_LITEMAAS=stub measures the catalog side alone: the catalog module is pointed
 * (discovery.endpoints) at a stub of GET /api/litemaas/models on 127.0.0.1 that serves the
 * same wire shape, and "the sync" is the moment the stub starts answering the 1,000
 * models; the baseline deprecates one model in the stub. Use it while the real route
 * does not accept the catalog's service token.
 *
 * Knobs: BENCH_PG_URL (postgresql://postgres@127.0.0.1:5432), BENCH_MODELS (1000, max
 * 5000), BENCH_PROVIDER_SECONDS (1), BENCH_TIMEOUT_SECONDS per wait (300),
 * BENCH_BACKEND_NODE_OPTIONS (the backend's NODE_OPTIONS, e.g. a CPU profile). Every wait is
 * bounded; only 127.0.0.1 is contacted. The databases it creates (prefix
 * litemaas_bench_<pid>_) are dropped at the end.
 */
import http from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cpuSeconds,
  envNumber,
  fmt,
  json,
  percentiles,
  postgresCpuSeconds,
  signInAsGuest,
} from './lib.mjs';
import { dropDatabases, startBackend, startEmulator } from './portal.mjs';

const MODELS = Math.floor(envNumber('BENCH_MODELS', 1000, 5000));
const PROVIDER_SECONDS = envNumber('BENCH_PROVIDER_SECONDS', 1, 300);
const TIMEOUT_MS = envNumber('BENCH_TIMEOUT_SECONDS', 300, 1800) * 1000;
const CHANGES = Math.floor(envNumber('BENCH_CHANGES', 5, 50));
const PREFIX = `litemaas_bench_${process.pid}_`;
const EMULATOR_PORT = 4300 + (process.pid % 500);
const BACKEND_PORT = 7300 + (process.pid % 500);
const MODE = process.env.BENCH_LITEMAAS === 'stub' ? 'stub' : 'real';
const backendUrl = `http://127.0.0.1:${BACKEND_PORT}`;
const emulatorUrl = `http://127.0.0.1:${EMULATOR_PORT}`;

/** LiteLLM `/model/info` entries: ids with `/`, `:`, `.` and capitals, like real ones. */
function generatedModels(n) {
  return Array.from({ length: n }, (_, i) => ({
    model_name: `bench-org-${i % 25}/Bench-Model-${i}.${i % 7}:v${i % 3}`,
    litellm_params: { model: `hosted_vllm/bench-model-${i}` },
    model_info: {
      mode: i % 10 === 0 ? 'embedding' : 'chat',
      litellm_provider: 'hosted_vllm',
      max_input_tokens: 8192 * (1 + (i % 4)),
      input_cost_per_token: 1e-7 * (1 + (i % 5)),
      output_cost_per_token: 2e-7 * (1 + (i % 5)),
      supports_function_calling: i % 2 === 0,
    },
  }));
}

/** A `Model` of the LiteMaaS API for a generated entry (the backend's mapping rules). */
function asLiteMaaSModel(entry) {
  const info = entry.model_info;
  const now = new Date().toISOString();
  return {
    id: entry.model_name,
    provider: info.litellm_provider,
    description: null,
    contextLength: info.max_input_tokens,
    inputCostPerToken: info.input_cost_per_token,
    outputCostPerToken: info.output_cost_per_token,
    capabilities: [
      ...(info.supports_function_calling ? ['function_calling'] : []),
      info.mode === 'embedding' ? 'embeddings' : 'chat',
    ],
    mode: info.mode,
    restricted: false,
    status: 'available',
    deprecated: false,
    replacementModelId: null,
    deprecationDate: null,
    ownerGroupRef: null,
    lastSyncedAt: now,
    createdAt: now,
    updatedAt: now,
  };
}

/** A stub of the two LiteMaaS routes the catalog module reads, on 127.0.0.1. */
async function startStub(state) {
  const server = http.createServer((req, res) => {
    const send = (status, body) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!req.headers.authorization?.startsWith('Bearer ')) {
      send(401, {
        error: { name: 'AuthenticationError', message: 'no token' },
      });
    } else if (req.url === '/api/litemaas/models') {
      state.reads++;
      send(200, {
        items: state.models.map(m => ({ ...m, subscription: null })),
        total: state.models.length,
      });
    } else if (req.url === '/api/litemaas/config') {
      send(200, { publicBaseUrl: emulatorUrl });
    } else {
      send(404, { error: { name: 'NotFoundError', message: req.url } });
    }
  });
  await new Promise(r => server.listen(0, '127.0.0.1', r));
  return { server, port: server.address().port };
}

/** Polls `read` every 100 ms until `done` or the timeout; answers the elapsed ms. */
async function waitFor(
  label,
  read,
  done,
  t0 = performance.now(),
  timeoutMs = TIMEOUT_MS,
) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    last = await read();
    if (done(last)) return performance.now() - t0;
    if (Date.now() > deadline) {
      throw new Error(
        `${label}: not done after ${timeoutMs / 1000} s (last: ${String(
          JSON.stringify(last),
        ).slice(0, 300)})`,
      );
    }
    await new Promise(r => setTimeout(r, 100));
  }
}

async function main() {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'litemaas-catalog-bench-'));
  const modelsFile = path.join(tmp, 'models.json');
  writeFileSync(modelsFile, JSON.stringify(generatedModels(MODELS)));
  const stubState = { models: [], reads: 0 };
  const stub = MODE === 'stub' ? await startStub(stubState) : undefined;
  const configFile = path.join(tmp, 'app-config.catalog-bench.yaml');
  writeFileSync(
    configFile,
    [
      'litemaas:',
      '  schedules:',
      '    modelSync:',
      '      frequency: { trigger: manual }',
      '      timeout: { minutes: 5 }',
      'catalog:',
      '  providers:',
      '    litemaas:',
      '      schedule:',
      `        frequency: { seconds: ${PROVIDER_SECONDS} }`,
      '        timeout: { minutes: 5 }',
      ...(stub
        ? [
            'discovery:',
            '  endpoints:',
            `    - target: http://127.0.0.1:${stub.port}/api/{{pluginId}}`,
            '      plugins: [litemaas]',
          ]
        : []),
      '',
    ].join('\n'),
  );

  await dropDatabases(PREFIX);
  const emulator = await startEmulator(EMULATOR_PORT, ['--models', modelsFile]);
  let backend;
  try {
    const started = Date.now();
    backend = await startBackend({
      port: BACKEND_PORT,
      prefix: PREFIX,
      emulatorUrl,
      configs: [configFile],
      // e.g. --cpu-prof --cpu-prof-dir=/tmp/prof, to see where the catalog's time goes.
      env: process.env.BENCH_BACKEND_NODE_OPTIONS
        ? { NODE_OPTIONS: process.env.BENCH_BACKEND_NODE_OPTIONS }
        : {},
    });
    console.log(`backend ready on PostgreSQL in ${Date.now() - started} ms`);

    const headers = await signInAsGuest(backendUrl);
    const aiModels = async () => {
      const r = await json(
        backendUrl,
        'GET',
        '/api/catalog/entities/by-query?filter=kind=resource,spec.type=ai-model&limit=1&fields=metadata.name',
        { headers },
      );
      if (r.status !== 200) throw new Error(`catalog: ${r.status}`);
      return r.body.totalItems;
    };
    const entity = async ref => {
      const r = await json(
        backendUrl,
        'GET',
        `/api/catalog/entities/by-name/${ref}`,
        { headers },
      );
      return r.status === 200 ? r.body : undefined;
    };

    // Before the sync the LiteMaaS database has no models; once the provider has run
    // the gateway entities exist and no model does.
    try {
      await waitFor(
        'gateway entity',
        () => entity('component/default/litemaas-gateway'),
        Boolean,
        performance.now(),
        (30 + 2 * PROVIDER_SECONDS) * 1000,
      );
    } catch (error) {
      throw new Error(
        'The catalog module never published its gateway entity: it cannot read ' +
          'GET /api/litemaas/models (does the route accept the catalog plugin service ' +
          `token?). ${error.message}`,
      );
    }
    if ((await aiModels()) !== 0) {
      throw new Error('models were synced before the benchmark started');
    }

    const backendCpu0 = cpuSeconds(backend.child.pid);
    const postgresCpu0 = postgresCpuSeconds();
    const t0 = performance.now();
    if (stub) {
      stubState.models = generatedModels(MODELS).map(asLiteMaaSModel);
    } else {
      const sync = await json(
        backendUrl,
        'POST',
        '/api/litemaas/admin/models/sync',
        { headers },
      );
      if (sync.status !== 200) {
        throw new Error(
          `model sync: ${sync.status} ${JSON.stringify(sync.body)}`,
        );
      }
    }
    const syncMs = performance.now() - t0;
    const firstMs = await waitFor('first model', aiModels, n => n > 0, t0);
    const allMs = await waitFor('all models', aiModels, n => n >= MODELS, t0);

    const ingest = {
      backend: cpuSeconds(backend.child.pid) - backendCpu0,
      postgres: postgresCpuSeconds() - postgresCpu0,
    };

    // Baseline: one model changes (an admin deprecates it, then un-deprecates it) until
    // its entity shows it; the median of CHANGES, since one change waits for up to three
    // 1 s polls (provider, processing, stitching) and so moves by a second between tries.
    const id = generatedModels(1)[0].model_name;
    const changeMs = [];
    for (let i = 0; i < CHANGES; i++) {
      const deprecated = i % 2 === 0;
      const t1 = performance.now();
      if (stub) {
        stubState.models = stubState.models.map(m =>
          m.id === id ? { ...m, deprecated } : m,
        );
      } else {
        const patch = await json(
          backendUrl,
          'PATCH',
          `/api/litemaas/admin/models/${encodeURIComponent(id)}`,
          { headers, body: { deprecated } },
        );
        if (patch.status !== 200) {
          throw new Error(
            `deprecate: ${patch.status} ${JSON.stringify(patch.body)}`,
          );
        }
      }
      changeMs.push(
        await waitFor(
          'one model change',
          async () => {
            const r = await json(
              backendUrl,
              'GET',
              `/api/catalog/entities/by-query?filter=metadata.annotations.litemaas.io/model-id=${encodeURIComponent(
                id,
              )}`,
              { headers },
            );
            return (
              r.body?.items?.[0]?.metadata?.annotations?.[
                'litemaas.io/deprecated'
              ] === 'true'
            );
          },
          v => v === deprecated,
          t1,
        ),
      );
    }
    const oneMs = percentiles(changeMs).p50;

    console.log(
      `\n${
        stub ? 'stubbed LiteMaaS API' : 'real LiteMaaS backend'
      }; catalog provider every ${PROVIDER_SECONDS} s; the sync of ${MODELS} models took ${fmt(
        syncMs,
      )} ms`,
    );
    console.log(
      `sync → first model entity readable:        ${fmt(firstMs).padStart(
        10,
      )} ms`,
    );
    console.log(
      `sync → all ${MODELS} model entities readable:  ${fmt(allMs).padStart(
        10,
      )} ms  (${fmt((MODELS / allMs) * 1000)} entities/s)`,
    );
    console.log(
      `CPU until all were readable: backend ${fmt(
        ingest.backend,
      )} s, PostgreSQL ${fmt(ingest.postgres)} s`,
    );
    console.log(
      `baseline: one model change → its entity:   ${fmt(oneMs).padStart(
        10,
      )} ms  (median of ${CHANGES}: ${changeMs
        .map(ms => fmt(ms))
        .join(', ')} ms)`,
    );
    console.log(
      `ratio all ${MODELS} / one change:             ${fmt(
        allMs / oneMs,
      ).padStart(10)} x`,
    );
  } finally {
    backend?.stop();
    emulator.stop();
    stub?.server.close();
    await new Promise(r => setTimeout(r, 1500));
    await dropDatabases(PREFIX).catch(() => {});
    rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
