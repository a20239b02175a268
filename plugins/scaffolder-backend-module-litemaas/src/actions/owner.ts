import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

/**
 * The owner of a subscription or key as a full, lower-case entity ref: `payments` and
 * `group:payments` become `group:default/payments`; no owner means the user running the
 * template. Users and groups own subscriptions; a key may also be owned by a component
 * or system (`kinds`), whose owner group LiteMaaS reads from the catalog.
 */
export function resolveOwner(
  owner: string | undefined,
  userRef: string,
  kinds: readonly string[] = ['group', 'user'],
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
  if (!kinds.includes(kind)) {
    throw new InputError(
      `owner must be ${kinds
        .map(k => `a ${k}`)
        .join(', ')
        .replace(/, (a \w+)$/, ' or $1')}, not a ${ref.kind} ('${owner}')`,
    );
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}
