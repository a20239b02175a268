import { Knex } from 'knex';
import request from 'supertest';
import { SubscriptionStore } from '../../database/SubscriptionStore';
import type { LiteMaaSTestBackend } from '../../testUtils';

/** Gives subjects active subscriptions (the subscription routes are built elsewhere). */
export async function subscribe(
  knex: Knex,
  subjectRef: string,
  modelIds: string[],
): Promise<void> {
  const store = new SubscriptionStore(knex);
  for (const modelId of modelIds) {
    await store.createOrGet({
      subjectRef,
      modelId,
      status: 'active',
      createdBy: subjectRef,
    });
  }
}

/** Every row of every table of the database, serialized. */
export async function dumpDatabase(
  knex: Knex,
): Promise<{ tables: Record<string, number>; text: string }> {
  const client = String(knex.client.config.client);
  let names: string[];
  if (client.includes('sqlite')) {
    const rows = await knex('sqlite_master')
      .where({ type: 'table' })
      .select('name');
    names = rows.map(r => r.name);
  } else {
    const rows = await knex('pg_tables')
      .whereRaw('schemaname = current_schema()')
      .select('tablename');
    names = rows.map(r => r.tablename);
  }
  const tables: Record<string, number> = {};
  const parts: string[] = [];
  for (const name of names) {
    const rows = await knex(name).select('*');
    tables[name] = rows.length;
    parts.push(JSON.stringify(rows));
  }
  return { tables, text: parts.join('\n') };
}

/** Key rows that should have a LiteLLM key: pending, active or blocked. */
export async function liveKeyRows(backend: LiteMaaSTestBackend) {
  return backend
    .knex('litemaas_keys')
    .whereIn('status', ['pending', 'active', 'blocked'])
    .select('id', 'status', 'litellm_key_hash', 'litellm_alias');
}

export const sleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));

/** Polls until `done()` holds (e.g. a late LiteLLM call has taken effect). */
export async function eventually(
  done: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`never happened: ${what}`);
    await sleep(50);
  }
}

/** One request to the LiteMaaS API of a test backend, as a signed-in user. */
export function call(
  b: LiteMaaSTestBackend,
  method: 'get' | 'post' | 'patch' | 'delete',
  path: string,
  as: string,
  body?: object,
) {
  const req = request(b.server)
    [method](`/api/litemaas${path}`)
    .set('Authorization', b.as(as));
  return body === undefined ? req : req.send(body);
}

/**
 * `litemaas.litellm.retry` for the fault tests: reads are still retried, as in
 * production, with waits of 10-40 ms; the backoff's length changes no outcome, only how
 * long a cell with LiteLLM down or slow takes.
 */
export const SHORT_RETRY_WAITS = { baseDelayMs: 10, maxDelayMs: 40 };
