import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Resource type of LiteMaaS API keys, for conditional (owner-based) decisions.
 *
 * @public
 */
export const LITEMAAS_KEY_RESOURCE_TYPE = 'litemaas-key';

/** Mint a key (for oneself, one's group, or an owned component). @public */
export const litemaasKeyCreatePermission = createPermission({
  name: 'litemaas.key.create',
  attributes: { action: 'create' },
});

/** See a key and its usage. Conditional on ownership. @public */
export const litemaasKeyReadPermission = createPermission({
  name: 'litemaas.key.read',
  attributes: { action: 'read' },
  resourceType: LITEMAAS_KEY_RESOURCE_TYPE,
});

/** Rename, change models or limits, rotate. Conditional on ownership. @public */
export const litemaasKeyUpdatePermission = createPermission({
  name: 'litemaas.key.update',
  attributes: { action: 'update' },
  resourceType: LITEMAAS_KEY_RESOURCE_TYPE,
});

/** Revoke. Conditional on ownership. @public */
export const litemaasKeyDeletePermission = createPermission({
  name: 'litemaas.key.delete',
  attributes: { action: 'delete' },
  resourceType: LITEMAAS_KEY_RESOURCE_TYPE,
});

/** Sync models now, mark them restricted or deprecated, describe them. @public */
export const litemaasModelManagePermission = createPermission({
  name: 'litemaas.model.manage',
  attributes: { action: 'update' },
});

/** Decide subscription requests for any model (owners of a model's group may too). @public */
export const litemaasSubscriptionApprovePermission = createPermission({
  name: 'litemaas.subscription.approve',
  attributes: { action: 'update' },
});

/** Administer keys of anyone: look up a leaked key, block, unblock, revoke. @public */
export const litemaasKeyAdminPermission = createPermission({
  name: 'litemaas.key.admin',
  attributes: { action: 'update' },
});

/** Set per-user and per-team limits and budgets. @public */
export const litemaasLimitsManagePermission = createPermission({
  name: 'litemaas.limits.manage',
  attributes: { action: 'update' },
});

/** Read the audit trail and everyone's usage. @public */
export const litemaasAuditReadPermission = createPermission({
  name: 'litemaas.audit.read',
  attributes: { action: 'read' },
});

/**
 * Every LiteMaaS permission, for registration with the permissions registry.
 *
 * @public
 */
export const litemaasPermissions = [
  litemaasKeyCreatePermission,
  litemaasKeyReadPermission,
  litemaasKeyUpdatePermission,
  litemaasKeyDeletePermission,
  litemaasModelManagePermission,
  litemaasSubscriptionApprovePermission,
  litemaasKeyAdminPermission,
  litemaasLimitsManagePermission,
  litemaasAuditReadPermission,
];
