import {
  TeamSettingField,
  UpdateTeamRequest,
} from '@litemaas/backstage-plugin-litemaas-common';
import { StoredTeam, TeamSettings, TeamStore } from '../database/TeamStore';
import {
  LiteLLMApi,
  LiteLLMConflictError,
  LiteLLMTeamUpdateRequest,
  toBackstageError,
} from '../litellm';
import type { KeyModelRevoker } from '../keys/KeyModelRevoker';
import { isAlreadyExists } from './litellmMessages';
import { TeamLiveSpend } from './TeamLiveSpend';

/** LiteLLM's explicit "every model" entry: a team list is never sent empty. */
const ALL_MODELS = 'all-proxy-models';

/**
 * Writes a team's settings (budget, limits, allowed models) to LiteLLM, then to the
 * store, whoever changes them: an admin through the API or the catalog's annotations.
 * Narrowed models leave the team's keys.
 */
export class TeamSettingsWriter {
  constructor(
    private readonly o: {
      teams: TeamStore;
      litellm: LiteLLMApi;
      live: TeamLiveSpend;
      /** Takes models a team no longer allows out of its keys. */
      revoker: KeyModelRevoker;
    },
  ) {}

  /** Creates the LiteLLM team, or takes over one left from an earlier enable. */
  async createLiteLLMTeam(teamId: string, settings: TeamSettings) {
    const changes = litellmChanges({
      ...settings,
      allowedModels: settings.allowedModels ?? null,
    });
    try {
      await this.o.litellm.createTeam({
        team_id: teamId,
        team_alias: settings.displayName ?? teamId,
        ...changes,
        metadata: { managed_by: 'litemaas-backstage', litemaas_group: teamId },
      } as any);
    } catch (error) {
      if (!(error instanceof LiteLLMConflictError) && !isAlreadyExists(error)) {
        throw toBackstageError(error, 'the team was not created');
      }
      // Left over from an earlier enable (or created by another replica): take it over.
      await this.o.litellm.updateTeam(teamId, changes);
    }
  }

  /**
   * Puts the keys a group owned before it became a team into its LiteLLM team (before the
   * team's row is written: a failure leaves none, and enabling again takes over).
   */
  async attachExistingKeys(groupRef: string, teamId: string): Promise<number> {
    const { attachedKeyIds } = await this.o.revoker.attachSubjectKeysToTeam({
      subjectRef: groupRef,
      teamId,
    });
    return attachedKeyIds.length;
  }

  /** Keys of a new team that it does not allow every model of are narrowed. */
  async narrowKeysOfNewTeam(team: StoredTeam, actorRef: string): Promise<void> {
    if (!team.allowedModels) return;
    await this.o.revoker.enforceSubjectAccess({
      subjectRef: team.ref,
      actorRef,
      reason: `not allowed for the team ${team.ref}`,
    });
  }

  async apply(
    team: StoredTeam,
    patch: UpdateTeamRequest,
    actorRef: string,
    catalogManaged?: TeamSettingField[],
  ): Promise<StoredTeam> {
    const settings: TeamSettings = { ...patch };
    const changes = litellmChanges(settings);
    if (Object.keys(changes).length > 0) {
      try {
        await this.o.litellm.updateTeam(team.litellmTeamId, changes);
      } catch (error) {
        throw toBackstageError(error, 'the team was not changed');
      }
      await this.o.live.forget(team.ref);
    }
    const updated = await this.o.teams.update(team.ref, {
      ...settings,
      catalogManaged,
    });
    // Narrowed models leave the team's keys (a key losing its last model is blocked),
    // whatever the team allowed before (no list at all included).
    if (patch.allowedModels) {
      await this.o.revoker.enforceSubjectAccess({
        subjectRef: team.ref,
        actorRef,
        reason: `no longer allowed for the team ${team.ref}`,
      });
    }
    return updated;
  }
}

function litellmChanges(settings: TeamSettings): LiteLLMTeamUpdateRequest {
  const changes: LiteLLMTeamUpdateRequest = {};
  if (settings.maxBudget !== undefined) changes.max_budget = settings.maxBudget;
  if (settings.budgetDuration !== undefined)
    changes.budget_duration = settings.budgetDuration;
  if (settings.tpmLimit !== undefined) changes.tpm_limit = settings.tpmLimit;
  if (settings.rpmLimit !== undefined) changes.rpm_limit = settings.rpmLimit;
  if (settings.allowedModels !== undefined) {
    // Never an empty list (LiteLLM reads it as "all models"): say so explicitly.
    changes.models =
      settings.allowedModels && settings.allowedModels.length > 0
        ? settings.allowedModels
        : [ALL_MODELS];
  }
  return changes;
}
