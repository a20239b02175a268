import { InputError } from '@backstage/errors';
import {
  modelIdSchema,
  reasonTextSchema,
} from '@litemaas/backstage-plugin-litemaas-common';
import {
  createTemplateAction,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import { ensureSubscriptionExamples } from './ensureSubscription.examples';
import {
  clientForInitiator,
  describeBackendError,
  describeZodError,
  LiteMaaSActionDeps,
} from './litemaasApi';
import { resolveOwner } from './owner';

/** Id of the action. @public */
export const ENSURE_SUBSCRIPTION_ACTION_ID = 'litemaas:subscription:ensure';

const inputSchema = z
  .object({
    models: z
      .array(modelIdSchema)
      .min(1, 'at least one model is required')
      .max(50, 'at most 50 models')
      .refine(m => new Set(m).size === m.length, 'models must not repeat'),
    owner: z.string().min(1, 'owner must not be empty').optional(),
    justification: reasonTextSchema.optional(),
    onPending: z.enum(['fail', 'continue']).optional(),
  })
  .strict();

/**
 * Input of `litemaas:subscription:ensure`. Written out (rather than inferred from the zod
 * schema) so the package's API report prints it the same way on every tree.
 *
 * @public
 */
export type EnsureSubscriptionInput = {
  models: string[];
  owner?: string | undefined;
  justification?: string | undefined;
  onPending?: 'fail' | 'continue' | undefined;
};

/** One subscription in the output of `litemaas:subscription:ensure`. @public */
export type EnsuredSubscription = {
  id: string;
  modelId: string;
  status: string;
};

/** Output of `litemaas:subscription:ensure`. @public */
export type EnsureSubscriptionOutput = {
  owner: string;
  active: string[];
  pending: string[];
  subscriptions: EnsuredSubscription[];
};

/**
 * `litemaas:subscription:ensure`: makes sure the owner (a group or the user) has a
 * subscription to every model. Open models are subscribed at once; restricted ones
 * become requests `pending` an approver's decision, which fails the step unless
 * `onPending: continue`. Subscribing is idempotent in LiteMaaS, so a retried task does
 * not create anything twice. A dry run reads the model list and predicts, creating
 * nothing.
 *
 * @public
 */
export function createEnsureSubscriptionAction(
  deps: LiteMaaSActionDeps,
): TemplateAction<EnsureSubscriptionInput, EnsureSubscriptionOutput, 'v2'> {
  return createTemplateAction({
    id: ENSURE_SUBSCRIPTION_ACTION_ID,
    description:
      'Makes sure a group or user has active LiteMaaS subscriptions to the given models. Restricted models become requests pending approval: the step then fails, or continues when onPending is "continue" (outputs list what is active and what is pending). Acts as the user running the template.',
    examples: ensureSubscriptionExamples,
    supportsDryRun: true,
    schema: {
      input: {
        models: zod =>
          zod
            .array(zod.string())
            .min(1)
            .describe(
              'Model ids as LiteMaaS lists them (e.g. gpt-4o); the owner is subscribed to each',
            ),
        owner: zod =>
          zod
            .string()
            .optional()
            .describe(
              'Entity ref of the subscriber: a group the user belongs to (group:default/payments; a bare name means a group) or the user. Default: the user running the template',
            ),
        justification: zod =>
          zod
            .string()
            .optional()
            .describe(
              'Why the models are needed; shown to approvers of restricted models',
            ),
        onPending: zod =>
          zod
            .enum(['fail', 'continue'])
            .optional()
            .describe(
              'What to do when a restricted model is pending approval: fail the step (default) or continue with the active models',
            ),
      },
      output: {
        owner: zod =>
          zod.string().describe('The subscriber, as a full entity ref'),
        active: zod =>
          zod
            .array(zod.string())
            .describe('Models the owner is subscribed to and may use now'),
        pending: zod =>
          zod
            .array(zod.string())
            .describe('Restricted models awaiting an approver'),
        subscriptions: zod =>
          zod
            .array(
              zod.object({
                id: zod.string(),
                modelId: zod.string(),
                status: zod.string(),
              }),
            )
            .describe('The subscriptions, one per model'),
      },
    },
    async handler(ctx) {
      const parsed = inputSchema.safeParse(ctx.input);
      if (!parsed.success) {
        throw new InputError(
          `Invalid input to ${ENSURE_SUBSCRIPTION_ACTION_ID}: ${describeZodError(
            parsed.error,
          )}`,
        );
      }
      const input = parsed.data;
      const onPending = input.onPending ?? 'fail';
      const { client, userRef } = await clientForInitiator(ctx, deps);
      const owner = resolveOwner(input.owner, userRef);

      if (ctx.isDryRun) {
        // Read-only: which models exist, which need an approver.
        let listed;
        try {
          listed = await client.listModels();
        } catch (error) {
          throw describeBackendError(error, 'list the models');
        }
        const byId = new Map(listed.items.map(m => [m.id, m]));
        const unknown = input.models.filter(m => !byId.has(m));
        if (unknown.length > 0) {
          throw new InputError(
            `Unknown models: ${unknown.join(', ')} (LiteMaaS offers ${
              listed.items.map(m => m.id).join(', ') || 'no models'
            })`,
          );
        }
        const pending = input.models.filter(
          m =>
            byId.get(m)!.restricted &&
            byId.get(m)!.subscription?.status !== 'active',
        );
        const active = input.models.filter(m => !pending.includes(m));
        ctx.logger.info(
          `Dry run: would subscribe ${owner} to ${input.models.join(
            ', ',
          )}; nothing was subscribed. Predicted active: ${
            active.join(', ') || 'none'
          }; pending approval: ${pending.join(', ') || 'none'}`,
        );
        ctx.output('owner', owner);
        ctx.output('active', active);
        ctx.output('pending', pending);
        ctx.output('subscriptions', []);
        return;
      }

      const subscriptions = [];
      for (const modelId of input.models) {
        try {
          const subscription = await client.createSubscription({
            modelId,
            subject: owner,
            justification: input.justification,
          });
          subscriptions.push({
            id: subscription.id,
            modelId,
            status: subscription.status,
          });
          ctx.logger.info(
            `${owner} → ${modelId}: ${subscription.status}${
              subscription.status === 'pending' ? ' (awaiting approval)' : ''
            }`,
          );
        } catch (error) {
          throw describeBackendError(error, `subscribe ${owner} to ${modelId}`);
        }
      }
      const active = subscriptions
        .filter(s => s.status === 'active')
        .map(s => s.modelId);
      const pending = subscriptions
        .filter(s => s.status === 'pending')
        .map(s => s.modelId);
      ctx.output('owner', owner);
      ctx.output('active', active);
      ctx.output('pending', pending);
      ctx.output('subscriptions', subscriptions);
      if (pending.length > 0) {
        const message = `${owner} is waiting for approval of ${pending.join(
          ', ',
        )} (restricted models); an approver decides in LiteMaaS`;
        if (onPending === 'fail') {
          throw new Error(
            `${message}. The step fails because onPending is "fail"; run the template again once approved, or set onPending: continue`,
          );
        }
        ctx.logger.warn(`${message}; continuing with ${active.join(', ')}`);
      }
    },
  });
}
