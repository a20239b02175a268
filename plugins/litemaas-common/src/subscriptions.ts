import { z } from 'zod/v3';
import {
  entityRefSchema,
  isoDateTimeSchema,
  modelIdSchema,
  pageLimitSchema,
  pageOffsetSchema,
  reasonTextSchema,
} from './primitives';

/** @public */
export const SUBSCRIPTION_STATUSES = [
  'active',
  'pending',
  'denied',
  'cancelled',
  'expired',
] as const;

/** @public */
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * The status changes a subscription may go through. Anything else (including a change
 * to the same status) is refused. A denied request never becomes active directly: the
 * subject asks again (denied to pending) and an approver decides. Cancelled and expired
 * subscriptions are reopened in place, since there is one row per subject and model.
 *
 * @public
 */
export const SUBSCRIPTION_TRANSITIONS: Readonly<
  Record<SubscriptionStatus, readonly SubscriptionStatus[]>
> = {
  pending: ['active', 'denied', 'cancelled'],
  active: ['cancelled', 'expired', 'denied', 'pending'],
  denied: ['pending'],
  cancelled: ['active', 'pending'],
  expired: ['active', 'pending'],
};

/** @public */
export function isSubscriptionTransitionAllowed(
  from: SubscriptionStatus,
  to: SubscriptionStatus,
): boolean {
  return SUBSCRIPTION_TRANSITIONS[from].includes(to);
}

/** @public */
export const subscriptionSchema = z.object({
  id: z.string(),
  /** User or group entity ref. */
  subjectRef: z.string(),
  modelId: z.string(),
  status: z.enum(SUBSCRIPTION_STATUSES),
  justification: z.string().nullable(),
  /** Reason given with the last status change. */
  reason: z.string().nullable(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** @public */
export type Subscription = z.infer<typeof subscriptionSchema>;

/** @public */
export const subscriptionHistoryEntrySchema = z.object({
  id: z.number(),
  subscriptionId: z.string(),
  /** Null for the entry written when the subscription was created. */
  fromStatus: z.enum(SUBSCRIPTION_STATUSES).nullable(),
  toStatus: z.enum(SUBSCRIPTION_STATUSES),
  actorRef: z.string(),
  reason: z.string().nullable(),
  createdAt: z.string(),
});

/** @public */
export type SubscriptionHistoryEntry = z.infer<
  typeof subscriptionHistoryEntrySchema
>;

/**
 * Body of `POST /subscriptions`. `subject` defaults to the calling user; a group ref
 * asks for a team subscription.
 *
 * @public
 */
export const createSubscriptionRequestSchema = z
  .object({
    modelId: modelIdSchema,
    justification: reasonTextSchema.optional(),
    subject: entityRefSchema(['user', 'group']).optional(),
  })
  .strict();

/** @public */
export type CreateSubscriptionRequest = z.infer<
  typeof createSubscriptionRequestSchema
>;

/**
 * Body of the approval of a pending subscription; `expiresAt` makes a time-limited grant.
 *
 * @public
 */
export const approveSubscriptionRequestSchema = z
  .object({
    expiresAt: isoDateTimeSchema.optional(),
    reason: reasonTextSchema.optional(),
  })
  .strict();

/** @public */
export type ApproveSubscriptionRequest = z.infer<
  typeof approveSubscriptionRequestSchema
>;

/**
 * Body of the denial of a subscription: a reason is required.
 *
 * @public
 */
export const denySubscriptionRequestSchema = z
  .object({
    reason: reasonTextSchema,
  })
  .strict();

/** @public */
export type DenySubscriptionRequest = z.infer<
  typeof denySubscriptionRequestSchema
>;

/**
 * Query of the admin list of subscriptions by status.
 *
 * @public
 */
export const listSubscriptionsQuerySchema = z
  .object({
    status: z.enum(SUBSCRIPTION_STATUSES).default('pending'),
    limit: pageLimitSchema.default(50),
    offset: pageOffsetSchema.default(0),
  })
  .strict();

/** @public */
export type ListSubscriptionsQuery = z.infer<
  typeof listSubscriptionsQuerySchema
>;
