import { AuthService } from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { normalizeEntityRef } from '@litemaas/backstage-plugin-litemaas-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { Caller } from '../services/AccessService';

/** Who a new key belongs to: its owner, and the group whose team it joins. */
export interface KeyOwner {
  ownerRef: string;
  /** None for a user's own key. */
  teamRef: string | null;
}

/** Catalog kinds whose entities may own keys through their owner group. */
const ENTITY_KINDS = ['component', 'system'];

/**
 * Decides who may own a new key. The caller themself; a group they belong to; or a
 * component or system whose owner group (read from the catalog with the plugin's own
 * credentials, never from the request) they belong to, in which case the key joins that
 * group's team. Unknown entities are 404, other kinds 400, a catalog failure 503.
 */
export class KeyOwnerResolver {
  constructor(
    private readonly catalog: CatalogService | undefined,
    private readonly auth: AuthService | undefined,
  ) {}

  async resolve(caller: Caller, requested: string): Promise<KeyOwner> {
    const ownerRef = normalizeEntityRef(requested);
    if (ownerRef === caller.userRef) return { ownerRef, teamRef: null };
    const kind = parseEntityRef(ownerRef).kind;
    if (kind === 'group' && caller.ownershipRefs.includes(ownerRef)) {
      return { ownerRef, teamRef: ownerRef };
    }
    if (!ENTITY_KINDS.includes(kind)) {
      if (kind === 'group' || kind === 'user') {
        throw new NotAllowedError(
          `You may create keys for yourself, a group you belong to, or a component or system your group owns, not for ${ownerRef}`,
        );
      }
      throw new InputError(
        `A key is owned by a user, a group, a component or a system, not a ${kind} (${ownerRef})`,
      );
    }
    const entity = await this.#entity(ownerRef);
    const group = ownerGroupOf(entity);
    if (!group) {
      throw new InputError(
        `${ownerRef} is not owned by a group in the catalog; only a group's members can own keys through it`,
      );
    }
    if (!caller.ownershipRefs.includes(group)) {
      throw new NotAllowedError(
        `Only members of ${group}, which owns ${ownerRef}, may create keys for it`,
      );
    }
    return { ownerRef, teamRef: group };
  }

  async #entity(ref: string): Promise<Entity> {
    let entity: Entity | undefined;
    try {
      if (!this.catalog || !this.auth) throw new Error('no catalog service');
      entity = await this.catalog.getEntityByRef(ref, {
        credentials: await this.auth.getOwnServiceCredentials(),
      });
    } catch (error) {
      const e = error instanceof Error ? error : new Error(String(error));
      if (e.name !== 'NotFoundError') {
        throw new ServiceUnavailableError(
          `The catalog could not be asked who owns ${ref}, so no key was created: ${e.message}`,
        );
      }
    }
    if (!entity) {
      throw new NotFoundError(`${ref} was not found in the catalog`);
    }
    return entity;
  }
}

/** The group owning an entity (its ownedBy relation, else spec.owner), normalised. */
function ownerGroupOf(entity: Entity): string | undefined {
  const fromRelation = entity.relations?.find(
    r => r.type === RELATION_OWNED_BY,
  )?.targetRef;
  const raw = fromRelation ?? (entity.spec?.owner as string | undefined);
  if (!raw) return undefined;
  const ref = normalizeEntityRef(
    stringifyEntityRef(
      parseEntityRef(raw, {
        defaultKind: 'group',
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ),
  );
  return ref.startsWith('group:') ? ref : undefined;
}
