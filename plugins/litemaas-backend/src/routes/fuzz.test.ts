import fc from 'fast-check';
import request from 'supertest';
import { spec } from '../schema/openapi/generated/router';
import {
  ALICE,
  BOB,
  createTestDatabases,
  LiteMaaSTestBackend,
  MALLORY,
  startLiteMaaSTestBackend,
} from '../testUtils';

/*
 * Property-based tests over every operation of the OpenAPI spec: requests are generated
 * from each operation's parameter and body schemas (valid values, edge values and
 * arbitrary JSON mixed), sent through the real backend on one database, and checked for
 *   - no 5xx, ever;
 *   - no state change on a 4xx: the LiteMaaS tables and the emulator's (LiteLLM's) state
 *     are identical before and after.
 * Runs per operation: LITEMAAS_FUZZ_RUNS (default 5, about 20 s in all); e.g.
 * `LITEMAAS_FUZZ_RUNS=500 yarn backstage-cli repo test plugins/litemaas-backend/src/routes/fuzz.test.ts`
 * for a long run. LITEMAAS_FUZZ_SEED replays a failure's seed.
 */

const RUNS = Number(process.env.LITEMAAS_FUZZ_RUNS ?? 5);
const SEED = process.env.LITEMAAS_FUZZ_SEED
  ? Number(process.env.LITEMAAS_FUZZ_SEED)
  : undefined;

jest.setTimeout(Math.max(120_000, RUNS * 60 * 400));

type Schema = Record<string, any>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
const doc = spec as Record<string, any>;

function resolve<T = Schema>(node: any): T {
  let current = node;
  while (current && typeof current.$ref === 'string') {
    current = current.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce((acc: any, part: string) => acc[part], doc);
  }
  return current;
}

/** Strings that tend to break parsers, SQL, path handling and number coercion. */
const NASTY_STRINGS = [
  '',
  ' ',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  'undefined',
  'true',
  '[]',
  '{}',
  '%',
  '%00',
  '\u0000',
  "'; drop table keys; --",
  '../../etc/passwd',
  'user:default/alice',
  'group:default/payments',
  'user:default/',
  ':/',
  '2026-02-30',
  '9999-12-31',
  '0000-01-01',
  '00000000-0000-0000-0000-000000000000',
  'a'.repeat(300),
  '😀'.repeat(20),
  '__proto__',
  'constructor',
];

const nastyString = fc.constantFrom(...NASTY_STRINGS);
const anyJson = fc.jsonValue({ maxDepth: 2 });

/** A value that conforms to the schema (as far as the generator knows formats). */
function validArb(node: any, depth = 0): fc.Arbitrary<unknown> {
  const schema = resolve(node) ?? {};
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.oneOf || schema.anyOf) {
    const options = (schema.oneOf ?? schema.anyOf) as any[];
    return fc.oneof(...options.map(o => validArb(o, depth + 1)));
  }
  if (schema.allOf) {
    return fc
      .tuple(...(schema.allOf as any[]).map(o => validArb(o, depth + 1)))
      .map(parts =>
        Object.assign(
          {},
          ...parts.filter(p => p && typeof p === 'object' && !Array.isArray(p)),
        ),
      );
  }
  const type = Array.isArray(schema.type)
    ? schema.type.find((t: string) => t !== 'null')
    : schema.type;
  const nullable =
    schema.nullable ||
    (Array.isArray(schema.type) && schema.type.includes('null'));
  const base = baseArb(schema, type, depth);
  return nullable ? fc.option(base, { nil: null }) : base;
}

