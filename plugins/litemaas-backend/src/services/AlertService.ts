import { LoggerService } from '@backstage/backend-plugin-api';
import { NotificationService } from '@backstage/plugin-notifications-node';
import { DateTime } from 'luxon';
import { AlertId, AlertStore } from '../database/AlertStore';
import { KeyStore } from '../database/KeyStore';
import { SubscriptionStore } from '../database/SubscriptionStore';
import { TeamStore } from '../database/TeamStore';
import { LiteLLMApi, LiteLLMError } from '../litellm';

const DAY_MS = 86_400_000;
const TOPIC = 'litemaas';

export interface AlertSettings {
  /** Entity refs (users or groups) told about subscription requests waiting. */
  adminRecipients: string[];
  /** Warn this many days before a key expires. */
  keyExpiryWarningDays: number;
  /** Decisions older than this are not announced (first run after an upgrade). */
  decisionLookbackMs: number;
  /** Path of the portal page links point to. */
  linkBase: string;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  adminRecipients: [],
  keyExpiryWarningDays: 7,
  decisionLookbackMs: DAY_MS,
  linkBase: '/litemaas',
};

interface Budgeted {
  subject: string;
  kind: 'user' | 'team';
  spend: number;
  maxBudget: number;
  budgetDuration: string | null;
  budgetResetAt: string | null;
}

const DURATION_UNITS = {
  s: 'seconds',
  m: 'minutes',
  h: 'hours',
  d: 'days',
  w: 'weeks',
  mo: 'months',
} as const;

/**
 * When a budget period of a LiteLLM duration (`30s`, `5m`, `12h`, `1d`, `2w`, `1mo`) that
 * resets at `resetAt` began; months by calendar, clamped to the shorter month's end (a
 * month before March 31 is February 28).
 */
export function periodStart(resetAt: Date, duration: string): Date | undefined {
  const m = /^(\d+)(s|m|h|d|w|mo)$/.exec(duration);
  if (!m) return undefined;
  const unit = DURATION_UNITS[m[2] as keyof typeof DURATION_UNITS];
  return DateTime.fromJSDate(resetAt, { zone: 'utc' })
    .minus({ [unit]: Number(m[1]) })
    .toJSDate();
}

/**
 * Alerts through Backstage notifications: budgets crossing 80% and 100% (users and
 * teams), budgets forecast to run out before their period ends at the current burn rate,
 * keys about to expire, subscription requests waiting (to admins) and decisions (to the
 * requester). Each alert is claimed in the alerts table before it is sent, keyed by
 * subject, kind and period, so it goes out once per period whatever the number of runs
 * or replicas.
 */
export class AlertService {
  readonly #s: AlertSettings;
  readonly #now: () => Date;

  constructor(
    private readonly o: {
      alerts: AlertStore;
      notifications?: NotificationService;
      litellm: LiteLLMApi;
      teams: TeamStore;
      keys: KeyStore;
      subscriptions: SubscriptionStore;
      logger: LoggerService;
      settings?: Partial<AlertSettings>;
      now?: () => Date;
    },
  ) {
    this.#s = { ...DEFAULT_ALERT_SETTINGS, ...o.settings };
    this.#now = o.now ?? (() => new Date());
  }

