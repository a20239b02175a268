import type { IncomingMessage, ServerResponse } from 'node:http';
import { EmulatorHttpError, proxyError, validationError } from './errors';
import { EmulatorState } from './state';
import type { ResolvedModel } from './models';
import {
  Caller,
  DEFAULT_BEHAVIOUR,
  EmulatorBehaviour,
  FaultSpec,
  KeyRow,
} from './types';
import {
  addDuration,
  iso,
  maskKey,
  parseUtcDate,
  sha256Hex,
  toTokenHash,
} from './util';

export const LITELLM_VERSION = '1.80.0-emulator';
export const ADMIN_USER_ID = 'default_user_id';
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
  caller: Caller;
  params: Record<string, string>;
  startedAt: number;
}

export type Handler = (ctx: Ctx) => unknown | Promise<unknown>;

interface Route {
  handler: Handler;
  /** Who may call it: public (no key), any valid key, or the master key only. */
  access: 'public' | 'key' | 'admin';
  /** Data-plane routes do their own key checks (they record failures as spend). */
  dataPlane?: boolean;
}

const PUBLIC_CALLER: Caller = {
  isAdmin: false,
  token: '',
  key: null,
  userId: null,
  rawKey: '',
};

/** Marker: the handler already wrote the response. */
export const HANDLED = Symbol('handled');

const realSleep = (ms: number) =>
  new Promise(resolve => setTimeout(resolve, ms));

/**
 * The emulator core: routing, auth, faults, clock and error rendering. Handlers live in
 * `handlers/*` and are registered by `createEmulator`.
 */
export class Emulator {
  readonly behaviour: EmulatorBehaviour;
  readonly state: EmulatorState;
  readonly masterHash: string;
  private readonly routes = new Map<string, Route>();
  private readonly patternRoutes: Array<{
    method: string;
    re: RegExp;
    names: string[];
    route: Route;
  }> = [];
  private clockOffset = 0;
  /** Answers to cut off half-way (a `truncate` fault). */
  private readonly truncated = new WeakSet<ServerResponse>();

  constructor(
    readonly masterKey: string,
    models: ResolvedModel[],
    private readonly baseNow: () => number,
    behaviour?: Partial<EmulatorBehaviour>,
    /** How a latency fault waits (injectable so tests need no real delay). */
    private readonly sleep: (ms: number) => Promise<unknown> = realSleep,
  ) {
    this.behaviour = { ...DEFAULT_BEHAVIOUR, ...(behaviour ?? {}) };
    this.masterHash = sha256Hex(masterKey);
    this.state = new EmulatorState(models, this.behaviour, () => this.now());
  }

  now(): number {
    return this.baseNow() + this.clockOffset;
  }

  advanceClock(ms: number): void {
    this.clockOffset += ms;
    this.state.resetBudgetsIfDue();
  }

  setClock(ms: number): void {
    this.clockOffset += ms - this.now();
    this.state.resetBudgetsIfDue();
  }

  reset(): void {
    this.state.reset();
  }

  injectFault(fault: FaultSpec): void {
    if (!fault || typeof fault.path !== 'string') {
      throw new Error('A fault needs a path');
    }
    this.state.faults.push({
      ...fault,
      remaining: fault.times && fault.times > 0 ? fault.times : Infinity,
    });
  }

  clearFaults(): void {
    this.state.faults = [];
  }

  // ---- routing ---------------------------------------------------------------------------------

  route(
    methods: string | string[],
    paths: string | string[],
    access: Route['access'],
    handler: Handler,
    opts: { dataPlane?: boolean } = {},
  ): void {
    for (const method of Array.isArray(methods) ? methods : [methods]) {
      for (const path of Array.isArray(paths) ? paths : [paths]) {
        const route = { handler, access, dataPlane: opts.dataPlane };
        if (path.includes('{')) {
          const names: string[] = [];
          const re = new RegExp(
            `^${path.replace(/\{(\w+)\}/g, (_, n) => {
              names.push(n);
              return '(.+)';
            })}$`,
          );
          this.patternRoutes.push({ method, re, names, route });
        } else {
          this.routes.set(`${method} ${path}`, route);
        }
      }
    }
  }

