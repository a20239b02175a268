import { InputError, ResponseError } from '@backstage/errors';
import {
  createKeyRequestSchema,
  CreateKeyRequest,
  entityRefSchema,
  KEY_METADATA_COMPONENT,
} from '@litemaas/backstage-plugin-litemaas-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { z } from 'zod/v3';
import { createKeyExamples } from './createKey.examples';
import {
  clientForInitiator,
  describeBackendError,
  describeZodError,
  LiteMaaSActionDeps,
} from './litemaasApi';
import { resolveOwner } from './owner';

/** Who may own a key minted by a template; a component's key joins its owner's team. */
const KEY_OWNER_KINDS = ['group', 'user', 'component', 'system'];

/** Id of the action. @public */
export const CREATE_KEY_ACTION_ID = 'litemaas:key:create';

/** Metadata keys the action adds to the key. @public */
export const KEY_METADATA = {
  component: KEY_METADATA_COMPONENT,
  task: 'backstage.scaffolder-task',
  template: 'backstage.template',
} as const;

const inputSchema = createKeyRequestSchema
  .omit({ owner: true, deliver: true })
  .extend({
    owner: z.string().min(1, 'owner must not be empty').optional(),
    component: entityRefSchema(['component']).optional(),
    waitForOwnerSeconds: z
      .number({ invalid_type_error: 'waitForOwnerSeconds must be a number' })
      .int('waitForOwnerSeconds must be a whole number')
      .min(0, 'waitForOwnerSeconds must not be negative')
      .max(600, 'waitForOwnerSeconds must be at most 600')
      .optional(),
    expiresInDays: z
      .number({ invalid_type_error: 'expiresInDays must be a number' })
      .int('expiresInDays must be a whole number')
      .positive('expiresInDays must be positive')
      .max(3650, 'expiresInDays must be at most 3650')
      .optional(),
  })
  .strict()
  .superRefine((input, issue) => {
    if (input.expiresAt && input.expiresInDays) {
      issue.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['expiresInDays'],
        message: 'give expiresAt or expiresInDays, not both',
      });
    }
    if (input.expiresAt && new Date(input.expiresAt).getTime() <= Date.now()) {
      issue.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['expiresAt'],
        message: 'expiresAt must be in the future',
      });
    }
  });

/** What the checkpoint keeps: identifiers and the reveal link, never the secret. */
interface CreatedKeyOutput {
  keyId: string;
  alias: string;
  displayName: string;
  ownerRef: string;
  revealUrl: string;
  revealPageUrl: string;
  revealExpiresAt: string;
  [key: string]: string;
}

/**
 * The portal page that shows a one-time reveal (the LiteMaaS page's reveal route). A
 * path, so the task's output link navigates inside the portal instead of opening a new
 * window.
 */
function revealPagePath(token: string): string {
  return `/litemaas/reveal/${encodeURIComponent(token)}`;
}

/**
 * How long a key for a component or system waits, by default, for its owner to appear in
 * the catalog: a template that registers the new component (`catalog:register`) and then
 * mints its key meets the catalog before it has processed the entity.
 */
export const DEFAULT_OWNER_WAIT_SECONDS = 60;
/** How often the owner is asked for again while waiting. */
const OWNER_POLL_MS = 2_000;

/** LiteMaaS refused because the owning component or system is not in the catalog (yet). */
function ownerNotInCatalog(error: unknown): boolean {
  return (
    error instanceof ResponseError &&
    error.response.status === 404 &&
    /was not found in the catalog/.test(
      error.body?.error?.message ?? error.message,
    )
  );
}

/**
 * `litemaas:key:create`: mints a LiteMaaS API key owned by a group (a new service's
 * team) or the user running the template, with its limits and expiry. The secret stays
 * in LiteMaaS: the backend keeps it encrypted for a one-time reveal by the user (or a
 * member of the owning group) and the step outputs only the key's id, alias, masked
 * name and the reveal link. The creation runs in a checkpoint, so a retried task reuses
 * the key of the first attempt instead of minting a second one. A dry run validates the
 * input and creates nothing.
 *
 * @public
 */
