import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  NotImplementedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { redactSecrets } from './redact';

/** One field-level problem reported by LiteLLM (FastAPI 422 `detail` entries). @public */
export interface LiteLLMFieldError {
  /** Dotted location without the `body`/`query` prefix, e.g. `page_size`. */
  field: string;
  message: string;
  type?: string;
}

/** Common constructor options of all LiteLLM errors. @public */
export interface LiteLLMErrorOptions {
  /** HTTP method of the failed call. */
  method: string;
  /** Route of the failed call (a template such as `/key/{key}/regenerate`, no query). */
  path: string;
  /** HTTP status LiteLLM answered with; undefined when no answer came back. */
  status?: number;
  /** LiteLLM's `error.type` (a `ProxyErrorTypes` value), when it sent one. */
  litellmType?: string;
  /** LiteLLM's `error.param`, when it sent one (not the literal `"None"`). */
  param?: string;
  /** LiteLLM's `error.code` as a number (it may arrive as a string or an int). */
  code?: number;
  /** The (redacted) message LiteLLM gave, or a description of the failure. */
  detail: string;
  cause?: unknown;
}

/**
 * Base class of every error the LiteLLM client throws. Its message never contains a key
 * secret (they are masked as `sk-...abcd`).
 *
 * Note: `status` is LiteLLM's status, not the one a portal route should answer with. Convert
 * with {@link toBackstageError} before letting it reach a route (Backstage's error middleware
 * would otherwise echo `status`, e.g. turn a bad master key into a 401 for the browser).
 *
 * @public
 */
export class LiteLLMError extends Error {
  readonly status?: number;
  readonly litellmType?: string;
  readonly path: string;
  readonly method: string;
  readonly param?: string;
  readonly code?: number;
  /** LiteLLM's own message (redacted), without the method/path prefix. */
  readonly detail: string;
  readonly cause?: unknown;

  constructor(options: LiteLLMErrorOptions, message?: string) {
    super(
      message ??
        `LiteLLM ${options.method} ${options.path} answered ${
          options.status ?? 'nothing'
        }${options.litellmType ? ` (${options.litellmType})` : ''}: ${
          options.detail
        }`,
    );
    this.name = new.target.name;
    this.status = options.status;
    this.litellmType = options.litellmType;
    this.path = options.path;
    this.method = options.method;
    this.param = options.param;
    this.code = options.code;
    this.detail = options.detail;
    this.cause = options.cause;
  }
}

/** The thing asked for does not exist (404, or an unknown user on old versions). @public */
export class LiteLLMNotFoundError extends LiteLLMError {}

/**
 * A uniqueness rule was violated: duplicate key alias (400 "Key with alias '...' already
 * exists"), existing team/budget id (400), existing user (409), member already in team.
 *
 * @public
 */
export class LiteLLMConflictError extends LiteLLMError {}

/**
 * A key/user/team budget is exhausted (`type: budget_exceeded`; HTTP 400 on older LiteLLM,
 * 429 on newer ones). Not retryable until the budget resets.
 *
 * @public
 */
export class LiteLLMBudgetExceededError extends LiteLLMError {}

/** The key/team/user may not use the model (401 on older LiteLLM, 403 on newer). @public */
export class LiteLLMModelNotAllowedError extends LiteLLMError {}

/** Why LiteLLM is considered unavailable. @public */
export type LiteLLMUnavailableReason =
  | 'network'
  | 'timeout'
  | 'http'
  | 'circuit-open';

/**
 * LiteLLM could not be reached or could not serve: network error, timeout, 5xx, or the
 * client's circuit breaker is open (the call was not even attempted).
 *
 * @public
 */
export class LiteLLMUnavailableError extends LiteLLMError {
  readonly reason: LiteLLMUnavailableReason;

  constructor(
    options: LiteLLMErrorOptions & { reason: LiteLLMUnavailableReason },
    message?: string,
  ) {
    super(options, message);
    this.reason = options.reason;
  }
}

