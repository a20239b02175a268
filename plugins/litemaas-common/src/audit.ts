import { z } from 'zod/v3';
import { isoDateTimeSchema, pageLimitSchema } from './primitives';

/** @public */
export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;

/** @public */
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** @public */
export const auditEntrySchema = z.object({
  id: z.number(),
  occurredAt: z.string(),
  actorRef: z.string(),
  /** For example `key.create` or `subscription.approve`. */
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  outcome: z.enum(AUDIT_OUTCOMES),
  reason: z.string().nullable(),
  /** Free-form details; secrets are redacted before they are stored. */
  details: z.record(z.unknown()),
});

/** @public */
export type AuditEntry = z.infer<typeof auditEntrySchema>;

const filterText = z.string().trim().min(1, 'must not be empty').max(255);

/**
 * Query of the admin audit log. Newest entries come first; `cursor` is the `nextCursor`
 * of the previous page.
 *
 * @public
 */
export const auditQuerySchema = z
  .object({
    actor: filterText.optional(),
    action: filterText.optional(),
    targetType: filterText.optional(),
    targetId: filterText.optional(),
    outcome: z.enum(AUDIT_OUTCOMES).optional(),
    from: isoDateTimeSchema.optional(),
    to: isoDateTimeSchema.optional(),
    limit: pageLimitSchema.default(50),
    cursor: z
      .string()
      .regex(/^[1-9]\d{0,15}$/, 'cursor must be a value from nextCursor')
      .optional(),
  })
  .strict()
  .refine(q => !q.from || !q.to || Date.parse(q.from) <= Date.parse(q.to), {
    message: 'from must not be after to',
    path: ['from'],
  });

/** @public */
export type AuditQuery = z.infer<typeof auditQuerySchema>;

/** @public */
export interface AuditPage {
  items: AuditEntry[];
  /** Pass as `cursor` to read the next page; absent on the last page. */
  nextCursor?: string;
}
