/*
 * The three error envelopes of LiteLLM (fact sheet §0.2).
 */

export type ErrorBody =
  | {
      kind: 'proxy';
      message: string;
      type: string;
      param: string | null;
    }
  | { kind: 'detail'; detail: unknown }
  | {
      kind: 'validation';
      detail: Array<{
        type: string;
        loc: Array<string | number>;
        msg: string;
        input: unknown;
        ctx?: Record<string, unknown>;
      }>;
    };

export class EmulatorHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    readonly headers: Record<string, string> = {},
  ) {
    super(
      body.kind === 'proxy'
        ? body.message
        : JSON.stringify((body as { detail: unknown }).detail),
    );
  }

  /** JSON body as LiteLLM sends it. */
  toJSON(codeType: 'string' | 'number' = 'string'): unknown {
    const b = this.body;
    if (b.kind === 'proxy') {
      return {
        error: {
          message: b.message,
          type: b.type,
          param: b.param,
          code: codeType === 'string' ? String(this.status) : this.status,
        },
      };
    }
    return { detail: b.detail };
  }
}

/** Shape 1: `{"error": {"message","type","param","code"}}`. */
export function proxyError(
  status: number,
  message: string,
  type: string = 'None',
  param: string | null = 'None',
  headers?: Record<string, string>,
): EmulatorHttpError {
  return new EmulatorHttpError(
    status,
    { kind: 'proxy', message, type, param },
    headers,
  );
}

/** Shape 2: `{"detail": <string | {"error": string}>}`. */
export function detailError(
  status: number,
  detail: unknown,
): EmulatorHttpError {
  return new EmulatorHttpError(status, { kind: 'detail', detail });
}

/** Shape 3: FastAPI 422. */
export function validationError(
  loc: Array<string | number>,
  msg: string,
  type: string,
  input: unknown,
  ctx?: Record<string, unknown>,
): EmulatorHttpError {
  return new EmulatorHttpError(422, {
    kind: 'validation',
    detail: [{ type, loc, msg, input, ...(ctx ? { ctx } : {}) }],
  });
}