/**
 * The feature needs a LiteLLM Enterprise license (LiteLLM raises a `ValueError`, which
 * surfaces as HTTP 500): key regeneration, key `tags`, per-model budgets, spend reports,
 * team admins (400 "premium feature"). Callers should fall back (e.g. regenerate =
 * generate + delete); these are never retried.
 *
 * @public
 */
export class LiteLLMEnterpriseFeatureError extends LiteLLMError {}

/** LiteLLM rejected the credentials of the backend (bad or revoked master key, 401/403). @public */
export class LiteLLMAuthError extends LiteLLMError {}

/** LiteLLM rejected the request as invalid (422 validation, other 400s). @public */
export class LiteLLMBadRequestError extends LiteLLMError {
  readonly fieldErrors: LiteLLMFieldError[];

  constructor(
    options: LiteLLMErrorOptions & { fieldErrors?: LiteLLMFieldError[] },
    message?: string,
  ) {
    super(options, message);
    this.fieldErrors = options.fieldErrors ?? [];
  }
}

/** A 429 that is not a budget error (rate limits); not retried by the client. @public */
export class LiteLLMRateLimitError extends LiteLLMError {}

/** LiteLLM answered 2xx with a body the client could not understand. @public */
export class LiteLLMInvalidResponseError extends LiteLLMError {}

/** The normalized content of a LiteLLM error body, whatever its shape. @public */
export interface ParsedLiteLLMErrorBody {
  /**
   * `proxy`: `{"error": {message, type, param, code}}`; `detail`: `{"detail": str|{error}}`;
   * `validation`: `{"detail": [{loc, msg, type}]}`; `error-string`: `{"error": "..."}`;
   * `text`: not JSON (or an unknown JSON shape); `empty`: no body.
   */
  shape: 'proxy' | 'detail' | 'validation' | 'error-string' | 'text' | 'empty';
  /** The human message, unwrapped from dict reprs / JSON objects. Not yet redacted. */
  message: string;
  type?: string;
  param?: string;
  code?: number;
  fieldErrors?: LiteLLMFieldError[];
}

const MAX_MESSAGE_LENGTH = 500;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** LiteLLM writes Python's `None` as the string `"None"` in several fields. */
function cleanOptional(value: unknown): string | undefined {
  if (value === null || value === undefined) return undefined;
  const s = String(value);
  return s === '' || s === 'None' || s === 'null' ? undefined : s;
}

function parseCode(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\s*\d+\s*$/.test(value)) {
    return parseInt(value, 10);
  }
  return undefined;
}

