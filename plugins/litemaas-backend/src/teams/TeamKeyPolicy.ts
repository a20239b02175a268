import { TeamStore } from '../database/TeamStore';

/** What the key side asks of teams (a group-owned key is a team key). */
export interface TeamKeyPolicy {
  /** The LiteLLM team a key of this owner belongs to, if the owner is a LiteMaaS team. */
  litellmTeamIdFor(ownerRef: string): Promise<string | undefined>;
  /** The models the owner's team allows its keys; null when it does not narrow them. */
  allowedModelsOf(ownerRef: string): Promise<readonly string[] | null>;
}

/** The team key policy read from the stored teams (needs nothing from the key side). */
export class StoredTeamKeyPolicy implements TeamKeyPolicy {
  constructor(private readonly teams: TeamStore) {}

  async litellmTeamIdFor(ownerRef: string): Promise<string | undefined> {
    if (!ownerRef.startsWith('group:')) return undefined;
    return (await this.teams.get(ownerRef))?.litellmTeamId;
  }

  async allowedModelsOf(ownerRef: string): Promise<readonly string[] | null> {
    if (!ownerRef.startsWith('group:')) return null;
    return (await this.teams.get(ownerRef))?.allowedModels ?? null;
  }
}
