import { AuditorService, LoggerService } from '@backstage/backend-plugin-api';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  AuditOutcome,
  redactSecrets,
} from '@litemaas/backstage-plugin-litemaas-common';
import { AuditStore } from '../database/AuditStore';

/**
 * Opens the auditor's event of one HTTP request: the routes bind it to their request (so
 * the auditor records actor, IP, method and URL), the services pass it on untouched and
 * never see the request itself. Scheduled jobs have none.
 */
export type AuditOrigin = Pick<AuditorService, 'createEvent'>;

export interface AuditedAction {
  /** Who acts: a user entity ref, or `plugin:litemaas` for scheduled jobs. */
  actorRef: string;
  /** For example `key.create`; also the auditor event id (`key-create`). */
  action: string;
  targetType: string;
  targetId?: string;
  /** What was asked, without secrets (they are redacted anyway). */
  details?: Record<string, unknown>;
  /** Where the action came from, when a route asked for it (see {@link AuditOrigin}). */
  origin?: AuditOrigin;
  severity?: 'low' | 'medium' | 'high' | 'critical';
}

function outcomeOf(error: unknown): AuditOutcome {
  return error instanceof NotAllowedError || error instanceof NotFoundError
    ? 'denied'
    : 'failure';
}

/**
 * Writes every mutation to the audit table and to Backstage's auditor, success and
 * failure alike. Nothing that looks like a key secret is ever written.
 */
export class AuditService {
  constructor(
    private readonly store: AuditStore,
    private readonly auditor: AuditorService,
    private readonly logger: LoggerService,
  ) {}

  /**
   * Runs `fn` as the audited action. `fn` may return `targetId` and more details once it
   * knows them (e.g. the id of a key it created).
   */
  async track<T>(
    action: AuditedAction,
    fn: () => Promise<T>,
    describe?: (result: T) => {
      targetId?: string;
      details?: Record<string, unknown>;
    },
  ): Promise<T> {
    const meta = redactSecrets({
      actorRef: action.actorRef,
      targetType: action.targetType,
      ...(action.targetId ? { targetId: action.targetId } : {}),
      ...(action.details ?? {}),
    });
    const event = await (action.origin ?? this.auditor).createEvent({
      eventId: action.action.replace(/\./g, '-'),
      severityLevel: action.severity ?? 'medium',
      meta: meta as any,
    });
    try {
      const result = await fn();
      const extra = describe?.(result) ?? {};
      const details = { ...(action.details ?? {}), ...(extra.details ?? {}) };
      await this.#append(action, 'success', undefined, extra.targetId, details);
      await event.success({ meta: redactSecrets(extra) as any });
      return result;
    } catch (error) {
      const err = error instanceof Error ? error : new Error(String(error));
      await this.#append(
        action,
        outcomeOf(err),
        err.message,
        undefined,
        action.details,
      );
      await event.fail({ error: err });
      throw error;
    }
  }

  /**
   * {@link AuditService.track} for what a signed-in person does: they are the actor, and
   * their request the origin the auditor records.
   */
  trackCaller<T>(
    caller: { userRef: string; origin?: AuditOrigin },
    action: Omit<AuditedAction, 'actorRef' | 'origin'>,
    fn: () => Promise<T>,
    describe?: (result: T) => {
      targetId?: string;
      details?: Record<string, unknown>;
    },
  ): Promise<T> {
    return this.track(
      { ...action, actorRef: caller.userRef, origin: caller.origin },
      fn,
      describe,
    );
  }

  async #append(
    action: AuditedAction,
    outcome: AuditOutcome,
    reason: string | undefined,
    targetId: string | undefined,
    details: Record<string, unknown> | undefined,
  ) {
    try {
      await this.store.append({
        actorRef: action.actorRef,
        action: action.action,
        targetType: action.targetType,
        targetId: targetId ?? action.targetId,
        outcome,
        reason,
        details,
      });
    } catch (error) {
      // The action itself already happened (or failed); losing its audit row must be loud.
      this.logger.error('Could not write a LiteMaaS audit entry', {
        action: action.action,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
