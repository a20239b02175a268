import { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import {
  API_KEY_STATUSES,
  apiKeySchema,
  createKeyRequestSchema,
} from '@litemaas/backstage-plugin-litemaas-common';
import { LiteMaaSActionServices } from './types';

/** A key as the actions show it: never a secret, nor LiteLLM's hash of it. */
const keyOutputSchema = apiKeySchema.omit({ litellmKeyHash: true });

/** `list-my-keys` and `create-key`. */
export function registerKeyActions(
  registry: ActionsRegistryService,
  services: LiteMaaSActionServices,
): void {
  const { callers, keys, revealDelivery, appBaseUrl } = services;

  registry.register({
    name: 'list-my-keys',
    title: 'List my LiteMaaS API keys',
    description:
      "Lists the LiteMaaS API keys of the calling user and of the teams, components and systems they belong to: name, masked name (sk-...abcd), owner, models, budget, TPM/RPM limits, expiry and status. Secrets are never shown; a lost secret means rotating or creating a key in the portal. By default active, blocked and expired keys; `status` chooses others (e.g. ['revoked']).",
    attributes: { readOnly: true, idempotent: true },
    schema: {
      input: z =>
        z
          .object({
            status: z
              .array(z.enum(API_KEY_STATUSES))
              .min(1)
              .optional()
              .describe('Only keys in these statuses'),
          })
          .strict(),
      output: z => z.object({ items: z.array(keyOutputSchema) }),
    },
    action: async ({ input, credentials }) => {
      const caller = await callers.actionCaller(credentials);
      return {
        output: { items: await keys.list(caller, { statuses: input.status }) },
      };
    },
  });

  registry.register({
    name: 'create-key',
    title: 'Create a LiteMaaS API key',
    description:
      "Creates a LiteMaaS API key for the calling user (or, with `owner`, for a group they belong to or a component or system such a group owns) that may call the given models; the owner needs an active subscription to each (see list-models). Budget (`maxBudget` per `budgetDuration` such as 30d), `tpmLimit`, `rpmLimit` and `expiresAt` are optional; the portal's defaults and maximums apply. The secret is never in the answer: give the user `revealUrl`, a portal page that shows it once to them (or, for a group's key, to a member of the group) until `revealExpiresAt`.",
    attributes: { destructive: false },
    schema: {
      input: () => createKeyRequestSchema.omit({ deliver: true }),
      output: z =>
        z.object({
          key: keyOutputSchema,
          revealUrl: z
            .string()
            .describe(
              "The portal page that shows the key's secret once; hand it to the user",
            ),
          revealExpiresAt: z
            .string()
            .describe('When the reveal link stops working'),
        }),
    },
    action: async ({ input, credentials }) => {
      const caller = await callers.actionCaller(credentials);
      // The reveal delivery of software templates: the secret stays in the backend.
      const { reveal, ...key } = await revealDelivery.create(caller, {
        ...input,
        deliver: 'reveal',
      });
      return {
        output: {
          key,
          revealUrl: `${appBaseUrl}/litemaas/reveal/${encodeURIComponent(
            reveal.token,
          )}`,
          revealExpiresAt: reveal.expiresAt,
        },
      };
    },
  });
}
