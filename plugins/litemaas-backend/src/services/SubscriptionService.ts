import { LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  ApproveSubscriptionRequest,
  CreateSubscriptionRequest,
  DenySubscriptionRequest,
  litemaasSubscriptionApprovePermission,
  ListSubscriptionsQuery,
  Model,
  normalizeEntityRef,
  Subscription,
  SubscriptionHistoryEntry,
} from '@litemaas/backstage-plugin-litemaas-common';
import { ModelStore } from '../database/ModelStore';
import { SubscriptionStore } from '../database/SubscriptionStore';
import { toBackstageError } from '../litellm';
import { AccessService, Caller } from './AccessService';
import { AuditService } from './AuditService';
import type { KeyModelRevoker } from '../keys/KeyModelRevoker';
import { LITEMAAS_SYSTEM_ACTOR } from './ModelService';
import { UserService } from './UserService';

/** Page size used when scanning the queue for the models a group owns. */
const OWNER_SCAN_PAGE = 200;
/** The most rows scanned for a model-owner's queue (approval queues are short). */
const OWNER_SCAN_LIMIT = 10_000;

/**
 * Subscriptions of users and groups to models: self-service for open models, a request
 * decided by an approver for restricted ones. Losing access (cancel, deny, expiry) takes
 * the model out of the subject's keys through the key side's {@link KeyModelRevoker}.
 */
export class SubscriptionService {
  constructor(
    private readonly deps: {
      subscriptions: SubscriptionStore;
      models: ModelStore;
      users: UserService;
      access: AccessService;
      audit: AuditService;
      revoker: Pick<
        KeyModelRevoker,
        'removeModelFromSubjectKeys' | 'removeModelFromKeysOf'
      >;
      logger: LoggerService;
    },
  ) {}