function baseArb(schema: Schema, type: string | undefined, depth: number) {
  switch (type) {
    case 'integer':
    case 'number': {
      const min =
        schema.minimum ??
        (schema.exclusiveMinimum !== undefined
          ? schema.exclusiveMinimum + 1
          : -1e6);
      const max = schema.maximum ?? 1e9;
      return type === 'integer'
        ? fc.integer({
            min: Math.ceil(min),
            max: Math.floor(Math.min(max, 2 ** 31 - 1)),
          })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(validArb(schema.items ?? {}, depth + 1), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'object': {
      if (depth > 4) return fc.constant({});
      const props = (schema.properties ?? {}) as Record<string, any>;
      const required = new Set<string>(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, prop] of Object.entries(props)) {
        record[name] = validArb(prop, depth + 1);
      }
      return fc.record(record, {
        requiredKeys: Object.keys(props).filter(k => required.has(k)),
      });
    }
    case 'string':
    default:
      return stringArb(schema);
  }
}

function stringArb(schema: Schema): fc.Arbitrary<unknown> {
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date':
      return fc
        .date({
          min: new Date('2020-01-01'),
          max: new Date('2030-12-31'),
          noInvalidDate: true,
        })
        .map(d => d.toISOString().slice(0, 10));
    case 'date-time':
      return fc
        .date({
          min: new Date('2020-01-01'),
          max: new Date('2030-12-31'),
          noInvalidDate: true,
        })
        .map(d => d.toISOString());
    default:
  }
  if (schema.pattern) {
    return fc
      .stringMatching(new RegExp(schema.pattern))
      .filter(s => s.length <= (schema.maxLength ?? 255));
  }
  return fc.string({
    minLength: schema.minLength ?? 0,
    maxLength: Math.min(schema.maxLength ?? 40, 40),
  });
}

/** Valid values most of the time, otherwise something wrong of the same or another type. */
function fuzzArb(node: any): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 5, arbitrary: validArb(node) },
    { weight: 1, arbitrary: nastyString },
    { weight: 1, arbitrary: anyJson },
  );
}

/** A body: valid, valid with one property broken, or arbitrary JSON. */
function bodyArb(node: any): fc.Arbitrary<unknown> {
  const schema = resolve(node) ?? {};
  const props = Object.keys(schema.properties ?? {});
  const valid = validArb(schema);
  const arbs: Array<{ weight: number; arbitrary: fc.Arbitrary<unknown> }> = [
    { weight: 4, arbitrary: valid },
    { weight: 1, arbitrary: anyJson },
  ];
  if (props.length > 0) {
    arbs.push({
      weight: 3,
      arbitrary: fc
        .tuple(valid, fc.constantFrom(...props), fc.oneof(nastyString, anyJson))
        .map(([v, prop, bad]) => ({ ...(v as object), [prop]: bad })),
    });
  }
  return fc.oneof(...arbs);
}

interface Operation {
  method: (typeof METHODS)[number];
  path: string;
  operationId: string;
  params: Array<{ name: string; in: string; required?: boolean; schema: any }>;
  body?: any;
}

function operations(): Operation[] {
  const result: Operation[] = [];
  for (const [path, item] of Object.entries<any>(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map(
        p => resolve<any>(p),
      );
      const body = op.requestBody
        ? resolve<any>(op.requestBody).content?.['application/json']?.schema
        : undefined;
      result.push({ method, path, operationId: op.operationId, params, body });
    }
  }
  return result;
}

interface FuzzRequest {
  as: string;
  path: string;
  query: Record<string, unknown>;
  headers: Record<string, string>;
  body?: unknown;
}

