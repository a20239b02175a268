import type { Request } from 'express';

/**
 * Any Express request, whatever its typed params, query and body: what `httpAuth` and the
 * auditor accept, and what the spec-typed route handlers pass on.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyRequest = Request<any, any, any, any, any>;
