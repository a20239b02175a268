import { InputError, NotAllowedError } from '@backstage/errors';
import { SubscriptionStore } from '../database/SubscriptionStore';
import type { TeamKeyPolicy } from '../teams';

/**
 * Which models a key's owner may use right now: those with an active, unexpired
 * subscription of the owner itself (a user key needs the user's subscription, a group
 * key the group's; a member's personal subscription never widens a shared key), and,
 * for a team, those the team allows. Every path that gives a key its models asks here
 * at the moment it acts: creation and rotation (again after LiteLLM made the key),
 * update, unblock, model removal and reconciliation.
 */
export class KeyModelAccess {
  constructor(
    private readonly subscriptions: SubscriptionStore,
    private readonly teams: TeamKeyPolicy | undefined,
    private readonly now: () => Date,
  ) {}

  /** The models of `models` the owner may use now, in the same order. */
  async allowed(
    ownerRef: string,
    models: readonly string[],
  ): Promise<string[]> {
    const subscribed = await this.#subscribed(ownerRef);
    const team = await this.teams?.allowedModelsOf(ownerRef);
    return models.filter(m => subscribed.has(m) && (!team || team.includes(m)));
  }

  /** Throws unless the owner may use every one of `models`. */
  async assertAllowed(
    ownerRef: string,
    models: readonly string[],
  ): Promise<void> {
    const subscribed = await this.#subscribed(ownerRef);
    const missing = models.filter(m => !subscribed.has(m));
    if (missing.length > 0) {
      throw new NotAllowedError(
        `${ownerRef} has no active subscription to: ${missing.join(', ')}`,
      );
    }
    const team = await this.teams?.allowedModelsOf(ownerRef);
    const denied = team ? models.filter(m => !team.includes(m)) : [];
    if (denied.length > 0) {
      throw new InputError(
        `The team ${ownerRef} does not allow: ${denied.join(', ')}`,
      );
    }
  }

  async #subscribed(ownerRef: string): Promise<Set<string>> {
    const now = this.now().getTime();
    return new Set(
      (await this.subscriptions.listForSubjects([ownerRef]))
        .filter(
          s =>
            s.status === 'active' &&
            (s.expiresAt === null || new Date(s.expiresAt).getTime() > now),
        )
        .map(s => s.modelId),
    );
  }
}
