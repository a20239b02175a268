import { LoggerService } from '@backstage/backend-plugin-api';
import { UserLimits } from '@litemaas/backstage-plugin-litemaas-common';
import { LiteMaaSSettings } from '../config';
import { UserStore } from '../database/UserStore';
import {
  LiteLLMApi,
  LiteLLMConflictError,
  LiteLLMNotFoundError,
} from '../litellm';

/**
 * Creates the LiteMaaS user (and the LiteLLM user with `user_id` = the entity ref, member
 * of the default team, with the configured default limits) on first use. Idempotent and
 * safe under concurrent first requests, whatever `/user/info` answers for an unknown user
 * in the LiteLLM version at hand (the client normalizes the 404 and the legacy empty 200).
 */
export class UserService {
  readonly #ensured = new Map<string, Promise<UserLimits>>();
  #defaultTeam?: Promise<void>;

  constructor(
    private readonly store: UserStore,
    private readonly litellm: LiteLLMApi,
    private readonly settings: LiteMaaSSettings,
    private readonly logger: LoggerService,
  ) {}

  /**
   * The user's LiteMaaS row as it is now (an admin may have changed their limits since
   * the first visit), after making sure LiteLLM knows them.
   */
  async ensure(userRef: string): Promise<UserLimits> {
    let pending = this.#ensured.get(userRef);
    if (!pending) {
      pending = this.#ensure(userRef);
      this.#ensured.set(userRef, pending);
      // A failure (LiteLLM down) must not be remembered: the next request tries again.
      pending.catch(() => this.#ensured.delete(userRef));
      return pending;
    }
    const ensured = await pending;
    return (await this.store.get(userRef)) ?? ensured;
  }

  async #ensure(userRef: string): Promise<UserLimits> {
    const { user } = await this.store.getOrCreate(userRef);
    if (user.litellmUserId) {
      return user;
    }
    await this.#ensureDefaultTeam();
    const existing = await this.litellm.getUserInfo(userRef);
    if (!existing) {
      const defaults = this.settings.userDefaults;
      try {
        await this.litellm.createUser({
          user_id: userRef,
          user_role: 'internal_user',
          teams: [this.settings.defaultTeamId],
          auto_create_key: false,
          max_budget: user.maxBudget ?? defaults.maxBudget ?? null,
          budget_duration:
            user.budgetDuration ?? defaults.budgetDuration ?? null,
          tpm_limit: user.tpmLimit ?? defaults.tpmLimit ?? null,
          rpm_limit: user.rpmLimit ?? defaults.rpmLimit ?? null,
          metadata: { managed_by: 'litemaas-backstage' },
        });
        this.logger.info('Created LiteLLM user', { userRef });
      } catch (error) {
        // Another replica created it between our /user/info and /user/new.
        if (!(error instanceof LiteLLMConflictError)) throw error;
      }
    }
    return this.store.update(userRef, { litellmUserId: userRef });
  }

  #ensureDefaultTeam(): Promise<void> {
    if (!this.#defaultTeam) {
      this.#defaultTeam = this.#createDefaultTeamIfMissing();
      this.#defaultTeam.catch(() => {
        this.#defaultTeam = undefined;
      });
    }
    return this.#defaultTeam;
  }

  async #createDefaultTeamIfMissing(): Promise<void> {
    const teamId = this.settings.defaultTeamId;
    try {
      await this.litellm.getTeamInfo(teamId);
      return;
    } catch (error) {
      if (!(error instanceof LiteLLMNotFoundError)) throw error;
    }
    try {
      // models: [] would mean "all models" for team keys; LiteMaaS never mints team-wide
      // keys on this team, and each key carries its own model list.
      await this.litellm.createTeam({
        team_id: teamId,
        team_alias: 'LiteMaaS default team',
        metadata: { managed_by: 'litemaas-backstage' },
      });
      this.logger.info('Created the default LiteLLM team', { teamId });
    } catch (error) {
      if (!(error instanceof LiteLLMConflictError)) throw error;
    }
  }
}
