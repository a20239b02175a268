import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import {
  Model,
  normalizeEntityRef,
  Subscription,
} from '@litemaas/backstage-plugin-litemaas-common';
import { SubscriptionStore } from '../database/SubscriptionStore';
import { toBackstageError } from '../litellm';
import type { KeyModelRevoker } from '../keys/KeyModelRevoker';
import { LITEMAAS_SYSTEM_ACTOR } from './ModelService';

/**
 * What happens to a model's subscriptions when an admin restricts it: the grants no
 * approver decided go back to pending and the model leaves their keys, all or nothing;
 * then the subjects and the model's approvers are told. The model service calls it from
 * its update; the subscription service keeps the self-service and decision flows.
 */
export class SubscriptionReapproval {
  constructor(
    private readonly deps: {
      subscriptions: SubscriptionStore;
      revoker: Pick<KeyModelRevoker, 'removeModelFromKeysOf'>;
      logger: LoggerService;
      /** Tells subjects their grant needs approval again, and the model's approvers. */
      notifications?: NotificationService;
    },
  ) {}

  /**
   * A model just became restricted: its active grants that no approver decided
   * (self-service subscriptions of the open model) go back to pending, and the model
   * leaves their subjects' keys. All or nothing: when LiteLLM fails, the keys and the
   * subscriptions are put back and the 503 is thrown, for the caller to undo the rest.
   * Then the subjects are told, and the model's owner group (its approvers) gets the
   * requests first, in one notification linking to the queue.
   */
  async requireReapproval(
    model: Model,
    actorRef: string,
  ): Promise<Subscription[]> {
    const { subscriptions, revoker } = this.deps;
    const unapproved = (
      await subscriptions.listActiveForModel(model.id)
    ).filter(s => !wasApproved(s));
    const reason = `model ${model.id} became restricted: it needs approval`;
    const moved: Subscription[] = [];
    try {
      for (const s of unapproved) {
        moved.push(
          await subscriptions.transition(s.id, {
            to: 'pending',
            actorRef,
            reason,
          }),
        );
      }
      await revoker.removeModelFromKeysOf({
        subjectRefs: [...new Set(moved.map(s => s.subjectRef))],
        modelId: model.id,
        actorRef,
        reason,
      });
    } catch (error) {
      await this.#reactivate(moved, unapproved);
      throw toBackstageError(error);
    }
    await this.#notifyReapproval(model, moved);
    return moved;
  }

  /** Puts subscriptions moved to pending back as they were. */
  async #reactivate(moved: Subscription[], before: Subscription[]) {
    for (const s of moved) {
      const was = before.find(b => b.id === s.id);
      try {
        await this.deps.subscriptions.transition(s.id, {
          to: 'active',
          actorRef: LITEMAAS_SYSTEM_ACTOR,
          reason: 'restriction undone: LiteLLM failed',
          expiresAt: was?.expiresAt ?? null,
        });
      } catch (error) {
        this.deps.logger.error(
          `Could not reactivate subscription ${s.id}: ${errorText(error)}`,
        );
      }
    }
  }

  /** Never throws: the change itself is done. */
  async #notifyReapproval(model: Model, moved: Subscription[]) {
    const { notifications, logger } = this.deps;
    if (!notifications || moved.length === 0) return;
    const link = `/litemaas/models/${encodeURIComponent(model.id)}`;
    try {
      if (model.ownerGroupRef) {
        await notifications.send({
          recipients: { type: 'entity', entityRef: model.ownerGroupRef },
          payload: {
            title: `${moved.length} request(s) for ${model.id} to decide`,
            description: `${
              model.id
            } became restricted; these subscriptions need your approval again: ${moved
              .map(s => s.subjectRef)
              .join(', ')}.`,
            link: '/litemaas/subscriptions',
            severity: 'high',
            topic: 'litemaas-subscription-request',
            scope: `litemaas-reapproval:${model.id}`,
          },
        });
      }
      for (const s of moved) {
        await notifications.send({
          recipients: { type: 'entity', entityRef: s.subjectRef },
          payload: {
            title: `Model ${model.id} now needs approval`,
            description: `${model.id} became restricted. Your subscription is pending approval again, and your keys no longer include it until it is approved.`,
            link,
            severity: 'high',
            topic: 'litemaas-model-change',
            scope: `litemaas-reapproval:${s.id}`,
          },
        });
      }
    } catch (error) {
      logger.warn(
        `Could not tell the subscribers of ${
          model.id
        } it needs approval: ${errorText(error)}`,
      );
    }
  }
}

/**
 * Whether an approver decided the grant: not a self-service subscription (no decider, or
 * the subscriber itself reopening it) nor one the plugin put back.
 */
function wasApproved(s: Subscription): boolean {
  if (!s.decidedBy) return false;
  const decider = normalizeEntityRef(s.decidedBy);
  return (
    decider !== LITEMAAS_SYSTEM_ACTOR &&
    decider !== normalizeEntityRef(s.createdBy) &&
    decider !== normalizeEntityRef(s.subjectRef)
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
