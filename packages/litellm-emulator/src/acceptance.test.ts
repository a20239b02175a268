/*
 * Acceptance: the official `openai` client against keys minted through /key/generate.
 */
import OpenAI, { APIError } from 'openai';
import { startEmulator, RunningEmulator } from './index';
import { api, mintKey } from './__testUtils__/http';

function client(emu: RunningEmulator, apiKey: string): OpenAI {
  return new OpenAI({ apiKey, baseURL: `${emu.url}/v1`, maxRetries: 0 });
}

async function apiError(p: Promise<unknown>): Promise<APIError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof APIError) return e;
    throw e;
  }
  throw new Error('expected an APIError');
}

describe.each([
  ['[new] defaults', {}, { budget: 429, model: 403, expired: 401 }],
  [
    '[old] switches',
    {
      budgetExceededStatus: 400,
      modelNotAllowedStatus: 401,
      expiredKeyStatus: 400,
    } as const,
    { budget: 400, model: 401, expired: 400 },
  ],
])('openai client acceptance (%s)', (_name, behaviour, expected) => {
  let emu: RunningEmulator;

  beforeAll(async () => {
    emu = await startEmulator({
      port: 0,
      masterKey: `sk-master-${Date.now()}`,
      behaviour,
    });
  });
  afterAll(() => emu.close());
  beforeEach(() => emu.reset());

  it('lists models, completes a chat and streams', async () => {
    const { key } = await mintKey(emu, {
      models: ['gpt-4o-mini', 'ibm-granite/granite-3.1-8b-instruct'],
    });
    const openai = client(emu, key);

    const models = await openai.models.list();
    expect(models.data.map(m => m.id).sort()).toEqual([
      'gpt-4o-mini',
      'ibm-granite/granite-3.1-8b-instruct',
    ]);

    const completion = await openai.chat.completions.create({
      model: 'ibm-granite/granite-3.1-8b-instruct',
      messages: [{ role: 'user', content: 'Say hello' }],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0].message.role).toBe('assistant');
    expect(completion.choices[0].message.content).toMatch(/\w+/);
    expect(completion.usage!.total_tokens).toBe(
      completion.usage!.prompt_tokens + completion.usage!.completion_tokens,
    );

    const stream = await openai.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Stream please' }],
      stream: true,
      stream_options: { include_usage: true },
      mock_response: 'one two three four',
    } as any);
    let text = '';
    let usage: any;
    let finish: string | null = null;
    for await (const chunk of stream as any) {
      if (chunk.choices[0]?.delta?.content)
        text += chunk.choices[0].delta.content;
      if (chunk.choices[0]?.finish_reason)
        finish = chunk.choices[0].finish_reason;
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('one two three four');
    expect(finish).toBe('stop');
    expect(usage.completion_tokens).toBeGreaterThan(0);

    // Both calls were charged to the key and logged.
    const info = await api(
      emu,
      'GET',
      `/key/info?key=${encodeURIComponent(key)}`,
    );
    expect(info.body.info.spend).toBeGreaterThan(0);
    expect(emu.state.spendLogs.count).toBe(2);
  });

  it('embeds with the default base64 encoding of the client', async () => {
    const { key } = await mintKey(emu);
    const res = await client(emu, key).embeddings.create({
      model: 'text-embedding-3-small',
      input: ['alpha', 'beta'],
      dimensions: 64,
    });
    expect(res.data).toHaveLength(2);
    expect(res.data[0].embedding).toHaveLength(64);
    const norm = Math.sqrt(
      res.data[0].embedding.reduce((s, x) => s + x * x, 0),
    );
    expect(norm).toBeCloseTo(1, 3);
    expect(res.usage.prompt_tokens).toBeGreaterThan(0);
  });

  it('rejects a model outside the key list with LiteLLM status and shape', async () => {
    const { key } = await mintKey(emu, { models: ['gpt-4o-mini'] });
    const err = await apiError(
      client(emu, key).chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(err.status).toBe(expected.model);
    expect(err.error).toEqual({
      message:
        "key not allowed to access model. This key can only access models=['gpt-4o-mini']. Tried to access gpt-4o",
      type: 'key_model_access_denied',
      param: 'model',
      code: String(expected.model),
    });
  });

  it('rejects a key whose budget is exhausted', async () => {
    const { key } = await mintKey(emu, { max_budget: 0.00001 });
    const openai = client(emu, key);
    // First call passes (spend 0 < budget) and spends more than the budget.
    await openai.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x'.repeat(400) }],
    });
    const err = await apiError(
      openai.chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(err.status).toBe(expected.budget);
    expect((err.error as any).type).toBe('budget_exceeded');
    expect((err.error as any).message).toMatch(
      /^Budget has been exceeded! Current cost: [\d.e-]+, Max budget: 1e-05$/,
    );
  });

  it('rejects blocked and expired keys', async () => {
    const blocked = await mintKey(emu);
    expect(
      (await api(emu, 'POST', '/key/block', { key: blocked.key })).body.blocked,
    ).toBe(true);
    const e1 = await apiError(client(emu, blocked.key).models.list());
    expect(e1.status).toBe(401);
    expect((e1.error as any).message).toContain('Key is blocked');
    const e1b = await apiError(
      client(emu, blocked.key).chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(e1b.status).toBe(401);

    const expiring = await mintKey(emu, { duration: '1h' });
    await client(emu, expiring.key).models.list();
    emu.advanceClock(2 * 3600_000);
    const e2 = await apiError(
      client(emu, expiring.key).chat.completions.create({
        model: 'gpt-4o',
        messages: [{ role: 'user', content: 'x' }],
      }),
    );
    expect(e2.status).toBe(expected.expired);
    expect((e2.error as any).type).toBe('expired_key');
    expect((e2.error as any).message).toMatch(
      /^Authentication Error - Expired Key\. Key Expiry time /,
    );

    const unknown = await apiError(
      client(emu, `sk-${'Z'.repeat(22)}`).models.list(),
    );
    expect(unknown.status).toBe(401);
    expect((unknown.error as any).type).toBe('token_not_found_in_db');
  });
});