  /** Runs every check; returns how many notifications were sent. Never throws. */
  async run(): Promise<number> {
    if (!this.o.notifications) return 0;
    let sent = 0;
    for (const [name, check] of [
      ['budgets', () => this.#budgets()],
      ['keys', () => this.#expiringKeys()],
      ['subscriptions', () => this.#subscriptions()],
    ] as const) {
      try {
        sent += await check();
      } catch (error) {
        const e = error instanceof Error ? error : new Error(String(error));
        this.o.logger.warn(`LiteMaaS ${name} alerts failed`, {
          name: e.name,
          message: e.message,
        });
      }
    }
    return sent;
  }

  async #send(
    id: AlertId,
    recipients: string[],
    payload: {
      title: string;
      description: string;
      link: string;
      severity: 'critical' | 'high' | 'normal' | 'low';
    },
  ): Promise<number> {
    if (recipients.length === 0 || !this.o.notifications) return 0;
    if (
      !(await this.o.alerts.claim(id, { recipients, title: payload.title }))
    ) {
      return 0;
    }
    try {
      await this.o.notifications.send({
        recipients: { type: 'entity', entityRef: recipients },
        payload: {
          ...payload,
          topic: TOPIC,
          scope: `litemaas:${id.kind}:${id.subject}:${id.period}`,
        },
      });
      return 1;
    } catch (error) {
      // Unclaimed, so the next run sends it; the other alerts of this run still go out.
      await this.o.alerts.release(id);
      const e = error instanceof Error ? error : new Error(String(error));
      this.o.logger.warn(
        `LiteMaaS ${id.kind} alert for ${id.subject} not sent, retried on the next run`,
        { name: e.name, message: e.message },
      );
      return 0;
    }
  }

  async #budgeted(): Promise<Budgeted[]> {
    const out: Budgeted[] = [];
    for (const team of await this.o.teams.list()) {
      try {
        const info = (await this.o.litellm.getTeamInfo(team.litellmTeamId))
          .team_info;
        if (info.max_budget) {
          out.push({
            subject: team.ref,
            kind: 'team',
            spend: info.spend ?? 0,
            maxBudget: info.max_budget,
            budgetDuration: info.budget_duration ?? null,
            budgetResetAt: info.budget_reset_at ?? null,
          });
        }
      } catch (error) {
        if (!(error instanceof LiteLLMError)) throw error;
      }
    }
    for (let page = 1; page <= 1000; page++) {
      const result = await this.o.litellm.listUsers({ page, page_size: 100 });
      for (const u of result.users) {
        if (!u.user_id.startsWith('user:') || !u.max_budget) continue;
        out.push({
          subject: u.user_id,
          kind: 'user',
          spend: u.spend ?? 0,
          maxBudget: u.max_budget,
          budgetDuration: u.budget_duration ?? null,
          budgetResetAt: u.budget_reset_at ?? null,
        });
      }
      if (result.users.length === 0 || page >= result.total_pages) break;
    }
    return out;
  }

  async #budgets(): Promise<number> {
    let sent = 0;
    const now = this.#now();
    for (const b of await this.#budgeted()) {
      const period = b.budgetResetAt ?? 'no-period';
      const ratio = b.spend / b.maxBudget;
      const who = b.kind === 'team' ? `Team ${b.subject}` : 'Your';
      const link =
        b.kind === 'team'
          ? `${this.#s.linkBase}/teams/${encodeURIComponent(b.subject)}`
          : `${this.#s.linkBase}/usage`;
      const resets = b.budgetResetAt ? ` It resets at ${b.budgetResetAt}.` : '';
      if (ratio >= 1) {
        // Used up: this alert alone, not also the 80% one or a forecast.
        sent += await this.#send(
          { subject: b.subject, kind: 'budget-100', period },
          [b.subject],
          {
            title: `${who} LLM budget is used up`,
            description: `${b.spend.toFixed(2)} of ${
              b.maxBudget
            } spent: requests are refused until the budget resets or is raised.${resets}`,
            link,
            severity: 'critical',
          },
        );
      } else if (ratio >= 0.8) {
        sent += await this.#send(
          { subject: b.subject, kind: 'budget-80', period },
          [b.subject],
          {
            title: `${who} LLM budget is ${Math.floor(ratio * 100)}% used`,
            description: `${b.spend.toFixed(2)} of ${
              b.maxBudget
            } spent.${resets}`,
            link,
            severity: 'high',
          },
        );
      } else if (b.budgetResetAt && b.budgetDuration) {
        const end = new Date(b.budgetResetAt);
        const start = periodStart(end, b.budgetDuration);
        if (start && end > now && now > start) {
          const elapsed = now.getTime() - start.getTime();
          const length = end.getTime() - start.getTime();
          const forecast = (b.spend / elapsed) * length;
          if (elapsed / length >= 0.1 && forecast > b.maxBudget) {
            const runsOutAt = new Date(
              start.getTime() + (b.maxBudget / b.spend) * elapsed,
            ).toISOString();
            sent += await this.#send(
              { subject: b.subject, kind: 'budget-forecast', period },
              [b.subject],
              {
                title: `${who} LLM budget will run out before it resets`,
                description: `At the current rate the budget of ${b.maxBudget} runs out around ${runsOutAt}, before ${b.budgetResetAt}.`,
                link,
                severity: 'normal',
              },
            );
          }
        }
      }
    }
    return sent;
  }

  async #expiringKeys(): Promise<number> {
    let sent = 0;
    const now = this.#now().getTime();
    const horizon = now + this.#s.keyExpiryWarningDays * DAY_MS;
    for (const key of await this.o.keys.listByStatus(['active'])) {
      if (!key.expiresAt) continue;
      const at = Date.parse(key.expiresAt);
      if (at <= now || at > horizon) continue;
      sent += await this.#send(
        { subject: key.id, kind: 'key-expiring', period: key.expiresAt },
        [key.ownerRef],
        {
          title: `API key "${key.name}" expires soon`,
          description: `The key ${
            key.displayName ?? key.name
          } stops working at ${key.expiresAt}. Extend or rotate it.`,
          link: `${this.#s.linkBase}/keys/${key.id}`,
          severity: 'normal',
        },
      );
    }
    return sent;
  }

  async #subscriptions(): Promise<number> {
    let sent = 0;
    const pending = await this.o.subscriptions.listByStatus('pending', {
      limit: 200,
      offset: 0,
    });
    for (const s of pending.items) {
      sent += await this.#send(
        { subject: s.id, kind: 'subscription-pending', period: s.createdAt },
        this.#s.adminRecipients,
        {
          title: `Access request for ${s.modelId}`,
          description: `${s.subjectRef} asks for ${s.modelId}.${
            s.justification ? ` Reason: ${s.justification}` : ''
          }`,
          link: `${this.#s.linkBase}/admin/subscriptions`,
          severity: 'normal',
        },
      );
    }
    const since = this.#now().getTime() - this.#s.decisionLookbackMs;
    for (const status of ['active', 'denied'] as const) {
      const page = await this.o.subscriptions.listByStatus(status, {
        limit: 1000,
        offset: 0,
      });
      for (const s of page.items) {
        if (!s.decidedAt || !s.decidedBy || Date.parse(s.decidedAt) < since) {
          continue;
        }
        if (s.decidedBy === s.createdBy) continue;
        const approved = status === 'active';
        sent += await this.#send(
          { subject: s.id, kind: 'subscription-decision', period: s.decidedAt },
          [s.createdBy],
          {
            title: `Access to ${s.modelId} ${approved ? 'approved' : 'denied'}`,
            description: approved
              ? `${s.subjectRef} may now use ${s.modelId}.`
              : `${s.subjectRef} may not use ${s.modelId}${
                  s.reason ? `: ${s.reason}` : '.'
                }`,
            link: `${this.#s.linkBase}/models/${encodeURIComponent(s.modelId)}`,
            severity: approved ? 'normal' : 'high',
          },
        );
      }
    }
    return sent;
  }
}
