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
      /** Limits no self-service key may exceed (enforced by the API, not only the UI). */
      maximums?: {
        maxBudget?: number;
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
    };
  };
}
