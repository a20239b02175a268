import { LoggerService } from '@backstage/backend-plugin-api';
import { isAscii } from 'node:buffer';
import { z } from 'zod/v3';
import {
  createLiteLLMError,
  LiteLLMAuthError,
  LiteLLMError,
  LiteLLMInvalidResponseError,
  LiteLLMUnavailableError,
} from './errors';
import { hashLiteLLMKey, redactSecrets, toLiteLLMKeyId } from './redact';
import {
  AttemptOutcome,
  CircuitBreakerOptions,
  CircuitState,
  DEFAULT_CIRCUIT_BREAKER,
  DEFAULT_RETRY,
  LiteLLMResilience,
  LiteLLMRetryOptions,
} from './resilience';
import { keyRowSchema } from './schemas';
import { LiteLLMKeyInfo } from './types';

/** Options of {@link LiteLLMClient}. @public */
export interface LiteLLMClientOptions {
  /** Base URL of the proxy, e.g. `http://litellm:4000` (a path prefix is kept). */
  baseUrl: string;
  /** Master key (or an admin virtual key). Never logged. */
  masterKey: string;
  logger: LoggerService;
  /** Timeout of one attempt, in ms. Default 10000. */
  timeoutMs?: number;
  retry?: LiteLLMRetryOptions;
  circuitBreaker?: CircuitBreakerOptions;
  /** Source of jitter in [0, 1); injectable for tests. */
  random?: () => number;
  /** Safety cap of pages walked by the iterators. Default 1000. */
  maxPages?: number;
}

/** The optional, non-connection part of {@link LiteLLMClientOptions}. @public */
export type LiteLLMClientTuning = Omit<
  LiteLLMClientOptions,
  'baseUrl' | 'masterKey' | 'logger'
>;

/** Defaults of the client's fault tolerance. @public */
export const LITELLM_CLIENT_DEFAULTS = {
  timeoutMs: 10_000,
  retry: DEFAULT_RETRY,
  circuitBreaker: DEFAULT_CIRCUIT_BREAKER,
  maxPages: 1_000,
} as const;

export type QueryValue =
  | string
  | number
  | boolean
  | ReadonlyArray<string>
  | null
  | undefined;

export interface CallSpec {
  method: 'GET' | 'POST';
  /** Route label for logs and errors; never contains a key or a query string. */
  route: string;
  /** Real path (segments already encoded). Defaults to `route`. */
  path?: string;
  query?: Record<string, QueryValue>;
  body?: unknown;
  /**
   * Reads a 2xx body's bytes (default: `JSON.parse` of its text). A body it cannot read is
   * answered as its text; an empty one as `undefined`.
   */
  parseBody?: (body: Buffer) => unknown;
  /** Whether the call may be retried. Defaults to true for GET, false for POST. */
  idempotent?: boolean;
}

/**
 * A body's bytes as text, as `Response.text()` decodes them (UTF-8, a byte order mark
 * dropped, invalid sequences replaced), without its decoder when every byte is ASCII:
 * ASCII read as Latin-1 is the same text, copied instead of decoded. A daily activity
 * page is megabytes of ASCII JSON, and the decoder cost the usage sync a third of its
 * CPU.
 */
export function bodyText(bytes: Buffer): string {
  if (isAscii(bytes)) return bytes.toString('latin1');
  const bom =
    bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.toString('utf8', bom);
}

/** Whether a body's text is only white space, without decoding it when it starts with ASCII. */
function isBlank(body: Buffer): boolean {
  for (const byte of body) {
    if (byte === 0x20 || (byte >= 0x09 && byte <= 0x0d)) continue;
    // Past ASCII white space, only a non-ASCII character can still be white space.
    return byte >= 0x80 && bodyText(body).trim() === '';
  }
  return true;
}

