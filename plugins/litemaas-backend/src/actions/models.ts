import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { InputError } from '@backstage/errors';
import {
  listModelsQuerySchema,
  modelIdSchema,
  modelSchema,
  reasonTextSchema,
  subscriptionSchema,
} from '@litemaas/backstage-plugin-litemaas-common';
import { LiteMaaSActionServices } from './types';

const subscriptionOutput = (z: typeof import('zod/v3').z) =>
  z.object({
    subscription: subscriptionSchema,
    created: z
      .boolean()
      .describe('False when the user already had this subscription'),
  });

/** `list-models`, `subscribe-to-model` and `request-model-access`. */
export function registerModelActions(
  registry: ActionsRegistryService,
  services: LiteMaaSActionServices,
): void {
  const { callers, models, subscriptions } = services;

  registry.register({
    name: 'list-models',
    title: 'List LiteMaaS models',
    description:
      "Lists the large language models the portal's LiteLLM proxy offers, with the calling user's access to each: `subscription` is null when they have none, otherwise its status (active: usable in API keys; pending: waiting for an approver; denied, cancelled, expired). `restricted` models need an approval (request-model-access); open ones are subscribed to at once (subscribe-to-model).",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: () => listModelsQuerySchema,
      output: z =>
        z.object({
          items: z.array(
            modelSchema.extend({
              subscription: subscriptionSchema
                .pick({
                  id: true,
                  subjectRef: true,
                  status: true,
                  expiresAt: true,
                })
                .nullable(),
            }),
          ),
          total: z.number(),
        }),
    },
    action: async ({ input, credentials }) => {
      const caller = await callers.actionCaller(credentials);
      return { output: await models.list(caller, input) };
    },
  });

  registry.register({
    name: 'subscribe-to-model',
    title: 'Subscribe to an open LiteMaaS model',
    description:
      'Subscribes the calling user to an open (not restricted) model, so their API keys may call it. A restricted model needs an approval instead: use request-model-access with a justification.',
    attributes: { destructive: false, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            modelId: modelIdSchema.describe(
              'Id of the model, as list-models gives it',
            ),
          })
          .strict(),
      output: subscriptionOutput,
    },
    action: async ({ input, credentials }) => {
      const caller = await callers.actionCaller(credentials);
      const model = await models.get(caller, input.modelId);
      if (model.restricted) {
        throw new InputError(
          `Model '${model.id}' is restricted: ask for access with request-model-access and a justification`,
        );
      }
      return {
        output: await subscriptions.create(caller, { modelId: model.id }),
      };
    },
  });

  registry.register({
    name: 'request-model-access',
    title: 'Request access to a restricted LiteMaaS model',
    description:
      "Asks for access to a restricted model for the calling user, with a justification an approver (a LiteMaaS admin or a member of the model's owner group) reads. The subscription stays pending until they approve it; its status is in list-models. A denied request can be asked again with a new justification.",
    attributes: { destructive: false, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            modelId: modelIdSchema.describe(
              'Id of the model, as list-models gives it',
            ),
            justification: reasonTextSchema.describe(
              'Why the user needs the model (what for, which service), for the approver',
            ),
          })
          .strict(),
      output: subscriptionOutput,
    },
    action: async ({ input, credentials }) => {
      const caller = await callers.actionCaller(credentials);
      return { output: await subscriptions.create(caller, input) };
    },
  });
}