  private findRoute(
    method: string,
    path: string,
  ): { route: Route; params: Record<string, string> } | undefined {
    const exact = this.routes.get(`${method} ${path}`);
    if (exact) return { route: exact, params: {} };
    for (const p of this.patternRoutes) {
      if (p.method !== method) continue;
      const m = p.re.exec(path);
      if (m) {
        const params: Record<string, string> = {};
        p.names.forEach((n, i) => {
          params[n] = decodeURIComponent(m[i + 1]);
        });
        return { route: p.route, params };
      }
    }
    return undefined;
  }

  private hasPath(path: string): boolean {
    for (const k of this.routes.keys()) {
      if (k.slice(k.indexOf(' ') + 1) === path) return true;
    }
    return this.patternRoutes.some(p => p.re.test(path));
  }

  // ---- request handling --------------------------------------------------------------------

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const startedAt = Date.now();
    const method = (req.method ?? 'GET').toUpperCase();
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    let path = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    if (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
    const query = new URLSearchParams(q >= 0 ? rawUrl.slice(q + 1) : '');
    res.setHeader('x-litellm-version', LITELLM_VERSION);

    // A late-effect fault reads the request before waiting: the call is done even if
    // its client is gone by then.
    let early: { body: unknown } | undefined;
    try {
      if (!path.startsWith('/__emulator/')) {
        const fault = this.matchFault(method, path);
        if (fault) {
          if (fault.lateEffect && method !== 'GET' && method !== 'HEAD') {
            early = { body: await readJson(req) };
          }
          if (fault.latencyMs && fault.latencyMs > 0)
            await this.sleep(fault.latencyMs);
          if (fault.drop) {
            req.socket.destroy();
            return;
          }
          if (fault.status) {
            this.sendFault(res, fault);
            return;
          }
          if (fault.truncate) this.truncated.add(res);
        }
      }
      const found = this.findRoute(method, path);
      if (!found) {
        const status = this.hasPath(path) ? 405 : 404;
        await drain(req);
        this.sendJson(res, status, {
          detail: status === 405 ? 'Method Not Allowed' : 'Not Found',
        });
        return;
      }
      let body = early?.body;
      if (!early && method !== 'GET' && method !== 'HEAD') {
        body = await readJson(req);
      }
      const ctx: Ctx = {
        req,
        res,
        method,
        path,
        query,
        body,
        params: found.params,
        startedAt,
        caller: PUBLIC_CALLER,
      };
      this.state.resetBudgetsIfDue();
      const { route } = found;
      if (route.access !== 'public') {
        ctx.caller = this.resolveCaller(req);
        if (!route.dataPlane) this.checkKeyUsable(ctx.caller);
        if (route.access === 'admin' && !ctx.caller.isAdmin) {
          throw proxyError(
            401,
            `Authentication Error, Only proxy admin can be used to generate, delete, update info for new keys/users/teams. Route=${path}. Your role=${
              ctx.caller.key?.user_id ? 'internal_user' : 'None'
            }. Your user_id=${ctx.caller.userId ?? 'None'}`,
            'auth_error',
            'None',
          );
        }
      }
      const recording = this.state.recording;
      const answerId =
        method === 'GET' && recording.paths.has(path)
          ? `${ctx.caller.token}\u0001${rawUrl}`
          : undefined;
      const recorded =
        answerId !== undefined && recording.mode === 'replay'
          ? recording.answers.get(answerId)
          : undefined;
      if (recorded) {
        this.sendBytes(res, 200, recorded);
        return;
      }
      const result = await route.handler(ctx);
      if (result === HANDLED) return;
      const bytes = this.sendJson(res, 200, result);
      if (answerId !== undefined && recording.mode === 'record')
        recording.answers.set(answerId, bytes);
    } catch (e) {
      this.sendError(res, e);
    }
  }

  private matchFault(
    method: string,
    path: string,
  ): (FaultSpec & { remaining: number }) | undefined {
    const faults = this.state.faults;
    for (let i = 0; i < faults.length; i++) {
      const f = faults[i];
      if (f.method && f.method.toUpperCase() !== method) continue;
      const p = f.path;
      const ok =
        p === '*' ||
        p === path ||
        (p.endsWith('*') && path.startsWith(p.slice(0, -1)));
      if (!ok) continue;
      f.remaining--;
      if (f.remaining <= 0) faults.splice(i, 1);
      return f;
    }
    return undefined;
  }

