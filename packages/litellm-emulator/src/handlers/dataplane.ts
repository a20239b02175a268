import { ADMIN_USER_ID, Ctx, Emulator, HANDLED } from '../emulator';
import { EmulatorHttpError, proxyError } from '../errors';
import type { ResolvedModel } from '../models';
import type { Caller } from '../types';
import { isoDate, prng, pyFloat, pyRepr, uuid } from '../util';

const MOCK_ERRORS: Record<string, number> = {
  RateLimitError: 429,
  InternalServerError: 500,
  BadRequestError: 400,
  AuthenticationError: 401,
  PermissionDeniedError: 403,
  NotFoundError: 404,
  Timeout: 408,
  APIConnectionError: 500,
  ServiceUnavailableError: 503,
  ContextWindowExceededError: 400,
  ContentPolicyViolationError: 400,
};

const DEFAULT_REPLY =
  'This is a mock response from the LiteLLM emulator. It returns canned text so that clients can be tested without a real model.';

interface Usage {
  prompt: number;
  completion: number;
}

function pyUtc(ms: number): string {
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 19)}`;
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map(p => {
        if (typeof p === 'string') return p;
        return typeof p?.text === 'string' ? p.text : '';
      })
      .join('');
  }
  return '';
}

function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/** Tokens of a chat prompt: chars/4 per message plus 4 tokens of overhead each. */
function promptTokens(messages: any[]): number {
  let tokens = 0;
  for (const m of messages)
    tokens += estimateTokens(textOf(m?.content).length) + 4;
  return Math.max(1, tokens);
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

const isSet = (v: number | null | undefined): v is number =>
  v !== null && v !== undefined;

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

export function registerDataPlaneRoutes(emu: Emulator): void {
  const st = emu.state;
  const beh = emu.behaviour;

  const budgetError = (message: string) =>
    proxyError(beh.budgetExceededStatus, message, 'budget_exceeded', null);

  /** Key budget (spend ≥ max_budget). */
  function checkKeyBudget(caller: Caller): void {
    const key = caller.key;
    if (!key || key.max_budget === null || key.max_budget === undefined) return;
    if (key.spend >= key.max_budget) {
      throw budgetError(
        `Budget has been exceeded! Current cost: ${pyFloat(
          key.spend,
        )}, Max budget: ${pyFloat(key.max_budget)}`,
      );
    }
  }

  function expand(list: string[], teamModels?: string[]): string[] | null {
    if (list.length === 0) return null;
    const out: string[] = [];
    for (const m of list) {
      if (m === 'all-proxy-models' || m === '*') return null;
      if (m === 'all-team-models') {
        if (!teamModels || teamModels.length === 0) return null;
        out.push(...teamModels);
      } else out.push(m);
    }
    return out;
  }

  function checkModelAccess(caller: Caller, model: string): void {
    const key = caller.key;
    if (!key) return;
    const team = key.team_id ? st.teams.get(key.team_id) : undefined;
    const status = beh.modelNotAllowedStatus;
    const keyAllowed = expand(key.models, team?.models);
    if (keyAllowed && !keyAllowed.includes(model)) {
      throw proxyError(
        status,
        `key not allowed to access model. This key can only access models=${pyRepr(
          key.models,
        )}. Tried to access ${model}`,
        'key_model_access_denied',
        'model',
      );
    }
    if (team) {
      const teamAllowed = expand(team.models);
      if (teamAllowed && !teamAllowed.includes(model)) {
        throw proxyError(
          status,
          `team not allowed to access model. This team can only access models=${pyRepr(
            team.models,
          )}. Tried to access ${model}`,
          'team_model_access_denied',
          'model',
        );
      }
    } else if (key.user_id) {
      const user = st.users.get(key.user_id);
      const userAllowed = user
        ? expand(user.models.filter(m => m !== 'no-default-models'))
        : null;
      if (userAllowed && !userAllowed.includes(model)) {
        throw proxyError(
          status,
          `user not allowed to access model. This user can only access models=${pyRepr(
            user!.models,
          )}. Tried to access ${model}`,
          'user_model_access_denied',
          'model',
        );
      }
    }
  }

  /** Team blocked/budget → team-member budget → (keys without a team) user budget. */
  function checkEntityBudgets(caller: Caller): void {
    const key = caller.key;
    if (!key) return;
    if (key.team_id) {
      const team = st.teams.get(key.team_id);
      if (!team) return;
      if (team.blocked) {
        throw proxyError(
          401,
          `Authentication Error - Team=${team.team_id} is blocked. Update via /team/unblock if you're an admin.`,
          'team_blocked',
          'None',
        );
      }
      if (team.max_budget !== null && team.spend >= team.max_budget) {
        throw budgetError(
          `Budget has been exceeded! Team=${
            team.team_id
          } Current cost: ${pyFloat(team.spend)}, Max budget: ${pyFloat(
            team.max_budget,
          )}`,
        );
      }
      if (key.user_id) {
        const m = st.membership(team.team_id, key.user_id);
        if (m) {
          const budget = m.budget_id
            ? st.budgets.get(m.budget_id)?.max_budget
            : team.team_member_budget_table?.max_budget;
          if (budget !== null && budget !== undefined && m.spend >= budget) {
            throw budgetError(
              `ExceededBudget: Crossed spend within team. UserID: ${
                key.user_id
              }, TeamID: ${team.team_id}, Spend=${pyFloat(
                m.spend,
              )}, Budget=${pyFloat(budget)}`,
            );
          }
        }
      }
      return;
    }
    if (key.user_id) {
      const user = st.users.get(key.user_id);
      if (user && user.max_budget !== null && user.spend > user.max_budget) {
        throw budgetError(
          `ExceededBudget: User=${user.user_id} over budget. Spend=${pyFloat(
            user.spend,
          )}, Budget=${pyFloat(user.max_budget)}`,
        );
      }
    }
  }

  interface Scope {
    id: string;
    label: string;
    rpm: number | null | undefined;
    tpm: number | null | undefined;
    parallel: number | null | undefined;
  }

  function scopesFor(caller: Caller, model: string): Scope[] {
    const key = caller.key;
    if (!key) return [];
    const scopes: Scope[] = [
      {
        id: `k:${key.token}`,
        label: `api_key: ${key.token}`,
        rpm: key.rpm_limit,
        tpm: key.tpm_limit,
        parallel: key.max_parallel_requests,
      },
    ];
    const mr = (key.metadata as any)?.model_rpm_limit?.[model];
    const mt = (key.metadata as any)?.model_tpm_limit?.[model];
    if (mr !== undefined || mt !== undefined) {
      scopes.push({
        id: `km:${key.token}:${model}`,
        label: `model_per_key: ${key.token}:${model}`,
        rpm: mr,
        tpm: mt,
        parallel: null,
      });
    }
    if (key.user_id) {
      const u = st.users.get(key.user_id);
      if (u)
        scopes.push({
          id: `u:${u.user_id}`,
          label: `user: ${u.user_id}`,
          rpm: u.rpm_limit,
          tpm: u.tpm_limit,
          parallel: u.max_parallel_requests,
        });
    }
    if (key.team_id) {
      const t = st.teams.get(key.team_id);
      if (t)
        scopes.push({
          id: `t:${t.team_id}`,
          label: `team: ${t.team_id}`,
          rpm: t.rpm_limit,
          tpm: t.tpm_limit,
          parallel: t.max_parallel_requests,
        });
    }
    return scopes.filter(
      s => isSet(s.rpm) || isSet(s.tpm) || isSet(s.parallel),
    );
  }

  /** Checks RPM/TPM/parallel limits (429) and reserves a request slot; returns the release. */
  function acquireRateLimits(scopes: Scope[]): () => void {
    if (scopes.length === 0) return () => {};
    const now = emu.now();
    const window = Math.floor(now / 60_000);
    const resetMs = (window + 1) * 60_000;
    const fail = (s: Scope, type: string, limit: number) => {
      const resetAt = pyUtc(resetMs);
      return proxyError(
        429,
        `Rate limit exceeded for ${s.label}. Limit type: ${type}. Current limit: ${limit}, Remaining: 0. Limit resets at: ${resetAt} UTC`,
        'None',
        'None',
        {
          'retry-after': String(Math.max(1, Math.ceil((resetMs - now) / 1000))),
          rate_limit_type: type,
          reset_at: resetAt,
        },
      );
    };
    for (const s of scopes) {
      let w = st.rateWindows.get(s.id);
      if (!w || w.window !== window) {
        w = { window, requests: 0, tokens: 0 };
        st.rateWindows.set(s.id, w);
      }
      if (isSet(s.parallel) && (st.inflight.get(s.id) ?? 0) >= s.parallel)
        throw fail(s, 'max_parallel_requests', s.parallel);
      if (isSet(s.rpm) && w.requests >= s.rpm) throw fail(s, 'requests', s.rpm);
      if (isSet(s.tpm) && w.tokens >= s.tpm) throw fail(s, 'tokens', s.tpm);
    }
    for (const s of scopes) {
      st.rateWindows.get(s.id)!.requests++;
      if (isSet(s.parallel))
        st.inflight.set(s.id, (st.inflight.get(s.id) ?? 0) + 1);
    }
    return () => {
      for (const s of scopes) {
        if (isSet(s.parallel))
          st.inflight.set(s.id, Math.max(0, (st.inflight.get(s.id) ?? 1) - 1));
      }
    };
  }

  function addTokens(scopes: Scope[], tokens: number): void {
    const window = Math.floor(emu.now() / 60_000);
    for (const s of scopes) {
      const w = st.rateWindows.get(s.id);
      if (w && w.window === window) w.tokens += tokens;
    }
  }

  interface CallRecord {
    caller: Caller;
    modelName: string;
    model: ResolvedModel | undefined;
    ok: boolean;
    usage: Usage;
    spend: number;
    startMs: number;
    endpoint: string;
    callType: string;
    requestId: string;
    endUser: string | null;
    ip: string | null;
    errorCode?: number;
    errorMessage?: string;
  }

  /** Records one request, success or failure: spend log, daily rows, key/user/team totals. */
  function record(r: CallRecord): void {
    const key = r.caller.key;
    const userId = key ? key.user_id : ADMIN_USER_ID;
    const teamId = key ? key.team_id : null;
    const team = teamId ? st.teams.get(teamId) : undefined;
    const token = r.caller.token;
    const end = emu.now();
    const provider = r.model?.provider ?? null;
    st.spendLogs.append({
      requestId: r.requestId,
      callType: r.callType,
      apiKey: token,
      keyAlias: key?.key_alias ?? null,
      spend: r.spend,
      promptTokens: r.usage.prompt,
      completionTokens: r.usage.completion,
      startMs: r.startMs,
      endMs: Math.max(end, r.startMs),
      model: r.model
        ? String(r.model.info.litellm_params.model ?? r.modelName)
        : r.modelName,
      modelId: r.model?.id ?? null,
      modelGroup: r.modelName,
      provider,
      apiBase:
        (r.model?.info.litellm_params.api_base as string | undefined) ?? null,
      user: userId,
      endUser: r.endUser,
      teamId,
      teamAlias: team?.team_alias ?? null,
      status: r.ok ? 'success' : 'failure',
      errorCode: r.errorCode,
      errorMessage: r.errorMessage,
      requesterIp: r.ip,
    });
    const date = isoDate(r.startMs);
    const ok = r.ok ? 1 : 0;
    st.dailyUser.add(
      userId,
      date,
      token,
      r.modelName,
      provider,
      r.endpoint,
      r.usage.prompt,
      r.usage.completion,
      r.spend,
      ok,
      1 - ok,
    );
    st.dailyTeam.add(
      teamId,
      date,
      token,
      r.modelName,
      provider,
      r.endpoint,
      r.usage.prompt,
      r.usage.completion,
      r.spend,
      ok,
      1 - ok,
    );
    if (r.spend > 0) {
      const apply = () =>
        st.applySpendTotals(token, userId, teamId, r.modelName, r.spend, end);
      if (beh.spendWriteLagMs > 0)
        setTimeout(apply, beh.spendWriteLagMs).unref?.();
      else apply();
    }
  }

  function mockException(
    model: string,
    provider: string,
    mock: unknown,
  ): EmulatorHttpError | undefined {
    if (typeof mock !== 'string' || !mock.startsWith('litellm.'))
      return undefined;
    const name = mock.slice('litellm.'.length);
    const status = MOCK_ERRORS[name];
    if (!status) return undefined;
    return proxyError(
      status,
      `litellm.${name}: ${name}: ${provider}Exception - This is a mock exception for model=${model}, to trigger a ${name}.`,
      'None',
      'None',
    );
  }

  async function serve(ctx: Ctx, kind: 'chat' | 'embedding'): Promise<unknown> {
    const caller = ctx.caller;
    const body = ctx.body ?? {};
    const endpoint = kind === 'chat' ? '/chat/completions' : '/embeddings';
    const callType = kind === 'chat' ? 'acompletion' : 'aembedding';
    const requestId = uuid();
    const startMs = emu.now();
    const modelName: string = typeof body.model === 'string' ? body.model : '';
    let model: ResolvedModel | undefined;
    let scopes: Scope[] = [];
    let release: (() => void) | undefined;
    const endUser = typeof body.user === 'string' ? body.user : null;
    const ip = ctx.req.socket.remoteAddress ?? null;
    const base = {
      caller,
      modelName,
      endpoint,
      callType,
      requestId,
      endUser,
      ip,
      startMs,
    };
    let usage: Usage = { prompt: 0, completion: 0 };
    try {
      emu.checkKeyUsable(caller);
      checkKeyBudget(caller);
      if (!modelName) {
        throw proxyError(
          400,
          `${endpoint}: Invalid model name passed in model=None. Call \`/v1/models\` to view available models for your key.`,
          'None',
          'None',
        );
      }
      checkModelAccess(caller, modelName);
      model = st.modelsByName.get(modelName);
      if (!model) {
        throw proxyError(
          400,
          `${endpoint}: Invalid model name passed in model=${modelName}. Call \`/v1/models\` to view available models for your key.`,
          'None',
          'None',
        );
      }
      checkEntityBudgets(caller);
      scopes = scopesFor(caller, modelName);
      release = acquireRateLimits(scopes);
      const mockErr = mockException(
        modelName,
        model.provider,
        body.mock_response,
      );
      if (mockErr) throw mockErr;

      if (kind === 'embedding') {
        if (model.mode !== 'embedding') {
          throw proxyError(
            400,
            `litellm.BadRequestError: ${model.provider}Exception - model=${modelName} does not support embeddings.`,
            'None',
            'None',
          );
        }
        const inputs: unknown[] =
          Array.isArray(body.input) &&
          (body.input.length === 0 || typeof body.input[0] !== 'number')
            ? body.input
            : [body.input];
        if (body.input === undefined || body.input === null) {
          throw proxyError(
            400,
            'litellm.BadRequestError: Missing required parameter: input',
            'None',
            'None',
          );
        }
        let tokens = 0;
        for (const inp of inputs)
          tokens += Array.isArray(inp)
            ? inp.length
            : estimateTokens(String(inp ?? '').length);
        usage = { prompt: Math.max(1, tokens), completion: 0 };
        const dims =
          Number.isInteger(body.dimensions) && body.dimensions > 0
            ? body.dimensions
            : model.vectorSize;
        const base64 = body.encoding_format === 'base64';
        const data = inputs.map((inp, index) => {
          const rnd = prng(hashString(`${modelName}|${JSON.stringify(inp)}`));
          const vec = new Float32Array(dims);
          let norm = 0;
          for (let i = 0; i < dims; i++) {
            vec[i] = rnd() * 2 - 1;
            norm += vec[i] * vec[i];
          }
          norm = Math.sqrt(norm) || 1;
          for (let i = 0; i < dims; i++) vec[i] /= norm;
          return {
            object: 'embedding',
            index,
            embedding: base64
              ? Buffer.from(vec.buffer).toString('base64')
              : Array.from(vec),
          };
        });
        const spend = usage.prompt * model.inputCost;
        record({ ...base, model, ok: true, usage, spend });
        addTokens(scopes, usage.prompt);
        emu.sendJson(
          ctx.res,
          200,
          {
            object: 'list',
            data,
            model: modelName,
            usage: { prompt_tokens: usage.prompt, total_tokens: usage.prompt },
          },
          responseHeaders(caller, model, requestId, spend, ctx.startedAt),
        );
        return HANDLED;
      }

      if (model.mode === 'embedding') {
        throw proxyError(
          400,
          `litellm.BadRequestError: ${model.provider}Exception - model=${modelName} is an embedding model and does not support /chat/completions.`,
          'None',
          'None',
        );
      }
      const messages = body.messages;
      if (!Array.isArray(messages) || messages.length === 0) {
        throw proxyError(
          400,
          'litellm.BadRequestError: Missing required parameter: messages',
          'None',
          'None',
        );
      }
      let content: string =
        typeof body.mock_response === 'string'
          ? body.mock_response
          : model.mockResponse ?? DEFAULT_REPLY;
      let finish = 'stop';
      const prompt = beh.usage === 'fixed' ? 10 : promptTokens(messages);
      if (model.maxInputTokens && prompt > model.maxInputTokens) {
        throw proxyError(
          400,
          `litellm.ContextWindowExceededError: litellm.BadRequestError: ${model.provider}Exception - This model's maximum context length is ${model.maxInputTokens} tokens. However, your messages resulted in ${prompt} tokens.`,
          'None',
          'None',
        );
      }
      const maxTokens = Number(body.max_completion_tokens ?? body.max_tokens);
      if (
        Number.isInteger(maxTokens) &&
        maxTokens > 0 &&
        estimateTokens(content.length) > maxTokens
      ) {
        content = content.slice(0, maxTokens * 4);
        finish = 'length';
      }
      const completion =
        beh.usage === 'fixed'
          ? 20
          : Math.max(1, estimateTokens(content.length));
      usage = { prompt, completion };
      const spend = prompt * model.inputCost + completion * model.outputCost;
      const created = Math.floor(emu.now() / 1000);
      const id = `chatcmpl-${requestId}`;
      const usageObj = {
        prompt_tokens: prompt,
        completion_tokens: completion,
        total_tokens: prompt + completion,
        completion_tokens_details: null,
        prompt_tokens_details: null,
      };
      const headers = responseHeaders(
        caller,
        model,
        requestId,
        spend,
        ctx.startedAt,
      );

      if (body.stream === true) {
        const res = ctx.res;
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          ...headers,
        });
        const chunk = (
          delta: Record<string, unknown>,
          finishReason: string | null,
        ) =>
          `data: ${JSON.stringify({
            id,
            object: 'chat.completion.chunk',
            created,
            model: modelName,
            system_fingerprint: null,
            choices: [
              { index: 0, delta, finish_reason: finishReason, logprobs: null },
            ],
          })}\n\n`;
        const pieces = content.match(/\S+\s*|\s+/g) ?? [''];
        res.write(chunk({ role: 'assistant', content: '' }, null));
        for (const piece of pieces) {
          if (beh.streamChunkDelayMs > 0) await sleep(beh.streamChunkDelayMs);
          if (res.destroyed) break;
          res.write(chunk({ content: piece }, null));
        }
        res.write(chunk({}, finish));
        if (body.stream_options?.include_usage) {
          res.write(
            `data: ${JSON.stringify({
              id,
              object: 'chat.completion.chunk',
              created,
              model: modelName,
              system_fingerprint: null,
              choices: [],
              usage: usageObj,
            })}\n\n`,
          );
        }
        res.end('data: [DONE]\n\n');
        record({ ...base, model, ok: true, usage, spend });
        addTokens(scopes, prompt + completion);
        return HANDLED;
      }

      record({ ...base, model, ok: true, usage, spend });
      addTokens(scopes, prompt + completion);
      emu.sendJson(
        ctx.res,
        200,
        {
          id,
          object: 'chat.completion',
          created,
          model: modelName,
          system_fingerprint: null,
          choices: [
            {
              index: 0,
              finish_reason: finish,
              message: {
                role: 'assistant',
                content,
                tool_calls: null,
                function_call: null,
              },
            },
          ],
          usage: usageObj,
        },
        headers,
      );
      return HANDLED;
    } catch (e) {
      const status = e instanceof EmulatorHttpError ? e.status : 500;
      record({
        ...base,
        model,
        ok: false,
        usage: { prompt: 0, completion: 0 },
        spend: 0,
        errorCode: status,
        errorMessage: e instanceof Error ? e.message : String(e),
      });
      throw e;
    } finally {
      release?.();
    }
  }

  function responseHeaders(
    caller: Caller,
    model: ResolvedModel,
    requestId: string,
    spend: number,
    startedAt: number,
  ): Record<string, string> {
    const h: Record<string, string> = {
      'x-litellm-call-id': requestId,
      'x-litellm-model-id': model.id,
      'x-litellm-model-group': model.name,
      'x-litellm-response-cost': String(spend),
      'x-litellm-response-duration-ms': String(Date.now() - startedAt),
    };
    const api = model.info.litellm_params.api_base;
    if (typeof api === 'string') h['x-litellm-model-api-base'] = api;
    if (caller.key) {
      h['x-litellm-key-spend'] = String(caller.key.spend);
      if (caller.key.max_budget !== null)
        h['x-litellm-key-max-budget'] = String(caller.key.max_budget);
      if (caller.key.rpm_limit !== null) {
        const w = st.rateWindows.get(`k:${caller.key.token}`);
        h['x-ratelimit-limit-requests'] = String(caller.key.rpm_limit);
        h['x-ratelimit-remaining-requests'] = String(
          Math.max(0, caller.key.rpm_limit - (w?.requests ?? 0)),
        );
      }
      if (caller.key.tpm_limit !== null) {
        const w = st.rateWindows.get(`k:${caller.key.token}`);
        h['x-ratelimit-limit-tokens'] = String(caller.key.tpm_limit);
        h['x-ratelimit-remaining-tokens'] = String(
          Math.max(0, caller.key.tpm_limit - (w?.tokens ?? 0)),
        );
      }
    }
    return h;
  }

  emu.route(
    'POST',
    [
      '/v1/chat/completions',
      '/chat/completions',
      '/engines/{model}/chat/completions',
      '/openai/deployments/{model}/chat/completions',
    ],
    'key',
    ctx => {
      if (ctx.params.model && ctx.body && !ctx.body.model)
        ctx.body.model = ctx.params.model;
      return serve(ctx, 'chat');
    },
    { dataPlane: true },
  );
  emu.route(
    'POST',
    ['/v1/embeddings', '/embeddings'],
    'key',
    ctx => serve(ctx, 'embedding'),
    { dataPlane: true },
  );
}
