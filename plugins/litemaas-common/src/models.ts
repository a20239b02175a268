import { z } from 'zod/v3';
import {
  booleanQuerySchema,
  entityRefSchema,
  isoDateTimeSchema,
  modelIdSchema,
} from './primitives';

/** @public */
export const MODEL_STATUSES = ['available', 'unavailable'] as const;

/** @public */
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/**
 * A model offered by the LiteLLM proxy, as the backend returns it.
 *
 * @public
 */
export const modelSchema = z.object({
  id: z.string(),
  provider: z.string(),
  description: z.string().nullable(),
  contextLength: z.number().nullable(),
  inputCostPerToken: z.number().nullable(),
  outputCostPerToken: z.number().nullable(),
  capabilities: z.array(z.string()),
  /** LiteLLM mode: chat, embedding, completion, image_generation, ... */
  mode: z.string(),
  restricted: z.boolean(),
  status: z.enum(MODEL_STATUSES),
  deprecated: z.boolean(),
  replacementModelId: z.string().nullable(),
  deprecationDate: z.string().nullable(),
  /** Catalog group whose members may approve subscription requests. */
  ownerGroupRef: z.string().nullable(),
  lastSyncedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** @public */
export type Model = z.infer<typeof modelSchema>;

const shortText = z.string().trim().min(1, 'must not be empty').max(100);

/**
 * Query of `GET /models`. `restricted` is the string `'true'` or `'false'`.
 *
 * @public
 */
export const listModelsQuerySchema = z
  .object({
    search: z.string().trim().max(100, 'search is at most 100 characters'),
    provider: shortText,
    capability: shortText,
    restricted: booleanQuerySchema,
    status: z.enum(MODEL_STATUSES),
  })
  .partial()
  .strict();

/** @public */
export type ListModelsQuery = z.infer<typeof listModelsQuerySchema>;

/**
 * Body of the admin `PATCH /models/:id`: only the fields the sync never overwrites.
 * `null` clears a field.
 *
 * @public
 */
export const updateModelRequestSchema = z
  .object({
    restricted: z.boolean(),
    description: z.string().max(2000).nullable(),
    ownerGroupRef: entityRefSchema(['group']).nullable(),
    deprecated: z.boolean(),
    replacementModelId: modelIdSchema.nullable(),
    deprecationDate: isoDateTimeSchema.nullable(),
    /**
     * With `restricted: true`: the active grants stay active. Without it, those no
     * approver decided go back to pending approval and leave their keys.
     */
    keepExistingGrants: z.boolean(),
  })
  .partial()
  .strict()
  .refine(
    body => Object.keys(body).some(k => k !== 'keepExistingGrants'),
    'nothing to update',
  )
  .refine(
    body => body.keepExistingGrants === undefined || body.restricted === true,
    {
      message: 'keepExistingGrants only goes with restricted: true',
      path: ['keepExistingGrants'],
    },
  );

/** @public */
export type UpdateModelRequest = z.infer<typeof updateModelRequestSchema>;