  private sendFault(res: ServerResponse, f: FaultSpec): void {
    const status = f.status!;
    for (const [k, v] of Object.entries(f.headers ?? {})) res.setHeader(k, v);
    if (f.body === undefined) {
      this.sendError(
        res,
        proxyError(
          status,
          `Emulator injected fault: HTTP ${status}`,
          status >= 500 ? 'internal_server_error' : 'None',
          'None',
        ),
      );
      return;
    }
    if (typeof f.body === 'string') {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(f.body);
      return;
    }
    this.sendJson(res, status, f.body);
  }

  /** Sends `body` as JSON and answers the bytes sent. */
  sendJson(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers?: Record<string, string>,
  ): Buffer {
    // Encoded once and sent as bytes: a socket write of a string of megabytes (a daily
    // activity page) encodes it again, and its length is one more pass.
    const bytes = Buffer.from(JSON.stringify(body === undefined ? null : body));
    this.sendBytes(res, status, bytes, headers);
    return bytes;
  }

  /** Sends JSON already encoded. */
  private sendBytes(
    res: ServerResponse,
    status: number,
    bytes: Buffer,
    headers?: Record<string, string>,
  ): void {
    res.writeHead(status, {
      'content-type': 'application/json',
      'content-length': bytes.length,
      ...(headers ?? {}),
    });
    if (this.truncated.has(res)) {
      // The headers promise the whole body; half of it comes, then the connection goes.
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () =>
        res.socket?.destroy(),
      );
      return;
    }
    res.end(bytes);
  }

  sendError(res: ServerResponse, e: unknown): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const err =
      e instanceof EmulatorHttpError
        ? e
        : proxyError(
            500,
            e instanceof Error ? e.message : String(e),
            'internal_server_error',
            'None',
          );
    this.sendJson(
      res,
      err.status,
      err.toJSON(this.behaviour.errorCodeType),
      err.headers,
    );
  }

  // ---- auth --------------------------------------------------------------------------------

  /** Reads the key from `Authorization: Bearer`, `x-litellm-api-key`, `api-key` or `x-api-key`. */
  extractKey(req: IncomingMessage): string | undefined {
    const h = req.headers;
    const auth = h.authorization;
    if (typeof auth === 'string' && auth.trim() !== '') {
      return auth.replace(/^Bearer\s+/i, '').trim();
    }
    for (const name of ['x-litellm-api-key', 'api-key', 'x-api-key']) {
      const v = h[name];
      if (typeof v === 'string' && v.trim() !== '') return v.trim();
    }
    return undefined;
  }

  /** Master key or a known virtual key; 401 otherwise (no blocked/expired checks here). */
  resolveCaller(req: IncomingMessage): Caller {
    const raw = this.extractKey(req);
    if (!raw) {
      throw proxyError(
        401,
        'Authentication Error, No api key passed in.',
        'auth_error',
        'None',
      );
    }
    if (raw === this.masterKey) {
      return {
        isAdmin: true,
        token: this.masterHash,
        key: null,
        userId: ADMIN_USER_ID,
        rawKey: raw,
      };
    }
    if (!raw.startsWith('sk-')) {
      throw proxyError(
        401,
        `Authentication Error, LiteLLM Virtual Key expected. Received=${maskKey(
          raw,
        )}, expected to start with 'sk-'.`,
        'auth_error',
        'None',
      );
    }
    const token = sha256Hex(raw);
    let key = this.state.keys.get(token);
    if (!key) {
      const grace = this.state.graceKeys.get(token);
      if (grace && grace.until > this.now())
        key = this.state.keys.get(grace.token);
    }
    if (!key) {
      throw proxyError(
        401,
        `Authentication Error, Invalid proxy server token passed. Received API Key = sk-...${raw.slice(
          -4,
        )}, Key Hash (Token) =${token}. Unable to find token in cache or \`LiteLLM_VerificationTokenTable\``,
        'token_not_found_in_db',
        'key',
      );
    }
    return {
      isAdmin: false,
      token: key.token,
      key,
      userId: key.user_id,
      rawKey: raw,
    };
  }

  /** Blocked → expired (fact sheet §5 / §7). */
  checkKeyUsable(caller: Caller): void {
    const key = caller.key;
    if (!key) return;
    if (key.blocked) {
      throw proxyError(
        401,
        "Authentication Error, Key is blocked. Update via `/key/unblock` if you're an admin.",
        'auth_error',
        'None',
      );
    }
    if (key.expires) {
      const exp = Date.parse(key.expires);
      const now = this.now();
      if (exp < now) {
        const old = this.behaviour.expiredKeyStatus === 400;
        throw proxyError(
          old ? 400 : 401,
          `Authentication Error - Expired Key. Key Expiry time ${pyDateTime(
            exp,
          )} and current time ${pyDateTime(now)}`,
          'expired_key',
          old ? caller.rawKey : maskKey(caller.rawKey),
        );
      }
    }
  }

  // ---- helpers shared by handlers ----------------------------------------------------------

  /** The models a caller may use (`/v1/models`): key models → team models → all. */
  accessibleModels(caller: Caller): string[] {
    const all = [...this.state.modelsByName.keys()];
    if (caller.isAdmin || !caller.key) return all;
    const team = caller.key.team_id
      ? this.state.teams.get(caller.key.team_id)
      : undefined;
    const expand = (
      list: string[],
      teamModels: string[] | undefined,
    ): string[] => {
      const out = new Set<string>();
      for (const m of list) {
        if (m === 'all-proxy-models' || m === '*') all.forEach(x => out.add(x));
        else if (m === 'all-team-models')
          (teamModels && teamModels.length ? teamModels : all).forEach(x =>
            out.add(x),
          );
        else if (m !== 'no-default-models') out.add(m);
      }
      return [...out];
    };
    if (caller.key.models.length > 0)
      return expand(caller.key.models, team?.models);
    if (team && team.models.length > 0) return expand(team.models, undefined);
    const user = caller.key.user_id
      ? this.state.users.get(caller.key.user_id)
      : undefined;
    if (!team && user && user.models.length > 0)
      return expand(user.models, undefined);
    return all;
  }

  /** A key by raw key or hash (404 handled by callers). */
  findKey(rawOrHash: unknown): KeyRow | undefined {
    if (typeof rawOrHash !== 'string' || rawOrHash === '') return undefined;
    return this.state.keys.get(toTokenHash(rawOrHash));
  }

  expiresFromDuration(duration: unknown): string | null {
    if (
      duration === null ||
      duration === undefined ||
      duration === '-1' ||
      duration === -1
    )
      return null;
    return iso(addDuration(this.now(), String(duration)));
  }
}