export function createCreateKeyAction(deps: LiteMaaSActionDeps) {
  return createTemplateAction({
    id: CREATE_KEY_ACTION_ID,
    description:
      "Creates a LiteMaaS API key for a group (e.g. the new service's team) or the user running the template, with models, budget, TPM/RPM limits and expiry. The secret is never in the task: the output holds a one-time reveal link (valid for minutes) that only the user or a member of the owning group can open. Retries reuse the key of the first attempt; dry runs create nothing.",
    examples: createKeyExamples,
    supportsDryRun: true,
    schema: {
      input: {
        name: zod =>
          zod
            .string()
            .min(1)
            .max(100)
            .describe(
              'Name of the key, shown in LiteMaaS (e.g. the service name)',
            ),
        models: zod =>
          zod
            .array(zod.string())
            .min(1)
            .describe(
              'Models the key may call; the owner needs an active subscription to each (see litemaas:subscription:ensure)',
            ),
        owner: zod =>
          zod
            .string()
            .optional()
            .describe(
              "Entity ref of the owner: a group the user belongs to (group:default/payments; a bare name means a group), a component or system such a group owns in the catalog (component:default/my-service; the key joins the group's team), or the user. Default: the user running the template",
            ),
        waitForOwnerSeconds: zod =>
          zod
            .number()
            .optional()
            .describe(
              `For a component or system owner: how long to wait for it to appear in the catalog, e.g. right after a catalog:register step (default ${DEFAULT_OWNER_WAIT_SECONDS}; 0 does not wait)`,
            ),
        component: zod =>
          zod
            .string()
            .optional()
            .describe(
              `Entity ref of the component the key is for (component:default/my-service); recorded in the key's metadata (${KEY_METADATA.component})`,
            ),
        maxBudget: zod =>
          zod
            .number()
            .positive()
            .optional()
            .describe(
              "Budget per period in the portal's currency; default and maximum come from the portal's configuration",
            ),
        budgetDuration: zod =>
          zod
            .string()
            .optional()
            .describe('Budget period: 1d, 7d, 30d, 12h or 1mo'),
        tpmLimit: zod =>
          zod
            .number()
            .int()
            .positive()
            .optional()
            .describe('Tokens per minute'),
        rpmLimit: zod =>
          zod
            .number()
            .int()
            .positive()
            .optional()
            .describe('Requests per minute'),
        expiresAt: zod =>
          zod
            .string()
            .optional()
            .describe(
              'Expiry as an ISO 8601 date-time with time zone (2027-01-31T00:00:00Z); or use expiresInDays',
            ),
        expiresInDays: zod =>
          zod
            .number()
            .int()
            .positive()
            .optional()
            .describe('Days until the key expires; or use expiresAt'),
        metadata: zod =>
          zod
            .record(zod.string())
            .optional()
            .describe('Extra labels stored with the key (at most 20)'),
      },
      output: {
        keyId: zod => zod.string().describe('Id of the key in LiteMaaS'),
        alias: zod =>
          zod.string().describe('Alias of the key in the LiteLLM proxy'),
        displayName: zod =>
          zod
            .string()
            .describe('Masked key as shown in the portal (sk-...abcd)'),
        ownerRef: zod => zod.string().describe('The owner of the key'),
        revealUrl: zod =>
          zod
            .string()
            .describe(
              'One-time link to the secret (GET with a Backstage token of the user or an owning-group member); gone after the first read or when it expires',
            ),
        revealPageUrl: zod =>
          zod
            .string()
            .describe(
              "The portal page that shows the secret once (LiteMaaS's reveal page); link to this from the template's output",
            ),
        revealExpiresAt: zod =>
          zod.string().describe('When the reveal link stops working'),
      },
    },
    async handler(ctx) {
      const parsed = inputSchema.safeParse(ctx.input);
      if (!parsed.success) {
        throw new InputError(
          `Invalid input to ${CREATE_KEY_ACTION_ID}: ${describeZodError(
            parsed.error,
          )}`,
        );
      }
      const { component, expiresInDays, owner, waitForOwnerSeconds, ...input } =
        parsed.data;
      const { client, userRef } = await clientForInitiator(ctx, deps);
      const ownerRef = resolveOwner(owner, userRef, KEY_OWNER_KINDS);
      const metadata: Record<string, string> = {
        ...input.metadata,
        [KEY_METADATA.task]: ctx.task.id,
        ...(component ? { [KEY_METADATA.component]: component } : {}),
        ...(ctx.templateInfo?.entityRef
          ? { [KEY_METADATA.template]: ctx.templateInfo.entityRef }
          : {}),
      };
      const request: CreateKeyRequest = {
        ...input,
        owner: ownerRef,
        metadata,
        deliver: 'reveal',
      };
      // Fixed by the first attempt, so a retried step asks for exactly the same key.
      const expiresAt = expiresInDays
        ? await ctx.checkpoint<string>({
            key: 'litemaas-key-expires-at',
            fn: async () =>
              new Date(Date.now() + expiresInDays * 86_400_000).toISOString(),
          })
        : undefined;
      // What LiteMaaS will be asked, checked the way the backend checks it.
      const checked = createKeyRequestSchema.safeParse({
        ...request,
        ...(expiresAt ? { expiresAt } : {}),
      });
      if (!checked.success) {
        throw new InputError(
          `Invalid input to ${CREATE_KEY_ACTION_ID}: ${describeZodError(
            checked.error,
          )}`,
        );
      }
      const limits = describeLimits(checked.data, expiresInDays);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create key '${
            request.name
          }' for ${ownerRef} with ${request.models.join(
            ', ',
          )}${limits}; nothing was created`,
        );
        ctx.output('keyId', 'dry-run');
        ctx.output('alias', 'dry-run');
        ctx.output('displayName', 'dry-run');
        ctx.output('ownerRef', ownerRef);
        ctx.output('revealUrl', 'dry-run');
        ctx.output('revealPageUrl', 'dry-run');
        ctx.output('revealExpiresAt', new Date().toISOString());
        return;
      }

      let minted = false;
      const created = await ctx.checkpoint<CreatedKeyOutput>({
        key: 'litemaas-key-create',
        fn: async () => {
          const ownedByEntity = /^(component|system):/.test(ownerRef);
          const waitMs =
            (ownedByEntity
              ? waitForOwnerSeconds ?? DEFAULT_OWNER_WAIT_SECONDS
              : 0) * 1000;
          const started = Date.now();
          let key;
          for (let attempt = 1; ; attempt++) {
            try {
              key = await client.createKey(
                { ...checked.data, deliver: 'reveal' },
                // A retried step whose checkpoint was lost gets the key it made before.
                {
                  idempotencyKey: `scaffolder-task:${ctx.task.id}:${
                    ctx.step?.id ?? CREATE_KEY_ACTION_ID
                  }`,
                },
              );
              break;
            } catch (error) {
              const waited = Date.now() - started;
              if (
                !ownerNotInCatalog(error) ||
                waited + OWNER_POLL_MS > waitMs
              ) {
                const described = describeBackendError(
                  error,
                  `create key '${request.name}' for ${ownerRef}`,
                );
                if (ownerNotInCatalog(error)) {
                  described.message += waitMs
                    ? ` (waited ${Math.round(
                        waited / 1000,
                      )} s for the catalog; register it first, e.g. with catalog:register, or raise waitForOwnerSeconds)`
                    : ' (register it first, e.g. with catalog:register, and give waitForOwnerSeconds)';
                }
                throw described;
              }
              if (attempt === 1) {
                ctx.logger.info(
                  `${ownerRef} is not in the catalog yet; waiting up to ${
                    waitMs / 1000
                  } s for it to be processed`,
                );
              }
              await new Promise(resolve => setTimeout(resolve, OWNER_POLL_MS));
            }
          }
          minted = true;
          if (!('reveal' in key)) {
            throw new Error(
              'LiteMaaS answered a reveal delivery without a reveal link',
            );
          }
          // Only identifiers and the link go into the task's checkpoint state.
          return {
            keyId: key.id,
            alias: key.litellmAlias,
            displayName: key.displayName ?? '',
            ownerRef: key.ownerRef,
            revealUrl: key.reveal.url,
            revealPageUrl: revealPagePath(key.reveal.token),
            revealExpiresAt: key.reveal.expiresAt,
          };
        },
      });
      if (minted) {
        ctx.logger.info(
          `Created key '${request.name}' (${created.displayName}, id ${
            created.keyId
          }) for ${created.ownerRef} with ${request.models.join(
            ', ',
          )}${limits}. Its secret can be read once at the reveal link until ${
            created.revealExpiresAt
          }`,
        );
      } else {
        ctx.logger.info(
          `Key ${created.keyId} was already created by an earlier attempt of this task; no second key was minted`,
        );
      }
      ctx.output('keyId', created.keyId);
      ctx.output('alias', created.alias);
      ctx.output('displayName', created.displayName);
      ctx.output('ownerRef', created.ownerRef);
      ctx.output('revealUrl', created.revealUrl);
      ctx.output('revealPageUrl', created.revealPageUrl);
      ctx.output('revealExpiresAt', created.revealExpiresAt);
    },
  });
}

function describeLimits(
  request: CreateKeyRequest,
  expiresInDays: number | undefined,
): string {
  const parts = [
    request.maxBudget !== undefined &&
      `budget ${request.maxBudget}${
        request.budgetDuration ? ` per ${request.budgetDuration}` : ''
      }`,
    request.tpmLimit !== undefined && `${request.tpmLimit} TPM`,
    request.rpmLimit !== undefined && `${request.rpmLimit} RPM`,
    request.expiresAt &&
      `expiring ${request.expiresAt}${
        expiresInDays ? ` (${expiresInDays} days)` : ''
      }`,
  ].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join(', ')})` : '';
}
