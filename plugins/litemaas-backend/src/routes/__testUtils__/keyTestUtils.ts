import {
  coreServices,
  createServiceFactory,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import OpenAI from 'openai';
import { SubscriptionStore } from '../../database/SubscriptionStore';
import { LiteMaaSTestBackend } from '../../__testUtils__/testBackend';

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

function serialize(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v instanceof Error
      ? { name: v.name, message: v.message, stack: v.stack }
      : v,
  );
}

/** A root logger that keeps every line (message, metadata, child labels) in `lines`. */
export function capturingRootLogger(lines: string[]) {
  const make = (labels: Record<string, unknown>): RootLoggerService => {
    const log = (level: string) => (message: string, meta?: unknown) => {
      lines.push(serialize({ level, message, meta, labels }));
    };
    return {
      error: log('error'),
      warn: log('warn'),
      info: log('info'),
      debug: log('debug'),
      child: meta => make({ ...labels, ...meta }),
    };
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => make({}),
  });
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
    parts.push(serialize(rows));
  }
  return { tables, text: parts.join('\n') };
}

/** An OpenAI SDK client of the emulator's data plane, holding a virtual key. */
export function openai(backend: LiteMaaSTestBackend, secret: string): OpenAI {
  return new OpenAI({
    apiKey: secret,
    baseURL: `${backend.emulator.url}/v1`,
    maxRetries: 0,
    timeout: 5000,
  });
}

/** Resolves to the HTTP status of a chat completion with the key (200 on success). */
export async function chatStatus(
  backend: LiteMaaSTestBackend,
  secret: string,
  model: string,
): Promise<number> {
  try {
    const res = await openai(backend, secret).chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'ping' }],
    });
    return res.choices.length > 0 ? 200 : 500;
  } catch (error) {
    if (error instanceof OpenAI.APIError && error.status) return error.status;
    throw error;
  }
}

/** LiteLLM keys that LiteMaaS minted (the emulator may hold unrelated ones). */
export function managedLiteLLMKeys(backend: LiteMaaSTestBackend) {
  return [...backend.emulator.state.keys.values()].filter(
    k => k.metadata?.managed_by === 'litemaas-backstage',
  );
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
