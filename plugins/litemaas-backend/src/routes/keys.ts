import {
  API_KEY_STATUSES,
  createKeyRequestSchema,
  reasonTextSchema,
  rotateKeyRequestSchema,
  updateKeyRequestSchema,
} from '@litemaas/backstage-plugin-litemaas-common';
import { LiteMaaSRouter } from './LiteMaaSRouter';
import { RequestCallers } from './RequestCallers';
import { z } from 'zod/v3';
import { LiteMaaSSettings } from '../config';
import { KeyAdminService } from '../keys/KeyAdminService';
import { KeyIdempotency } from '../keys/KeyIdempotency';
import { KeyRevealDelivery } from '../keys/KeyRevealDelivery';
import { KeyService } from '../keys/KeyService';
import { parseInput as parse } from './parse';

const keyIdSchema = z.string().uuid('key id must be a UUID');

const idempotencyKeySchema = z
  .string()
  .min(1)
  .max(255, 'Idempotency-Key must be at most 255 characters')
  .regex(/^[\x21-\x7e]+$/, 'Idempotency-Key must be printable ASCII');

const listKeysQuerySchema = z
  .object({
    status: z
      .string()
      .transform(text => text.split(','))
      .pipe(z.array(z.enum(API_KEY_STATUSES)).min(1))
      .optional(),
    include: z.literal('usage').optional(),
  })
  .strict();

/** Body of `POST /admin/keys/lookup`: a leaked secret, or the masked name seen somewhere. */
export const keyLookupRequestSchema = z.union([
  z.object({ secret: z.string().min(8).max(512) }).strict(),
  z
    .object({
      displayName: z
        .string()
        .regex(
          /^sk-\.\.\.[A-Za-z0-9_-]{1,4}$/,
          'displayName looks like sk-...abcd',
        ),
    })
    .strict(),
]);

const blockRequestSchema = z
  .object({ reason: reasonTextSchema.optional() })
  .strict();

/**
 * `/keys*`, `/admin/keys*` and `GET /config`. Handlers parse, resolve the caller (user
 * tokens only) and delegate to the key services, which authorize and audit.
 */
export function registerKeyRoutes(
  router: LiteMaaSRouter,
  options: {
    callers: RequestCallers;
    keys: KeyService;
    keyAdmin: KeyAdminService;
    settings: LiteMaaSSettings;
    /** `POST /keys` with `deliver: 'reveal'`. */
    revealDelivery: KeyRevealDelivery;
    idempotency: KeyIdempotency;
  },
): void {
  const { callers, keys, keyAdmin, settings, revealDelivery, idempotency } =
    options;

  // Not sensitive: any authenticated principal (the default auth policy) may read it.
  router.get('/config', async (_req, res) => {
    res.json({
      publicBaseUrl: settings.publicBaseUrl,
      currency: settings.currency,
      keyDefaults: settings.keyDefaults,
      keyMaximums: settings.keyMaximums,
      keyBudgetPeriods: settings.keyBudgetPeriods,
      rotationMaxGraceSeconds: settings.rotationMaxGraceSeconds,
    });
  });

  router.get('/keys', async (req, res) => {
    const caller = await callers.caller(req);
    const query = parse(listKeysQuerySchema, req.query, 'key list query');
    const listing = { statuses: query.status };
    res.json({
      items:
        query.include === 'usage'
          ? await keys.listWithUsage(caller, listing)
          : await keys.list(caller, listing),
    });
  });

  router.post('/keys', async (req, res) => {
    const caller = await callers.caller(req);
    const body = parse(createKeyRequestSchema, req.body, 'key');
    const header = req.header('Idempotency-Key');
    const idempotencyKey =
      header === undefined
        ? undefined
        : parse(idempotencyKeySchema, header, 'Idempotency-Key header');
    res.setHeader('Cache-Control', 'no-store');
    const result = await idempotency.create(caller, idempotencyKey, body, () =>
      body.deliver === 'reveal'
        ? revealDelivery.create(caller, body)
        : keys.create(caller, body),
    );
    if (result.replayed) {
      // The key an earlier request with this Idempotency-Key made, without a secret.
      res.setHeader('Idempotency-Replayed', 'true');
      res.status(200).json(result.body);
      return;
    }
    res.status(201).json(result.body);
  });

  router.get('/keys/:id', async (req, res) => {
    const caller = await callers.caller(req);
    const id = parse(keyIdSchema, req.params.id, 'key id');
    res.json(await keys.get(caller, id));
  });

  router.patch('/keys/:id', async (req, res) => {
    const caller = await callers.caller(req);
    const id = parse(keyIdSchema, req.params.id, 'key id');
    const body = parse(updateKeyRequestSchema, req.body, 'key update');
    res.json(await keys.update(caller, id, body));
  });

  router.post('/keys/:id/rotate', async (req, res) => {
    const caller = await callers.caller(req);
    const id = parse(keyIdSchema, req.params.id, 'key id');
    const body = parse(rotateKeyRequestSchema, req.body, 'rotation');
    res.setHeader('Cache-Control', 'no-store');
    res.status(201).json(await keys.rotate(caller, id, body));
  });

  router.delete('/keys/:id', async (req, res) => {
    const caller = await callers.caller(req);
    const id = parse(keyIdSchema, req.params.id, 'key id');
    res.json(await keys.revoke(caller, id));
  });

  router.post('/admin/keys/lookup', async (req, res) => {
    const caller = await callers.caller(req);
    const body = parse(keyLookupRequestSchema, req.body, 'key lookup');
    res.setHeader('Cache-Control', 'no-store');
    res.json(await keyAdmin.lookup(caller, body));
  });

  router.post('/admin/keys/reconcile', async (req, res) => {
    const caller = await callers.caller(req);
    parse(z.object({}).strict(), req.body, 'reconcile request');
    res.json(await keyAdmin.runReconcile(caller));
  });

  router.post('/admin/keys/expire-grace', async (req, res) => {
    const caller = await callers.caller(req);
    parse(z.object({}).strict(), req.body, 'grace expiry request');
    res.json(await keyAdmin.runGraceExpiry(caller));
  });

  router.post('/admin/keys/:id/block', async (req, res) => {
    const caller = await callers.caller(req);
    const id = parse(keyIdSchema, req.params.id, 'key id');
    const body = parse(blockRequestSchema, req.body, 'block request');
    res.json(await keyAdmin.block(caller, id, body.reason));
  });

  router.post('/admin/keys/:id/unblock', async (req, res) => {
    const caller = await callers.caller(req);
    const id = parse(keyIdSchema, req.params.id, 'key id');
    parse(z.object({}).strict(), req.body, 'unblock request');
    res.json(await keyAdmin.unblock(caller, id));
  });
}