const PY_DICT_ERROR =
  /^\{\s*['"]error['"]\s*:\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*(?:,[\s\S]*)?\}$/;

/**
 * Unwraps the message forms LiteLLM uses: a plain string, the Python repr of a dict
 * (`"{'error': 'No keys found'}"`), a JSON string of a dict, or an object (`{"error": ...}`).
 */
export function unwrapLiteLLMMessage(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (isRecord(value)) {
    for (const field of ['error', 'message', 'msg', 'detail']) {
      if (field in value) return unwrapLiteLLMMessage(value[field]);
    }
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return JSON.stringify(value);
  const text = String(value).trim();
  if (text.startsWith('{') && text.endsWith('}')) {
    const repr = PY_DICT_ERROR.exec(text);
    if (repr) {
      const inner = repr[1] ?? repr[2] ?? '';
      return inner.replace(/\\(['"\\])/g, '$1');
    }
    try {
      const parsed = JSON.parse(text);
      if (isRecord(parsed)) return unwrapLiteLLMMessage(parsed);
    } catch {
      // not JSON: keep the text as it is
    }
  }
  return text;
}

function parseFieldErrors(detail: unknown[]): LiteLLMFieldError[] {
  return detail.filter(isRecord).map(entry => {
    const loc = Array.isArray(entry.loc) ? entry.loc.map(String) : [];
    const trimmed =
      loc.length > 1 && ['body', 'query', 'path', 'header'].includes(loc[0])
        ? loc.slice(1)
        : loc;
    return {
      field: trimmed.join('.') || '(request)',
      message: String(entry.msg ?? 'invalid value'),
      type: cleanOptional(entry.type),
    };
  });
}

/**
 * Parses any of LiteLLM's error bodies (the three envelopes of the fact sheet plus the odd
 * `{"error": "..."}` and non-JSON bodies) into one normalized form.
 *
 * @public
 */
export function parseLiteLLMErrorBody(
  bodyText: string | undefined,
): ParsedLiteLLMErrorBody {
  const text = (bodyText ?? '').trim();
  if (!text) return { shape: 'empty', message: '' };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { shape: 'text', message: text };
  }
  if (isRecord(body)) {
    const error = body.error;
    if (isRecord(error)) {
      return {
        shape: 'proxy',
        message: unwrapLiteLLMMessage(error.message ?? error.detail ?? error),
        type: cleanOptional(error.type),
        param: cleanOptional(error.param),
        code: parseCode(error.code),
      };
    }
    if (typeof error === 'string') {
      return { shape: 'error-string', message: unwrapLiteLLMMessage(error) };
    }
    if ('detail' in body) {
      const detail = body.detail;
      if (Array.isArray(detail)) {
        const fieldErrors = parseFieldErrors(detail);
        return {
          shape: 'validation',
          message: fieldErrors.map(f => `${f.field}: ${f.message}`).join('; '),
          fieldErrors,
        };
      }
      return { shape: 'detail', message: unwrapLiteLLMMessage(detail) };
    }
    if ('message' in body) {
      return { shape: 'text', message: unwrapLiteLLMMessage(body.message) };
    }
  }
  if (typeof body === 'string') return { shape: 'text', message: body };
  return { shape: 'text', message: text };
}

const BUDGET_MESSAGE =
  /budget has been exceeded|exceededbudget|over budget|exceeded budget for model|crossed spend within team/i;
const MODEL_ACCESS_TYPES = new Set([
  'key_model_access_denied',
  'team_model_access_denied',
  'user_model_access_denied',
  'org_model_access_denied',
]);
const MODEL_ACCESS_MESSAGE =
  /not allowed to access model|not allowed to access this model|is not available for this api key/i;
const ENTERPRISE_MESSAGE =
  /enterprise feature|must be a litellm enterprise user|litellm enterprise|premium feature|premium user/i;
const CONFLICT_MESSAGE = /already exists|already in team/i;
const NOT_FOUND_400_MESSAGE = /does not exist in db|not found in team/i;

/** Where a failed call went; used to build the error. @public */
export interface LiteLLMCallContext {
  method: string;
  path: string;
  /** Extra secrets to scrub from messages (the master key). */
  secrets?: ReadonlyArray<string | undefined>;
}

/**
 * Maps an HTTP error answer of LiteLLM to the typed error it means. Classification is by
 * LiteLLM's `type` first, then its message, then the status, so that the version
 * differences (budget 400 vs 429, model access 401 vs 403, ...) all land on one class.
 *
 * @public
 */
export function createLiteLLMError(
  status: number,
  bodyText: string | undefined,
  context: LiteLLMCallContext,
): LiteLLMError {
  const parsed = parseLiteLLMErrorBody(bodyText);
  const redact = (s: string) => {
    const r = redactSecrets(s, context.secrets);
    return r.length > MAX_MESSAGE_LENGTH
      ? `${r.slice(0, MAX_MESSAGE_LENGTH)}…`
      : r;
  };
  const message = redact(parsed.message) || `HTTP ${status}`;
  const type = parsed.type;
  const options: LiteLLMErrorOptions = {
    method: context.method,
    path: context.path,
    status,
    litellmType: type,
    param: parsed.param ? redact(parsed.param) : undefined,
    code: parsed.code,
    detail: message,
  };
  const raw = parsed.message;

  if (
    type === 'budget_exceeded' ||
    ((status === 400 || status === 429) && BUDGET_MESSAGE.test(raw))
  ) {
    return new LiteLLMBudgetExceededError(options);
  }
  if (
    (type && MODEL_ACCESS_TYPES.has(type)) ||
    ((status === 401 || status === 403) && MODEL_ACCESS_MESSAGE.test(raw))
  ) {
    return new LiteLLMModelNotAllowedError(options);
  }
  if (status >= 400 && status !== 422 && ENTERPRISE_MESSAGE.test(raw)) {
    return new LiteLLMEnterpriseFeatureError(options);
  }
  if (
    status === 404 ||
    (status === 400 && NOT_FOUND_400_MESSAGE.test(raw)) ||
    (type === 'not_found_error' && status < 500)
  ) {
    return new LiteLLMNotFoundError(options);
  }
  if (
    status === 409 ||
    type === 'team_member_already_in_team' ||
    (status === 400 && CONFLICT_MESSAGE.test(raw))
  ) {
    return new LiteLLMConflictError(options);
  }
  if (status === 401 || status === 403) {
    return new LiteLLMAuthError(options);
  }
  if (status === 429) {
    return new LiteLLMRateLimitError(options);
  }
  if (status === 408 || status >= 500) {
    return new LiteLLMUnavailableError({ ...options, reason: 'http' });
  }
  if (status >= 400) {
    return new LiteLLMBadRequestError({
      ...options,
      fieldErrors: parsed.fieldErrors?.map(f => ({
        ...f,
        field: redact(f.field),
        message: redact(f.message),
      })),
    });
  }
  return new LiteLLMError(options);
}

/**
 * The one mapping of LiteLLM client errors to the `@backstage/errors` class a portal route
 * throws. Errors that are not LiteLLM errors are returned unchanged. `action` says what did
 * not happen ("the key was not created") and goes into the 503 messages.
 *
 * | LiteLLM error | Backstage error (HTTP) |
 * |---|---|
 * | LiteLLMNotFoundError | NotFoundError (404) |
 * | LiteLLMConflictError | ConflictError (409) |
 * | LiteLLMBadRequestError | InputError (400) |
 * | LiteLLMModelNotAllowedError, LiteLLMBudgetExceededError | NotAllowedError (403) |
 * | LiteLLMEnterpriseFeatureError | NotImplementedError (501) |
 * | LiteLLMUnavailableError, LiteLLMInvalidResponseError | ServiceUnavailableError (503) |
 * | LiteLLMAuthError | ServiceUnavailableError (503): the backend's master key is wrong |
 * | anything else (rate limit, unknown) | ServiceUnavailableError (503) |
 *
 * A LiteLLM failure is never a 500 for the browser, and LiteLLM's own status is never
 * echoed (a bad master key must not turn into a 401 that signs the user out).
 *
 * @public
 */
export function toBackstageError(error: unknown, action?: string): unknown {
  if (!(error instanceof LiteLLMError)) return error;
  if (error instanceof LiteLLMNotFoundError) {
    return new NotFoundError(error.detail, error);
  }
  if (error instanceof LiteLLMConflictError) {
    return new ConflictError(error.detail, error);
  }
  if (error instanceof LiteLLMBadRequestError) {
    return new InputError(
      `LiteLLM rejected the request: ${error.detail}`,
      error,
    );
  }
  if (
    error instanceof LiteLLMModelNotAllowedError ||
    error instanceof LiteLLMBudgetExceededError
  ) {
    return new NotAllowedError(error.detail, error);
  }
  if (error instanceof LiteLLMEnterpriseFeatureError) {
    return new NotImplementedError(
      `This feature needs a LiteLLM Enterprise license: ${error.detail}`,
      error,
    );
  }
  if (error instanceof LiteLLMAuthError) {
    return new ServiceUnavailableError(
      'The LiteLLM proxy rejected the portal backend credentials; check litemaas.litellm.masterKey',
    );
  }
  if (
    error instanceof LiteLLMUnavailableError ||
    error instanceof LiteLLMInvalidResponseError
  ) {
    return new ServiceUnavailableError(
      action
        ? `The LiteLLM proxy is unavailable, ${action}; try again later`
        : `The LiteLLM proxy is unavailable, try again later (${error.message})`,
    );
  }
  return new ServiceUnavailableError(
    action
      ? `The LiteLLM proxy failed, ${action}; try again later`
      : `The LiteLLM proxy failed, try again later (${error.message})`,
  );
}
