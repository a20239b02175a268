import { z } from 'zod/v3';
import {
  budgetDurationSchema,
  maxBudgetSchema,
  rateLimitSchema,
} from './primitives';

/**
 * A user's limit overrides; `null` means the configured default applies.
 *
 * @public
 */
export const userLimitsSchema = z.object({
  entityRef: z.string(),
  litellmUserId: z.string().nullable(),
  maxBudget: z.number().nullable(),
  budgetDuration: z.string().nullable(),
  tpmLimit: z.number().nullable(),
  rpmLimit: z.number().nullable(),
  maxKeys: z.number().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** @public */
export type UserLimits = z.infer<typeof userLimitsSchema>;

/**
 * Body of the admin `PATCH /users/:ref/limits`; `null` removes an override.
 *
 * @public
 */
export const updateUserLimitsRequestSchema = z
  .object({
    maxBudget: maxBudgetSchema.nullable(),
    budgetDuration: budgetDurationSchema.nullable(),
    tpmLimit: rateLimitSchema.nullable(),
    rpmLimit: rateLimitSchema.nullable(),
    maxKeys: z
      .number()
      .int('maxKeys must be a whole number')
      .min(0, 'maxKeys must not be negative')
      .max(1000, 'maxKeys must be at most 1000')
      .nullable(),
  })
  .partial()
  .strict()
  .refine(body => Object.keys(body).length > 0, 'nothing to update');

/** @public */
export type UpdateUserLimitsRequest = z.infer<
  typeof updateUserLimitsRequestSchema
>;