describe('fuzzing every route from its request schema', () => {
  const databases = createTestDatabases();
  // One backend for every route: PostgreSQL when there is one (its types are the
  // strictest), else SQLite.
  const [[databaseId]] = databases.eachSupportedId();
  let backend: LiteMaaSTestBackend;
  /** Ids that exist, so generated requests reach past "not found" now and then. */
  const known: Record<string, string[]> = { uuid: [], model: [], ref: [] };

  beforeAll(async () => {
    backend = await startLiteMaaSTestBackend({
      databases,
      databaseId,
      // Reveal links configured, so /reveal answers from its input, not "not configured".
      config: {
        reveal: { encryptionKey: 'fuzz-reveal-passphrase-0123456789' },
      },
    });
    const call = (
      method: 'get' | 'post',
      path: string,
      as: string,
      body?: object,
    ) =>
      request(backend.server)
        [method](`/api/litemaas${path}`)
        .set('Authorization', backend.as(as))
        .send(body);
    await call('post', '/admin/models/sync', ALICE, {});
    const models = await call('get', '/models', BOB);
    const modelIds: string[] = (models.body.items ?? []).map((m: any) => m.id);
    known.model.push(...modelIds.slice(0, 3));
    const sub = await call('post', '/subscriptions', BOB, {
      modelId: modelIds[0],
    });
    if (sub.body?.id) known.uuid.push(sub.body.id);
    const key = await call('post', '/keys', BOB, {
      name: 'fuzz seed',
      models: modelIds.slice(0, 1),
    });
    if (key.body?.id) known.uuid.push(key.body.id);
    known.ref.push(ALICE, BOB, 'group:default/payments');
    // A caller's first key request provisions them in LiteMaaS and LiteLLM
    // (UserService.ensure, by design, whatever the answer is): make that first visit
    // before fuzzing, so the property sees only what a request itself changes.
    for (const who of [ALICE, BOB, MALLORY]) {
      await call('post', '/keys', who, {
        name: 'first visit',
        models: ['none'],
      });
    }
  });

  afterAll(async () => {
    await backend?.stop();
  });

  async function tableNames(): Promise<string[]> {
    const knex = backend.knex;
    if (knex.client.config.client === 'pg') {
      const rows = await knex
        .select('tablename')
        .from('pg_tables')
        .whereRaw('schemaname = current_schema()');
      return rows.map((r: any) => r.tablename as string);
    }
    const rows = await knex
      .select('name')
      .from('sqlite_master')
      .where('type', 'table')
      .andWhereNot('name', 'like', 'sqlite_%');
    return rows.map((r: any) => r.name as string);
  }

  async function snapshot(tables: string[]): Promise<Record<string, string>> {
    const data: Record<string, string> = {};
    await Promise.all(
      tables.map(async table => {
        data[table] = JSON.stringify(
          await backend.knex(table).select().orderByRaw('1'),
        );
      }),
    );
    const s = backend.emulator.state;
    data.litellm = JSON.stringify(
      [s.keys, s.deletedKeys, s.users, s.teams, s.memberships, s.budgets].map(
        m => [...m.entries()],
      ),
    );
    return data;
  }

  /**
   * The audit trail records refused and failed attempts by design: a 4xx may append entries
   * whose outcome is `denied` or `failure`, and change nothing else.
   */
  function onlyRecordsRefusals(before: string, after: string): boolean {
    const rowsBefore: any[] = JSON.parse(before);
    const rowsAfter: any[] = JSON.parse(after);
    if (
      rowsAfter.length <= rowsBefore.length ||
      !('outcome' in (rowsAfter[0] ?? {}))
    ) {
      return false;
    }
    const kept = JSON.stringify(rowsAfter.slice(0, rowsBefore.length));
    return (
      kept === before &&
      rowsAfter.slice(rowsBefore.length).every(r => r.outcome !== 'success')
    );
  }

  function requestArb(op: Operation): fc.Arbitrary<FuzzRequest> {
    const pathParams = op.params.filter(p => p.in === 'path');
    const queryParams = op.params.filter(p => p.in === 'query');
    const headerParams = op.params.filter(p => p.in === 'header');
    const pathValue = (p: Operation['params'][number]) => {
      const schema = resolve<any>(p.schema);
      let pool = known.model;
      if (schema.format === 'uuid') pool = known.uuid;
      else if (p.name === 'ref') pool = known.ref;
      return fc.oneof(
        { weight: 3, arbitrary: fuzzArb(p.schema).map(v => String(v)) },
        {
          weight: 2,
          arbitrary: pool.length ? fc.constantFrom(...pool) : fc.constant('x'),
        },
      );
    };
    return fc.record({
      as: fc.constantFrom(ALICE, BOB, MALLORY),
      path: fc
        .tuple(...pathParams.map(pathValue))
        .map(values =>
          pathParams.reduce(
            (path, p, i) =>
              path.replace(`{${p.name}}`, encodeURIComponent(values[i] || '_')),
            op.path,
          ),
        ),
      query: fc.record(
        Object.fromEntries(queryParams.map(p => [p.name, fuzzArb(p.schema)])),
        { requiredKeys: [] },
      ),
      headers: fc.record(
        Object.fromEntries(
          headerParams.map(p => [
            p.name,
            fc
              .oneof(fc.string({ minLength: 1, maxLength: 40 }), nastyString)
              .filter(
                // What an HTTP client can send at all.
                v => v.length > 0 && /^[\x20-\x7e]*$/.test(v) && v.trim() === v,
              ),
          ]),
        ),
        { requiredKeys: [] },
      ) as fc.Arbitrary<Record<string, string>>,
      body: op.body ? bodyArb(op.body) : fc.constant(undefined),
    });
  }

  function send(op: Operation, r: FuzzRequest) {
    const query = Object.fromEntries(
      Object.entries(r.query).map(([k, v]) => [
        k,
        typeof v === 'string' ? v : JSON.stringify(v),
      ]),
    );
    let req = request(backend.server)
      [op.method](`/api/litemaas${r.path}`)
      .query(query)
      .set('Authorization', backend.as(r.as));
    for (const [name, value] of Object.entries(r.headers))
      req = req.set(name, value);
    if (r.body !== undefined) {
      req = req
        .set('Content-Type', 'application/json')
        .send(JSON.stringify(r.body));
    }
    return req;
  }

  const ops = operations();

  // Found by this fuzzer: PostgreSQL refuses NUL in text, and GET /models?provider=%00
  // answered 500.
  it('refuses a NUL character in any text input with a 400', async () => {
    const models = await request(backend.server)
      .get('/api/litemaas/models')
      .query({ provider: 'open\u0000ai' })
      .set('Authorization', backend.as(BOB));
    expect(models.status).toBe(400);
    expect(models.body.error.message).toBe(
      'Invalid model query: provider: must not contain a NUL character',
    );
    const before = await snapshot(await tableNames());
    const key = await request(backend.server)
      .post('/api/litemaas/keys')
      .set('Authorization', backend.as(BOB))
      .send({ name: 'a\u0000b', models: known.model.slice(0, 1) });
    expect(key.status).toBe(400);
    expect(key.body.error.message).toMatch(/name: must not contain a NUL/);
    expect(await snapshot(await tableNames())).toEqual(before);
  });

  it('covers every operation of the spec', () => {
    expect(ops.length).toBeGreaterThan(30);
    expect(new Set(ops.map(o => o.operationId)).size).toBe(ops.length);
  });

  it.each(
    ops.map(op => [`${op.method.toUpperCase()} ${op.path}`, op] as const),
  )('%s: never a 5xx, and a 4xx changes nothing', async (_name, op) => {
    const tables = await tableNames();
    let unchanged: Record<string, string> | undefined;
    await fc.assert(
      fc.asyncProperty(requestArb(op), async r => {
        // The state after a refused request is the state before the next one.
        const before = unchanged ?? (await snapshot(tables));
        unchanged = undefined;
        const res = await send(op, r);
        if (res.status >= 500) {
          throw new Error(
            `${op.method.toUpperCase()} ${r.path} answered ${
              res.status
            }: ${JSON.stringify(res.body)}`,
          );
        }
        if (res.status >= 400) {
          if (!res.body?.error?.message) {
            throw new Error(
              `${op.method.toUpperCase()} ${r.path} answered ${
                res.status
              } without a message`,
            );
          }
          const after = await snapshot(tables);
          const changed = Object.keys(after).filter(
            t =>
              after[t] !== before[t] &&
              !onlyRecordsRefusals(before[t], after[t]),
          );
          if (changed.length > 0) {
            throw new Error(
              `${op.method.toUpperCase()} ${r.path} answered ${
                res.status
              } but changed ${changed
                .map(t => `${t}: ${before[t]} -> ${after[t]}`)
                .join('; ')}`,
            );
          }
          unchanged = after;
        }
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: false },
    );
  });
});
