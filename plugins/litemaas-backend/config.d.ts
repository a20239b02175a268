import { SchedulerServiceTaskScheduleDefinitionConfig } from '@backstage/backend-plugin-api';

export interface Config {
  /** Configuration of the LiteMaaS backend plugin. */
  litemaas?: {
    /** The LiteLLM proxy the backend manages. Only the backend talks to it. */
    litellm: {
      /**
       * Base URL of the LiteLLM proxy's management API, e.g. http://litellm:4000.
       * In development this points at the bundled LiteLLM emulator.
       */
      baseUrl: string;
      /**
       * LiteLLM master key (or an admin virtual key) used for management calls.
       * @visibility secret
       */
      masterKey: string;
      /**
       * Timeout of one management call, in milliseconds. Defaults to 10000.
       */
      timeoutMs?: number;
      /**
       * Retries of idempotent management calls (reads) when LiteLLM is unavailable
       * (refused or dropped connection, timeout, 5xx), with exponential backoff and
       * jitter. Writes are never retried; an open circuit breaker is not retried either.
       */
      retry?: {
        /** Attempts in total, the first one included; 1 disables retries. Defaults to 3. */
        maxAttempts?: number;
        /** Wait before the second attempt, in milliseconds; doubles each time. Defaults to 250. */
        baseDelayMs?: number;
        /** Longest wait between two attempts, in milliseconds. Defaults to 4000. */
        maxDelayMs?: number;
      };
    };
    /**
     * The OpenAI-compatible base URL that key holders call, shown in the portal and in
     * code snippets. Defaults to litellm.baseUrl.
     */
    publicBaseUrl?: string;
    /** Currency of LiteLLM's prices and budgets, as shown to users. Defaults to USD. */
    currency?: string;
    /** The LiteLLM team every user belongs to. Defaults to `litemaas-default`. */
    defaultTeamId?: string;
    /** Self-service API keys. */
    keys?: {
      /** Limits a new key gets when the request does not set them. */
      defaults?: {
        /** Budget in `currency`. */
        maxBudget?: number;
        /** LiteLLM duration of a budget period: `1d`, `7d`, `30d`, `1mo`, ... */
        budgetDuration?: string;
        tpmLimit?: number;
        rpmLimit?: number;
        /** Days until a new key expires. */
        expiresInDays?: number;
      };
      /** Lower bounds of self-service keys (enforced by the API). */
      minimums?: {
        /**
         * The shortest budget period, as a LiteLLM duration (`1d`, `7d`, ...). Defaults
         * to `1d`: a shorter period would let LiteLLM reset a key's spend every few
         * minutes.
         */
        budgetDuration?: string;
      };
      /** Limits no self-service key may exceed (enforced by the API, not only the UI). */
      maximums?: {
        maxBudget?: number;
        /** The longest budget period (`30d`, `1mo`, ...). Defaults to `30d`. */
        budgetDuration?: string;
        tpmLimit?: number;
        rpmLimit?: number;
        /** The longest lifetime of a key, in days. */
        expiresInDays?: number;
        /** How many live keys one owner (user, group or component) may hold. */
        keysPerOwner?: number;
      };
      /**
       * The longest grace period a rotation may keep the old secret working, in seconds.
       * Defaults to 86400 (one day).
       */
      rotationMaxGraceSeconds?: number;
    };
    /**
     * One-time reveal of a key secret minted on someone's behalf (a software template
     * asks for `deliver: 'reveal'`): the secret is kept encrypted until its first reveal
     * or its expiry, then deleted. Without `encryptionKey`, reveal delivery answers 503.
     */
    reveal?: {
      /**
       * Passphrase the reveal encryption key (AES-256-GCM) is derived from; at least 16
       * characters. Changing it makes pending reveals unreadable.
       * @visibility secret
       */
      encryptionKey?: string;
      /** How long a reveal link works, in seconds (30 to 86400). Defaults to 900. */
      ttlSeconds?: number;
    };
    /** The usage rollup synced from LiteLLM's daily activity. */
    usage?: {
      /** How many days back the sync reaches (first run and non-final days). Default 365. */
      backfillDays?: number;
      /** A past day becomes final (no longer refreshed) this many minutes after it ended. Default 120. */
      finalizeAfterMinutes?: number;
      /** Days asked from LiteLLM per request window; the sync holds two windows in memory. Default 7. */
      windowDays?: number;
      /** LiteLLM page size, at most 1000. Default 1000. */
      pageSize?: number;
    };
    /** Alerts sent through Backstage notifications. */
    notifications?: {
      /** Default true. */
      enabled?: boolean;
      /** Users or groups told about subscription requests waiting for a decision. */
      adminRecipients?: string[];
      /** Warn this many days before a key expires. Default 7. */
      keyExpiryWarningDays?: number;
      /** Path of the LiteMaaS pages in the portal, for links. Default /litemaas. */
      linkBase?: string;
    };
    /** The LiteLLM user created for each portal user on first use. */
    users?: {
      defaults?: {
        maxBudget?: number;
        budgetDuration?: string;
        tpmLimit?: number;
        rpmLimit?: number;
      };
    };
    /**
     * Schedules of the backend's jobs (run once across replicas). Each is a full
     * schedule definition, e.g. `{ frequency: { minutes: 5 }, timeout: { minutes: 2 },
     * initialDelay: { seconds: 1 } }`; durations may also be ISO 8601 strings.
     */
    schedules?: {
      /** Model sync from LiteLLM. Default: every 5 minutes, first run 1 s after start-up. */
      modelSync?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Expiry of time-limited subscriptions. Default: every minute. */
      subscriptionExpiry?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Usage sync from LiteLLM daily activity, then alerts. Default: every 10 minutes. */
      usageSync?: SchedulerServiceTaskScheduleDefinitionConfig;
      /** Team settings (annotations) and members from the catalog. Default: every 15 minutes. */
      teamSync?: SchedulerServiceTaskScheduleDefinitionConfig;
    };
  };
}