/** Python `str(datetime)` in UTC: `2025-06-01 12:00:00.123000+00:00`. */
export function pyDateTime(ms: number): string {
  const s = new Date(ms).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, 19)}.${s.slice(20, 23)}000+00:00`;
}

async function drain(req: IncomingMessage): Promise<void> {
  for await (const _ of req) {
    // discard
  }
}

async function readJson(req: IncomingMessage): Promise<any> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw proxyError(
        413,
        'Request body too large',
        'bad_request_error',
        'None',
      );
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return {};
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text);
  } catch (e) {
    throw validationError(
      ['body', 0],
      'JSON decode error',
      'json_invalid',
      {},
      {
        error: (e as Error).message,
      },
    );
  }
}

// ---- query helpers -----------------------------------------------------------------------------

export function qInt(
  query: URLSearchParams,
  name: string,
  def: number,
  min: number,
  max: number,
): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return def;
  const n = Number(raw);
  if (!Number.isInteger(n)) {
    throw validationError(
      ['query', name],
      'Input should be a valid integer, unable to parse string as an integer',
      'int_parsing',
      raw,
    );
  }
  if (n < min) {
    throw validationError(
      ['query', name],
      `Input should be greater than or equal to ${min}`,
      'greater_than_equal',
      raw,
      { ge: min },
    );
  }
  if (n > max) {
    throw validationError(
      ['query', name],
      `Input should be less than or equal to ${max}`,
      'less_than_equal',
      raw,
      { le: max },
    );
  }
  return n;
}

export function qBool(
  query: URLSearchParams,
  name: string,
  def: boolean,
): boolean {
  const raw = query.get(name);
  if (raw === null || raw === '') return def;
  return ['true', '1', 'yes', 'on'].includes(raw.toLowerCase());
}

export function qDate(raw: string | null): number | undefined {
  return raw ? parseUtcDate(raw) : undefined;
}

export function requireBodyField(body: any, name: string): unknown {
  const v = body?.[name];
  if (v === undefined || v === null) {
    throw validationError(
      ['body', name],
      'Field required',
      'missing',
      body ?? {},
    );
  }
  return v;
}
