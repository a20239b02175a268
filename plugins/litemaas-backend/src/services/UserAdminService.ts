import { NotFoundError } from '@backstage/errors';
import {
  litemaasLimitsManagePermission,
  UpdateUserLimitsRequest,
  UserLimits,
} from '@litemaas/backstage-plugin-litemaas-common';
import { LiteMaaSSettings } from '../config';
import { UserStore } from '../database/UserStore';
import { LiteLLMApi, LiteLLMError, toBackstageError } from '../litellm';
import { AccessService, Caller } from './AccessService';
import { AuditService } from './AuditService';
import { UserService } from './UserService';

/** A user as an admin sees them: overrides, the limits in force, live spend. */
export interface AdminUserView extends UserLimits {
  effective: {
    maxBudget: number | null;
    budgetDuration: string | null;
    tpmLimit: number | null;
    rpmLimit: number | null;
    maxKeys: number | null;
  };
  /** Live from LiteLLM; null when it could not be asked. */
  spend: number | null;
  budgetResetAt: string | null;
}

/**
 * Admin management of per-user limits. An override is written to LiteLLM first (which
 * enforces it) and to the database after; `null` goes back to the configured default.
 */
export class UserAdminService {
  constructor(
    private readonly o: {
      store: UserStore;
      users: UserService;
      litellm: LiteLLMApi;
      access: AccessService;
      audit: AuditService;
      settings: LiteMaaSSettings;
    },
  ) {}

  async list(caller: Caller, page: { limit: number; offset: number }) {
    await this.o.access.require(caller, litemaasLimitsManagePermission);
    return this.o.store.list(page);
  }

  async get(caller: Caller, ref: string): Promise<AdminUserView> {
    await this.o.access.require(caller, litemaasLimitsManagePermission);
    const user = await this.o.store.get(ref);
    if (!user) throw new NotFoundError(`User '${ref}' not found`);
    return this.#view(user);
  }

  async update(
    caller: Caller,
    ref: string,
    patch: UpdateUserLimitsRequest,
  ): Promise<AdminUserView> {
    return this.o.audit.trackCaller(
      caller,
      {
        action: 'user.limits.update',
        targetType: 'user',
        targetId: ref,
        details: { changes: patch },
        severity: 'high',
      },
      async () => {
        await this.o.access.require(caller, litemaasLimitsManagePermission);
        const d = this.o.settings.userDefaults;
        try {
          // Admins may set limits before the user's first visit.
          const current = await this.o.users.ensure(ref);
          const next = { ...current, ...patch };
          await this.o.litellm.updateUser(ref, {
            max_budget: next.maxBudget ?? d.maxBudget ?? null,
            budget_duration: next.budgetDuration ?? d.budgetDuration ?? null,
            tpm_limit: next.tpmLimit ?? d.tpmLimit ?? null,
            rpm_limit: next.rpmLimit ?? d.rpmLimit ?? null,
          } as any);
        } catch (error) {
          throw toBackstageError(error, 'the limits were not changed');
        }
        return this.#view(await this.o.store.update(ref, patch));
      },
    );
  }

  async #view(user: UserLimits): Promise<AdminUserView> {
    const d = this.o.settings.userDefaults;
    let spend: number | null = null;
    let budgetResetAt: string | null = null;
    try {
      const info = await this.o.litellm.getUserInfo(user.entityRef);
      spend = info?.user_info.spend ?? null;
      budgetResetAt = info?.user_info.budget_reset_at ?? null;
    } catch (error) {
      if (!(error instanceof LiteLLMError)) throw error;
    }
    return {
      ...user,
      effective: {
        maxBudget: user.maxBudget ?? d.maxBudget ?? null,
        budgetDuration: user.budgetDuration ?? d.budgetDuration ?? null,
        tpmLimit: user.tpmLimit ?? d.tpmLimit ?? null,
        rpmLimit: user.rpmLimit ?? d.rpmLimit ?? null,
        maxKeys:
          user.maxKeys ?? this.o.settings.keyMaximums.keysPerOwner ?? null,
      },
      spend,
      budgetResetAt,
    };
  }
}
