import { z } from 'zod/v3';
import {
  budgetDurationSchema,
  entityRefSchema,
  isoDateTimeSchema,
  maxBudgetSchema,
  modelIdSchema,
  rateLimitSchema,
} from './primitives';
import { looksLikeSecret } from './secrets';

/** @public */
export const API_KEY_STATUSES = [
  'pending',
  'active',
  'blocked',
  'revoked',
  'expired',
  'failed',
] as const;

/** @public */
export type ApiKeyStatus = (typeof API_KEY_STATUSES)[number];

/** How a new key's secret is handed over (see {@link createKeyRequestSchema}). @public */
export const KEY_DELIVERIES = ['response', 'reveal'] as const;

/** @public */
export type KeyDelivery = (typeof KEY_DELIVERIES)[number];

/**
 * An API key as stored and listed. It never carries the secret: only the LiteLLM token
 * hash and a masked display name such as `sk-...abcd`.
 *
 * @public
 */
export const apiKeySchema = z.object({
  id: z.string(),
  /** User, group, component or system entity ref. */
  ownerRef: z.string(),
  /**
   * The group whose LiteMaaS team the key belongs to: the owner of a group key, the owner
   * group of a component's or system's key; null for a user's key.
   */
  teamRef: z.string().nullable().optional(),
  createdBy: z.string(),
  name: z.string(),
  /** Null while the key is pending. */
  litellmKeyHash: z.string().nullable(),
  litellmAlias: z.string(),
  /** Null while the key is pending. */
  displayName: z.string().nullable(),
  models: z.array(z.string()),
  maxBudget: z.number().nullable(),
  budgetDuration: z.string().nullable(),
  tpmLimit: z.number().nullable(),
  rpmLimit: z.number().nullable(),
  expiresAt: z.string().nullable(),
  metadata: z.record(z.string()),
  status: z.enum(API_KEY_STATUSES),
  /** True when an admin blocked the key; only an admin may unblock it. */
  blockedByAdmin: z.boolean(),
  rotatedFromKeyId: z.string().nullable(),
  /** When a rotated-out key stops working. */
  graceExpiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** @public */
export type ApiKey = z.infer<typeof apiKeySchema>;

/**
 * The answer to a key creation or rotation: the only place the secret ever appears.
 *
 * @public
 */
export const createdApiKeySchema = apiKeySchema.extend({ secret: z.string() });

/** @public */
export type CreatedApiKey = z.infer<typeof createdApiKeySchema>;

const keyNameSchema = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(100, 'name must be at most 100 characters')
  .refine(name => !looksLikeSecret(name), 'name must not contain a key secret');

const keyModelsSchema = z
  .array(modelIdSchema)
  .min(1, 'at least one model is required')
  .max(50, 'at most 50 models per key')
  .refine(
    models => new Set(models).size === models.length,
    'models must not repeat',
  );

const metadataSchema = z
  .record(
    z
      .string()
      .min(1)
      .max(64, 'metadata keys are at most 64 characters')
      .regex(/^[A-Za-z0-9._-]+$/, 'metadata keys use letters, digits, . _ -'),
    z.string().max(256, 'metadata values are at most 256 characters'),
  )
  .refine(m => Object.keys(m).length <= 20, 'at most 20 metadata entries')
  .refine(
    m => !Object.values(m).some(looksLikeSecret),
    'metadata must not contain a key secret',
  );

/**
 * Body of `POST /keys`. `owner` defaults to the calling user. Whether `expiresAt` is in
 * the future, and whether the limits stay under the owner's, is checked by the route.
 *
 * @public
 */
export const createKeyRequestSchema = z
  .object({
    name: keyNameSchema,
    models: keyModelsSchema,
    owner: entityRefSchema(['user', 'group', 'component', 'system']).optional(),
    maxBudget: maxBudgetSchema.optional(),
    budgetDuration: budgetDurationSchema.optional(),
    tpmLimit: rateLimitSchema.optional(),
    rpmLimit: rateLimitSchema.optional(),
    expiresAt: isoDateTimeSchema.optional(),
    metadata: metadataSchema.optional(),
    /**
     * How the secret is handed over: in the answer (`response`, the default), or kept
     * encrypted by the backend for a one-time reveal (`reveal`: the answer then carries
     * `reveal` and no secret; used by software templates so the secret never reaches a
     * task log or output).
     */
    deliver: z.enum(KEY_DELIVERIES).optional(),
  })
  .strict();

/** @public */
export type CreateKeyRequest = z.infer<typeof createKeyRequestSchema>;

/**
 * A one-time reveal of a new key's secret: `GET {url}` (the backend's
 * `/reveal/:token`) returns it once, to the user who created the key or a member of the
 * owning group, until `expiresAt`.
 *
 * @public
 */
export const keyRevealSchema = z.object({
  token: z.string(),
  /** Absolute URL of the backend's reveal route. */
  url: z.string(),
  expiresAt: z.string(),
});

/** @public */
export type KeyReveal = z.infer<typeof keyRevealSchema>;

/**
 * The answer to a key creation with `deliver: 'reveal'`: the key and its reveal, never
 * the secret.
 *
 * @public
 */
export const revealedApiKeySchema = apiKeySchema.extend({
  reveal: keyRevealSchema,
});

/** @public */
export type RevealedApiKey = z.infer<typeof revealedApiKeySchema>;

/**
 * The answer of `GET /reveal/:token`.
 *
 * @public
 */
export const revealedSecretSchema = z.object({
  keyId: z.string(),
  secret: z.string(),
});

/** @public */
export type RevealedSecret = z.infer<typeof revealedSecretSchema>;

/**
 * Body of `PATCH /keys/:id`. `null` removes a limit or the expiry; `models` replaces the
 * key's model list and can never be empty.
 *
 * @public
 */
export const updateKeyRequestSchema = z
  .object({
    name: keyNameSchema,
    models: keyModelsSchema,
    maxBudget: maxBudgetSchema.nullable(),
    budgetDuration: budgetDurationSchema.nullable(),
    tpmLimit: rateLimitSchema.nullable(),
    rpmLimit: rateLimitSchema.nullable(),
    expiresAt: isoDateTimeSchema.nullable(),
    metadata: metadataSchema,
  })
  .partial()
  .strict()
  .refine(body => Object.keys(body).length > 0, 'nothing to update');

/** @public */
export type UpdateKeyRequest = z.infer<typeof updateKeyRequestSchema>;

/** Longest grace period of a rotation: 7 days. @public */
export const MAX_ROTATION_GRACE_SECONDS = 7 * 24 * 3600;

/**
 * Body of `POST /keys/:id/rotate`. With a grace period the old key keeps working that
 * many seconds; without one it stops at once.
 *
 * @public
 */
export const rotateKeyRequestSchema = z
  .object({
    gracePeriodSeconds: z
      .number()
      .int('gracePeriodSeconds must be a whole number')
      .min(0, 'gracePeriodSeconds must not be negative')
      .max(
        MAX_ROTATION_GRACE_SECONDS,
        'gracePeriodSeconds must be at most 7 days',
      )
      .optional(),
  })
  .strict();

/** @public */
export type RotateKeyRequest = z.infer<typeof rotateKeyRequestSchema>;
