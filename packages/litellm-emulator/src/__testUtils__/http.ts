import type { RunningEmulator } from '../server';

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** Minimal JSON client for tests: `key` defaults to the master key. */
export async function api<T = any>(
  emu: RunningEmulator,
  method: string,
  path: string,
  body?: unknown,
  key: string | null = emu.masterKey,
): Promise<ApiResult<T>> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
  };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${emu.url}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // keep text
  }
  return { status: res.status, body: parsed as T, headers: res.headers };
}

/** Mints a key through /key/generate and returns the raw key and its hash. */
export async function mintKey(
  emu: RunningEmulator,
  body: Record<string, unknown> = {},
): Promise<{ key: string; token: string; res: any }> {
  const r = await api(emu, 'POST', '/key/generate', body);
  if (r.status !== 200)
    throw new Error(
      `key/generate failed: ${r.status} ${JSON.stringify(r.body)}`,
    );
  return { key: r.body.key, token: r.body.token_id, res: r.body };
}

export async function chat(
  emu: RunningEmulator,
  key: string,
  model: string,
  extra: Record<string, unknown> = {},
): Promise<ApiResult> {
  return api(
    emu,
    'POST',
    '/v1/chat/completions',
    {
      model,
      messages: [{ role: 'user', content: 'Hello there, emulator!' }],
      ...extra,
    },
    key,
  );
}

export const today = (emu: RunningEmulator) =>
  emu.now().toISOString().slice(0, 10);
