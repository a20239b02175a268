import express from 'express';
import { createRouter, RouterOptions } from '../router';
import { spec } from './openapi/generated/router';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** `METHOD /path` of every route an Express router registers, in OpenAPI path syntax. */
function registeredRoutes(router: express.Router): string[] {
  const routes: string[] = [];
  for (const layer of router.stack) {
    const route = layer.route as
      | { path: string; methods: Record<string, boolean> }
      | undefined;
    if (!route) continue;
    const path = route.path.replace(/:(\w+)(\(\*\))?/g, '{$1}');
    for (const [method, on] of Object.entries(route.methods)) {
      if (on) routes.push(`${method.toUpperCase()} ${path}`);
    }
  }
  return routes.sort();
}

function specRoutes(): string[] {
  return Object.entries(spec.paths)
    .flatMap(([path, item]) =>
      METHODS.filter(method => method in item).map(
        method => `${method.toUpperCase()} ${path}`,
      ),
    )
    .sort();
}

describe('the OpenAPI spec and the router', () => {
  it('describe the same routes, each once', async () => {
    // The handlers are never called here: only what the router registers matters.
    const router = await createRouter({} as RouterOptions);
    const registered = registeredRoutes(router).filter(
      // Served by @backstage/backend-openapi-utils from the spec itself.
      route => route !== 'GET /openapi.json',
    );
    expect(new Set(registered).size).toBe(registered.length);
    expect(registered).toEqual(specRoutes());
    expect(registered).toHaveLength(41);
  });

  it('gives every operation an id, a summary and an error answer', () => {
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const method of METHODS) {
        const op = (item as Record<string, any>)[method];
        if (!op) continue;
        const where = `${method.toUpperCase()} ${path}`;
        expect([where, typeof op.operationId]).toEqual([where, 'string']);
        expect([where, typeof op.summary]).toEqual([where, 'string']);
        // Every operation but the health check documents Backstage's error answer.
        expect([where, op.responses.default?.$ref]).toEqual([
          where,
          path === '/health'
            ? undefined
            : '#/components/responses/ErrorResponse',
        ]);
      }
    }
  });
});
