import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
} from '@backstage/plugin-permission-node';
import {
  LITEMAAS_KEY_RESOURCE_TYPE,
  LITEMAAS_PLUGIN_ID,
  normalizeEntityRef,
} from '@litemaas/backstage-plugin-litemaas-common';
import { z } from 'zod/v4';

/**
 * What a key permission rule sees of a key: who owns it.
 *
 * @public
 */
export interface KeyPermissionResource {
  ownerRef: string;
  /** The group whose team the key belongs to (a component's key: its owner group). */
  teamRef?: string | null;
}

/**
 * What a key permission rule becomes in a database query: owner refs to match.
 *
 * @public
 */
export type KeyPermissionQuery = { ownerRefs: string[] };

/** @public */
export const litemaasKeyResourceRef = createPermissionResourceRef<
  KeyPermissionResource,
  KeyPermissionQuery
>().with({
  pluginId: LITEMAAS_PLUGIN_ID,
  resourceType: LITEMAAS_KEY_RESOURCE_TYPE,
});

/**
 * Allows keys whose owner (a user, a group or a component) is one of the given entity
 * refs. Policies pass the caller's ownership refs: their user ref and their groups.
 * Refs compare normalised, as the catalog compares them.
 */
const isKeyOwner = createPermissionRule({
  name: 'IS_KEY_OWNER',
  description: 'Allow keys owned by one of the given users, groups or entities',
  resourceRef: litemaasKeyResourceRef,
  paramsSchema: z.object({
    claims: z
      .array(z.string())
      .describe('Entity refs of the owners whose keys are allowed'),
  }),
  apply: (key, { claims }) => {
    const refs = claims.map(normalizeEntityRef);
    return [key.ownerRef, key.teamRef]
      .filter((ref): ref is string => Boolean(ref))
      .some(ref => refs.includes(normalizeEntityRef(ref)));
  },
  toQuery: ({ claims }) => ({ ownerRefs: claims.map(normalizeEntityRef) }),
});

/** Every rule of the key resource type, for registration. */
export const litemaasKeyRules = { isKeyOwner };

const keyConditionExports = createConditionExports({
  resourceRef: litemaasKeyResourceRef,
  rules: litemaasKeyRules,
});

/**
 * Conditions on keys for policy authors, e.g.
 * `createLitemaasKeyConditionalDecision(request.permission, litemaasKeyConditions.isKeyOwner({ claims: user.identity.ownershipEntityRefs }))`.
 *
 * @public
 */
export const litemaasKeyConditions = keyConditionExports.conditions;

/**
 * A conditional decision on a key permission, from {@link litemaasKeyConditions}.
 *
 * @public
 */
export const createLitemaasKeyConditionalDecision =
  keyConditionExports.createConditionalDecision;
