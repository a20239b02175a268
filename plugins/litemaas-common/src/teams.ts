import { z } from 'zod/v3';
import {
  budgetDurationSchema,
  entityRefSchema,
  maxBudgetSchema,
  modelIdSchema,
  rateLimitSchema,
} from './primitives';

/**
 * Catalog annotations of a `Group` entity that carry its LiteMaaS team settings
 * ("budgets as code"). Values set here win over the admin API, which refuses to change
 * them (409) so a change is always reviewed where the entity lives.
 *
 * @public
 */
export const LITEMAAS_TEAM_ANNOTATIONS = {
  /** Budget in the proxy's currency, e.g. `"500"`. */
  budget: 'litemaas.io/budget',
  /** `daily`, `weekly`, `monthly`, or a LiteLLM duration such as `30d`. */
  budgetPeriod: 'litemaas.io/budget-period',
  /** Tokens per minute of the whole team. */
  tpmLimit: 'litemaas.io/tpm-limit',
  /** Requests per minute of the whole team. */
  rpmLimit: 'litemaas.io/rpm-limit',
  /** Comma-separated model ids the team's keys may use. */
  allowedModels: 'litemaas.io/allowed-models',
} as const;

/** A team setting that an annotation or the admin API may set. @public */
export type TeamSettingField =
  | 'maxBudget'
  | 'budgetDuration'
  | 'tpmLimit'
  | 'rpmLimit'
  | 'allowedModels';

/** Named budget periods and the LiteLLM durations they stand for. @public */
export const BUDGET_PERIOD_ALIASES: Record<string, string> = {
  daily: '1d',
  weekly: '7d',
  monthly: '1mo',
};

/**
 * A budget period: `daily`, `weekly`, `monthly` or a LiteLLM duration (`1d`, `7d`, `1mo`).
 *
 * @public
 */
export const budgetPeriodSchema = z
  .string()
  .trim()
  .transform(value => BUDGET_PERIOD_ALIASES[value.toLowerCase()] ?? value)
  .pipe(budgetDurationSchema);

const allowedModelsSchema = z
  .array(modelIdSchema)
  .min(
    1,
    'allowedModels must name at least one model (null lifts the restriction)',
  )
  .max(500, 'allowedModels is too long');

/**
 * A LiteMaaS team: a Backstage group with a LiteLLM team, its budget and limits.
 *
 * @public
 */
export const teamSchema = z.object({
  /** `group:default/payments` */
  ref: z.string(),
  /** The LiteLLM team id. */
  litellmTeamId: z.string(),
  displayName: z.string().nullable(),
  maxBudget: z.number().nullable(),
  budgetDuration: z.string().nullable(),
  tpmLimit: z.number().nullable(),
  rpmLimit: z.number().nullable(),
  /** Models the team's keys may use; null = bounded by subscriptions only. */
  allowedModels: z.array(z.string()).nullable(),
  /** Settings that come from the group's catalog annotations. */
  catalogManaged: z.array(z.string()),
  members: z.array(z.string()),
  /** Live from LiteLLM; null when LiteLLM could not be asked. */
  spend: z.number().nullable(),
  budgetResetAt: z.string().nullable(),
  /** spend / maxBudget when both are known. */
  budgetUsedRatio: z.number().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  lastSyncedAt: z.string().nullable(),
});

/** @public */
export type Team = z.infer<typeof teamSchema>;

/**
 * Body of the admin `POST /admin/teams`: enable LiteMaaS for a catalog group.
 *
 * @public
 */
export const enableTeamRequestSchema = z
  .object({
    group: entityRefSchema(['group']),
    maxBudget: maxBudgetSchema.optional(),
    budgetDuration: budgetPeriodSchema.optional(),
    tpmLimit: rateLimitSchema.optional(),
    rpmLimit: rateLimitSchema.optional(),
    allowedModels: allowedModelsSchema.optional(),
  })
  .strict();

/** @public */
export type EnableTeamRequest = z.infer<typeof enableTeamRequestSchema>;

/**
 * Body of the admin `PATCH /admin/teams/:ref`; `null` removes a limit.
 *
 * @public
 */
export const updateTeamRequestSchema = z
  .object({
    maxBudget: maxBudgetSchema.nullable(),
    budgetDuration: budgetPeriodSchema.nullable(),
    tpmLimit: rateLimitSchema.nullable(),
    rpmLimit: rateLimitSchema.nullable(),
    allowedModels: allowedModelsSchema.nullable(),
  })
  .partial()
  .strict()
  .refine(body => Object.keys(body).length > 0, 'nothing to update');

/** @public */
export type UpdateTeamRequest = z.infer<typeof updateTeamRequestSchema>;

/** A group ref in a URL path (`group:default/payments`). @public */
export const teamRefParamSchema = entityRefSchema(['group']);
