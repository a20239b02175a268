import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * The owner of a subscription or key as a full, lower-case entity ref: `payments` and
 * `group:payments` become `group:default/payments`; no owner means the user running the
 * template. Only users and groups own LiteMaaS subscriptions and keys: a new service's
 * key is owned by its team (the component goes into the key's metadata).
 */
export function resolveOwner(
  owner: string | undefined,
  userRef: string,
): string {
  if (!owner) return userRef.toLocaleLowerCase('en-US');
  let ref;
  try {
    ref = parseEntityRef(owner.trim(), {
      defaultKind: 'group',
      defaultNamespace: 'default',
    });
  } catch (error) {
    throw new InputError(
      `owner '${owner}' is not an entity ref like group:default/payments`,
    );
  }
  const kind = ref.kind.toLocaleLowerCase('en-US');
  if (kind !== 'group' && kind !== 'user') {
    throw new InputError(
      `owner must be a group or a user, not a ${ref.kind} ('${owner}'); a service's key is owned by its team: pass the team as owner and the component as component`,
    );
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}