  #owns(caller: Caller, subjectRef: string): boolean {
    const ref = normalizeEntityRef(subjectRef);
    return ref === caller.userRef || caller.ownershipRefs.includes(ref);
  }

  /** The subscriptions of the caller and of their groups. */
  async listMine(caller: Caller): Promise<Subscription[]> {
    const refs = [...new Set([caller.userRef, ...caller.ownershipRefs])];
    return this.deps.subscriptions.listForSubjects(refs);
  }

  /** One subscription with its history, for its subject's members and its deciders. */
  async get(
    caller: Caller,
    id: string,
  ): Promise<Subscription & { history: SubscriptionHistoryEntry[] }> {
    const subscription = await this.deps.subscriptions.get(id);
    if (
      !subscription ||
      (!this.#owns(caller, subscription.subjectRef) &&
        !(await this.#mayDecide(caller, subscription)))
    ) {
      throw new NotFoundError(`Subscription '${id}' not found`);
    }
    const history = await this.deps.subscriptions.listHistory(id);
    return { ...subscription, history };
  }

  /**
   * Subscribes the caller (or one of their groups) to a model. Returns the existing
   * subscription when there is one (`created: false`), reopening a cancelled or expired
   * one and asking again for a denied one when a new justification is given.
   */
  async create(
    caller: Caller,
    body: CreateSubscriptionRequest,
  ): Promise<{ subscription: Subscription; created: boolean }> {
    const subjectRef = body.subject ?? caller.userRef;
    return this.deps.audit.trackCaller(
      caller,
      {
        action: 'subscription.create',
        targetType: 'subscription',
        details: {
          modelId: body.modelId,
          subjectRef,
          justification: body.justification,
        },
      },
      async () => {
        if (!this.#owns(caller, subjectRef)) {
          throw new NotAllowedError(
            `You may only subscribe yourself or a group you belong to, not ${subjectRef}`,
          );
        }
        const model = await this.#availableModel(body.modelId);
        try {
          await this.deps.users.ensure(caller.userRef);
        } catch (error) {
          throw toBackstageError(error);
        }
        const opening = model.restricted ? 'pending' : 'active';
        const result = await this.deps.subscriptions.createOrGet({
          subjectRef,
          modelId: model.id,
          status: opening,
          justification: body.justification ?? null,
          createdBy: caller.userRef,
        });
        if (result.created) {
          return result;
        }
        return {
          subscription: await this.#reopen(
            caller,
            result.subscription,
            opening,
            body.justification,
          ),
          created: false,
        };
      },
      result => ({
        targetId: result.subscription.id,
        details: {
          status: result.subscription.status,
          created: result.created,
        },
      }),
    );
  }

  async #availableModel(modelId: string): Promise<Model> {
    const model = await this.deps.models.get(modelId);
    if (!model) {
      throw new NotFoundError(`Model '${modelId}' not found`);
    }
    if (model.status !== 'available') {
      throw new ConflictError(
        `Model '${modelId}' is no longer offered by the LiteLLM proxy`,
      );
    }
    return model;
  }

  /** What asking again does to an existing subscription. */
  async #reopen(
    caller: Caller,
    existing: Subscription,
    opening: 'active' | 'pending',
    justification: string | undefined,
  ): Promise<Subscription> {
    switch (existing.status) {
      case 'active':
      case 'pending':
        return existing;
      case 'denied':
        // Never straight back to active, even if the model is open now: only an
        // approver undoes a denial.
        if (!justification || justification === existing.justification) {
          throw new ConflictError(
            `The request for '${existing.modelId}' was denied${
              existing.reason ? ` (${existing.reason})` : ''
            }; give a new justification to ask again`,
          );
        }
        return this.#transitionOrCurrent(existing.id, {
          to: 'pending',
          actorRef: caller.userRef,
          justification,
          reason: 'requested again',
        });
      default:
        return this.#transitionOrCurrent(existing.id, {
          to: opening,
          actorRef: caller.userRef,
          reason: opening === 'active' ? 'resubscribed' : 'requested again',
          ...(opening === 'pending' && justification ? { justification } : {}),
        });
    }
  }

  /** Transitions; when a concurrent request already reopened it, returns that result. */
  async #transitionOrCurrent(
    id: string,
    input: Parameters<SubscriptionStore['transition']>[1],
  ): Promise<Subscription> {
    try {
      return await this.deps.subscriptions.transition(id, input);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
      const current = await this.deps.subscriptions.get(id);
      if (current?.status === input.to) {
        return current;
      }
      throw error;
    }
  }

  /** Cancels a subscription of the caller or one of their groups; unknown to others. */
  async cancel(caller: Caller, id: string): Promise<Subscription> {
    return this.deps.audit.trackCaller(
      caller,
      {
        action: 'subscription.cancel',
        targetType: 'subscription',
        targetId: id,
      },
      async () => {
        const subscription = await this.deps.subscriptions.get(id);
        if (!subscription || !this.#owns(caller, subscription.subjectRef)) {
          throw new NotFoundError(`Subscription '${id}' not found`);
        }
        if (subscription.status === 'cancelled') {
          // A repeat finishes what a failed key update left.
          await this.#revoke(
            subscription,
            caller.userRef,
            'subscription cancelled',
          );
          return subscription;
        }
        if (
          subscription.status !== 'active' &&
          subscription.status !== 'pending'
        ) {
          throw new ConflictError(
            `Subscription '${id}' is ${subscription.status}; there is nothing to cancel`,
          );
        }
        const cancelled = await this.deps.subscriptions.transition(id, {
          to: 'cancelled',
          actorRef: caller.userRef,
          reason: 'cancelled by the subscriber',
        });
        await this.#revoke(cancelled, caller.userRef, 'subscription cancelled');
        return cancelled;
      },
      s => ({ details: { modelId: s.modelId, subjectRef: s.subjectRef } }),
    );
  }

  /**
   * Whether the caller may decide requests for the subscription's model: holders of
   * `litemaas.subscription.approve`, and members of the model's owner group.
   */
  async #mayDecide(caller: Caller, subscription: Subscription) {
    if (
      await this.deps.access.isAllowed(
        caller,
        litemaasSubscriptionApprovePermission,
      )
    ) {
      return true;
    }
    const model = await this.deps.models.get(subscription.modelId);
    return Boolean(
      model?.ownerGroupRef && this.#owns(caller, model.ownerGroupRef),
    );
  }

  /** Loads a subscription and checks the caller may decide it (403 otherwise). */
  async #forDecision(caller: Caller, id: string): Promise<Subscription> {
    const subscription = await this.deps.subscriptions.get(id);
    if (!subscription) {
      throw new NotFoundError(`Subscription '${id}' not found`);
    }
    const isAdmin = await this.deps.access.isAllowed(
      caller,
      litemaasSubscriptionApprovePermission,
    );
    if (!isAdmin) {
      const model = await this.deps.models.get(subscription.modelId);
      if (!model?.ownerGroupRef || !this.#owns(caller, model.ownerGroupRef)) {
        throw new NotAllowedError(
          `You may not decide requests for model '${subscription.modelId}'`,
        );
      }
      if (
        normalizeEntityRef(subscription.createdBy) === caller.userRef ||
        this.#owns(caller, subscription.subjectRef)
      ) {
        throw new NotAllowedError(
          'You may not decide a request you made or that grants access to you',
        );
      }
    }
    return subscription;
  }

  /** Approves a pending request, optionally until `expiresAt`. */
  async approve(
    caller: Caller,
    id: string,
    body: ApproveSubscriptionRequest,
  ): Promise<Subscription> {
    return this.deps.audit.trackCaller(
      caller,
      {
        action: 'subscription.approve',
        targetType: 'subscription',
        targetId: id,
        details: { ...body },
      },
      async () => {
        const subscription = await this.#forDecision(caller, id);
        if (subscription.status !== 'pending') {
          throw new ConflictError(
            `Subscription '${id}' is ${subscription.status}; only pending requests can be approved`,
          );
        }
        if (
          body.expiresAt &&
          new Date(body.expiresAt).getTime() <= Date.now()
        ) {
          throw new InputError('expiresAt must be in the future');
        }
        await this.#availableModel(subscription.modelId);
        return this.deps.subscriptions.transition(id, {
          to: 'active',
          actorRef: caller.userRef,
          reason: body.reason ?? null,
          expiresAt: body.expiresAt ?? null,
        });
      },
      s => ({ details: { modelId: s.modelId, subjectRef: s.subjectRef } }),
    );
  }

  /** Denies a pending request, or withdraws an active grant, with a reason. */
  async deny(
    caller: Caller,
    id: string,
    body: DenySubscriptionRequest,
  ): Promise<Subscription> {
    return this.deps.audit.trackCaller(
      caller,
      {
        action: 'subscription.deny',
        targetType: 'subscription',
        targetId: id,
        details: { ...body },
      },
      async () => {
        const subscription = await this.#forDecision(caller, id);
        if (
          subscription.status !== 'pending' &&
          subscription.status !== 'active'
        ) {
          throw new ConflictError(
            `Subscription '${id}' is ${subscription.status}; only pending or active ones can be denied`,
          );
        }
        const denied = await this.deps.subscriptions.transition(id, {
          to: 'denied',
          actorRef: caller.userRef,
          reason: body.reason,
        });
        await this.#revoke(denied, caller.userRef, `denied: ${body.reason}`);
        return denied;
      },
      s => ({ details: { modelId: s.modelId, subjectRef: s.subjectRef } }),
    );
  }

  /**
   * The decision queue: everything in a status for admins, only the requests for models
   * their groups own for model owners, 403 for everyone else.
   */
  async listForDecision(
    caller: Caller,
    query: ListSubscriptionsQuery,
  ): Promise<{ items: Subscription[]; total: number }> {
    const page = { limit: query.limit, offset: query.offset };
    if (
      await this.deps.access.isAllowed(
        caller,
        litemaasSubscriptionApprovePermission,
      )
    ) {
      const result = await this.deps.subscriptions.listByStatus(
        query.status,
        page,
      );
      return { items: result.items, total: result.totalCount };
    }
    const owned = new Set(
      (await this.deps.models.list())
        .filter(m => m.ownerGroupRef && this.#owns(caller, m.ownerGroupRef))
        .map(m => m.id),
    );
    if (owned.size === 0) {
      throw new NotAllowedError(
        `You are not allowed to do this (${litemaasSubscriptionApprovePermission.name})`,
      );
    }
    const matching: Subscription[] = [];
    for (let offset = 0; offset < OWNER_SCAN_LIMIT; offset += OWNER_SCAN_PAGE) {
      const batch = await this.deps.subscriptions.listByStatus(query.status, {
        limit: OWNER_SCAN_PAGE,
        offset,
      });
      matching.push(...batch.items.filter(s => owned.has(s.modelId)));
      if (batch.items.length < OWNER_SCAN_PAGE) break;
    }
    return {
      items: matching.slice(query.offset, query.offset + query.limit),
      total: matching.length,
    };
  }

  /**
   * Expires the time-limited grants that ended at or before `now` and takes their model
   * out of the subject's keys. One failure (LiteLLM down) leaves that grant active for
   * the next run; it never stops the others. Returns how many expired.
   */
  async expireDue(now: Date = new Date()): Promise<number> {
    const due = await this.deps.subscriptions.listExpired(now);
    let expired = 0;
    for (const subscription of due) {
      let ended: Subscription;
      try {
        ended = await this.deps.audit.track(
          {
            actorRef: LITEMAAS_SYSTEM_ACTOR,
            action: 'subscription.expire',
            targetType: 'subscription',
            targetId: subscription.id,
            details: {
              modelId: subscription.modelId,
              subjectRef: subscription.subjectRef,
              expiresAt: subscription.expiresAt,
            },
          },
          () =>
            this.deps.subscriptions.transition(subscription.id, {
              to: 'expired',
              actorRef: LITEMAAS_SYSTEM_ACTOR,
              reason: 'time-limited grant ended',
            }),
        );
      } catch (error) {
        this.deps.logger.warn(
          `Could not expire subscription ${
            subscription.id
          }; retrying on the next run: ${errorText(error)}`,
        );
        continue;
      }
      expired += 1;
      try {
        await this.#revoke(
          ended,
          LITEMAAS_SYSTEM_ACTOR,
          'subscription expired',
        );
      } catch (error) {
        this.deps.logger.warn(
          `Subscription ${
            subscription.id
          } expired, but its model is still in some keys; the key reconciliation job removes it: ${errorText(
            error,
          )}`,
        );
      }
    }
    return expired;
  }

  /**
   * Takes the model out of the subject's keys after the status changed: a key being
   * created meanwhile checks the subscription again when LiteLLM made it, so no key
   * activates with a withdrawn model. When LiteLLM cannot be told, the status stays
   * changed and the answer is 503: a repeat (or the reconciliation job) finishes it.
   */
  async #revoke(subscription: Subscription, actorRef: string, reason: string) {
    try {
      const result = await this.deps.revoker.removeModelFromSubjectKeys({
        subjectRef: subscription.subjectRef,
        modelId: subscription.modelId,
        actorRef,
        reason,
      });
      if (result.updatedKeyIds.length + result.blockedKeyIds.length > 0) {
        this.deps.logger.info('Removed a model from keys', {
          subscriptionId: subscription.id,
          modelId: subscription.modelId,
          updatedKeys: result.updatedKeyIds.length,
          blockedKeys: result.blockedKeyIds.length,
        });
      }
    } catch (error) {
      const mapped = toBackstageError(error);
      throw mapped instanceof Error && mapped.name === 'ServiceUnavailableError'
        ? new ServiceUnavailableError(
            `The subscription is ${
              subscription.status
            }, but ${mapped.message.replace(
              /^C/,
              'c',
            )}; the reconciliation job also finishes it`,
          )
        : mapped;
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