/** A 2xx body read: nothing when blank; its text when `parseBody` cannot read it. */
function decodeBody(
  body: Buffer,
  parseBody: (body: Buffer) => unknown = bytes => JSON.parse(bodyText(bytes)),
): unknown {
  if (isBlank(body)) return undefined;
  try {
    return parseBody(body);
  } catch {
    return bodyText(body);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireNonEmpty(value: string, what: string): string {
  if (typeof value !== 'string' || value.trim() === '') {
    throw new TypeError(`LiteLLM client: ${what} must be a non-empty string`);
  }
  return value;
}

/**
 * The wire under every area of the LiteLLM client: URL building, the master key, the
 * fault-tolerance policies (see resilience.ts), logging, decoding and shape checks.
 * Nothing logged contains a request body, a header or a secret.
 */
export class LiteLLMTransport {
  readonly logger: LoggerService;
  readonly maxPages: number;
  private readonly baseUrl: string;
  private readonly masterKey: string;
  private readonly timeoutMs: number;
  private readonly resilience: LiteLLMResilience;

  constructor(options: LiteLLMClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch {
      throw new TypeError(
        'litemaas.litellm.baseUrl must be an absolute http(s) URL',
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new TypeError(
        'litemaas.litellm.baseUrl must be an absolute http(s) URL',
      );
    }
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.masterKey = requireNonEmpty(
      options.masterKey,
      'litemaas.litellm.masterKey',
    );
    this.logger = options.logger;
    this.timeoutMs = options.timeoutMs ?? LITELLM_CLIENT_DEFAULTS.timeoutMs;
    if (!(this.timeoutMs > 0)) {
      throw new TypeError(
        'litemaas.litellm.timeoutMs must be a positive number',
      );
    }
    this.maxPages = options.maxPages ?? LITELLM_CLIENT_DEFAULTS.maxPages;
    this.resilience = new LiteLLMResilience({
      timeoutMs: this.timeoutMs,
      retry: options.retry,
      circuitBreaker: options.circuitBreaker,
      random: options.random ?? Math.random,
      logger: this.logger,
    });
  }

  get circuitState(): CircuitState {
    return this.resilience.circuitState;
  }

  /** Makes the call with retries (idempotent calls only) and returns the decoded body. */
  call(spec: CallSpec): Promise<unknown> {
    return this.resilience.execute(
      {
        method: spec.method,
        route: spec.route,
        idempotent: spec.idempotent ?? spec.method === 'GET',
      },
      (signal, attempt) => this.attempt(spec, signal, attempt),
    );
  }

  keyId(key: string): string {
    return toLiteLLMKeyId(requireNonEmpty(key, 'key'));
  }

  optionalKeyId(key: string | undefined): string | undefined {
    return key ? toLiteLLMKeyId(key) : undefined;
  }

  /** Fills `token` (LiteLLM strips it from /key/info) and drops any raw secret echoed back. */
  toKeyInfo(
    row: Record<string, unknown>,
    knownKeyId: string | undefined,
    route: string,
  ): LiteLLMKeyInfo {
    const parsed = this.parse(keyRowSchema, row, 'GET', route);
    const token =
      (typeof parsed.token === 'string' && !parsed.token.startsWith('sk-')
        ? parsed.token
        : undefined) ??
      (typeof parsed.token === 'string'
        ? hashLiteLLMKey(parsed.token)
        : undefined) ??
      knownKeyId ??
      '';
    return { ...parsed, token } as LiteLLMKeyInfo;
  }

  stringList(body: unknown, field: string): string[] {
    if (isRecord(body) && Array.isArray(body[field])) {
      return (body[field] as unknown[]).map(String);
    }
    return [];
  }

  warnPageCap(route: string) {
    this.logger.warn('LiteLLM paging stopped at the page cap', {
      path: route,
      maxPages: this.maxPages,
    });
  }

  parse<S extends z.ZodTypeAny>(
    schema: S,
    value: unknown,
    method: string,
    route: string,
  ): z.infer<S> {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issues = result.error.issues
      .slice(0, 3)
      .map(i => `${i.path.join('.') || '(body)'}: ${i.message}`)
      .join('; ');
    const error = new LiteLLMInvalidResponseError({
      method,
      path: route,
      status: 200,
      litellmType: 'invalid_response',
      detail: this.redact(`unexpected response shape (${issues})`),
    });
    this.logger.warn('LiteLLM answered an unexpected shape', {
      method,
      path: route,
      error: error.detail,
    });
    throw error;
  }

  private redact(text: string): string {
    return redactSecrets(text, [this.masterKey]);
  }

  private buildUrl(spec: CallSpec): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(spec.query ?? {})) {
      if (value === undefined || value === null) continue;
      params.set(
        name,
        Array.isArray(value) ? value.join(',') : String(value as unknown),
      );
    }
    const qs = params.toString();
    return `${this.baseUrl}${spec.path ?? spec.route}${qs ? `?${qs}` : ''}`;
  }

  /** One attempt: throws LiteLLMUnavailableError, answers every other outcome. */
  private async attempt(
    spec: CallSpec,
    signal: AbortSignal,
    attempt: number,
  ): Promise<AttemptOutcome> {
    const meta = { method: spec.method, path: spec.route, attempt };
    const started = Date.now();
    let status: number | undefined;
    let body: Buffer;
    try {
      const response = await fetch(this.buildUrl(spec), {
        method: spec.method,
        headers: {
          Authorization: `Bearer ${this.masterKey}`,
          Accept: 'application/json',
          ...(spec.body !== undefined
            ? { 'Content-Type': 'application/json' }
            : {}),
        },
        body: spec.body !== undefined ? JSON.stringify(spec.body) : undefined,
        signal,
      });
      status = response.status;
      body = Buffer.from(await response.arrayBuffer());
    } catch (cause) {
      const error = this.transportError(spec, cause, status, signal.aborted);
      this.logger.warn('LiteLLM call failed', {
        ...meta,
        status,
        durationMs: Date.now() - started,
        reason: error.reason,
        error: error.message,
      });
      throw error;
    }
    const durationMs = Date.now() - started;

    if (status >= 200 && status < 300) {
      this.logger.debug('LiteLLM call', { ...meta, status, durationMs });
      return { value: decodeBody(body, spec.parseBody) };
    }

    const error = createLiteLLMError(status, bodyText(body), {
      method: spec.method,
      path: spec.route,
      secrets: [this.masterKey],
    });
    const failureMeta = {
      ...meta,
      status,
      durationMs,
      errorName: error.name,
      litellmType: error.litellmType,
      error: error.message,
    };
    if (
      error instanceof LiteLLMUnavailableError ||
      error instanceof LiteLLMAuthError ||
      error instanceof LiteLLMInvalidResponseError ||
      !(error instanceof LiteLLMError) ||
      error.constructor === LiteLLMError
    ) {
      this.logger.warn('LiteLLM call failed', failureMeta);
    } else {
      this.logger.debug('LiteLLM call rejected', failureMeta);
    }
    if (error instanceof LiteLLMUnavailableError) throw error;
    return { error }; // LiteLLM answered: it is up
  }

  private transportError(
    spec: CallSpec,
    cause: unknown,
    status: number | undefined,
    timedOut: boolean,
  ): LiteLLMUnavailableError {
    // DOMException is not always `instanceof Error` (other realm): check the name by shape.
    const name = (cause as { name?: unknown } | undefined)?.name;
    const isTimeout =
      timedOut || name === 'TimeoutError' || name === 'AbortError';
    const base = {
      method: spec.method,
      path: spec.route,
      status,
      cause,
    };
    if (isTimeout) {
      return new LiteLLMUnavailableError(
        {
          ...base,
          reason: 'timeout',
          detail: `timed out after ${this.timeoutMs} ms`,
        },
        `LiteLLM ${spec.method} ${spec.route} timed out after ${this.timeoutMs} ms`,
      );
    }
    const inner =
      cause instanceof Error && cause.cause instanceof Error
        ? (cause.cause as NodeJS.ErrnoException).code ?? cause.cause.message
        : undefined;
    const description = this.redact(
      [cause instanceof Error ? cause.message : String(cause), inner]
        .filter(Boolean)
        .join(': '),
    );
    return new LiteLLMUnavailableError(
      { ...base, reason: 'network', detail: description },
      `LiteLLM ${spec.method} ${spec.route} is unreachable (${description})`,
    );
  }
}
