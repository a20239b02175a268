import { createOpenApiRouter } from '../schema/openapi/generated/router';

/**
 * The router every route module registers on: built from the OpenAPI spec, it checks
 * each request against the spec (a 400 `InputError` naming the field) before a handler
 * runs, and types the handlers' params, query, body and answer.
 */
export type LiteMaaSRouter = Awaited<ReturnType<typeof createOpenApiRouter>>;
