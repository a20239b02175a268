import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import {
  BrokenCircuitError,
  CircuitBreakerPolicy,
  CircuitState as CockatielCircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  RetryPolicy,
  TimeoutPolicy,
  TimeoutStrategy,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
} from 'cockatiel';
import { z } from 'zod';
import { wholeNonNegative, wholePositive } from '../configChecks';
import { LiteLLMUnavailableError } from './errors';

/** State of the circuit breaker in front of LiteLLM. @public */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Tuning of the circuit breaker. @public */
export interface CircuitBreakerOptions {
  /** Consecutive "unavailable" failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial call is let through. Default 30000 ms. */
  cooldownMs?: number;
}

/** Retry policy for idempotent reads. @public */
export interface LiteLLMRetryOptions {
  /** Attempts in total, first one included. Default 3. 1 disables retries. */
  maxAttempts?: number;
  /** Backoff before the 2nd attempt; doubles each time. Default 250 ms. */
  baseDelayMs?: number;
  /** Cap of one backoff. Default 4000 ms. */
  maxDelayMs?: number;
}

/**
 * What `litemaas.litellm.retry` may hold: checked by the plugin's settings with every
 * other `litemaas.*` key, and by {@link LiteLLMClient.fromConfig} on its own.
 */
export const retryOptionsSchema = z.object({
  maxAttempts: wholePositive.optional(),
  baseDelayMs: wholeNonNegative.optional(),
  maxDelayMs: wholeNonNegative.optional(),
});

/**
 * The retry policy set under `litemaas.litellm.retry` (`config` is `litemaas.litellm`):
 * only the values present, so the defaults fill the rest. Unchecked: see
 * {@link retryOptionsSchema}.
 */
export function readRetryOptions(
  config?: Pick<RootConfigService, 'getOptionalConfig'>,
): LiteLLMRetryOptions {
  const section = config?.getOptionalConfig('retry');
  return Object.fromEntries(
    (['maxAttempts', 'baseDelayMs', 'maxDelayMs'] as const)
      .map(name => [name, section?.getOptionalNumber(name)] as const)
      .filter(([, value]) => value !== undefined),
  );
}

export const DEFAULT_CIRCUIT_BREAKER: Required<CircuitBreakerOptions> = {
  failureThreshold: 5,
  cooldownMs: 30_000,
};

export const DEFAULT_RETRY: Required<LiteLLMRetryOptions> = {
  maxAttempts: 3,
  baseDelayMs: 250,
  maxDelayMs: 4_000,
};

/** What one call tells the policies about itself (for logs and error messages). */
export interface CallLabel {
  method: string;
  route: string;
  idempotent: boolean;
}

/**
 * What one attempt answered. Only a thrown `LiteLLMUnavailableError` counts as a failure of
 * LiteLLM; any other answer, even an error, proves LiteLLM is up, so attempts hand those
 * errors back as a value and {@link LiteLLMResilience.execute} throws them after the breaker
 * has counted a success.
 */
export type AttemptOutcome = { value: unknown } | { error: unknown };

/**
 * The fault tolerance in front of LiteLLM, on cockatiel policies:
 * - a timeout on every attempt (the attempt gets the abort signal);
 * - a consecutive-failure circuit breaker: open after N unavailable outcomes, one trial call
 *   after the cool-down (closes on success, re-opens on failure); while that trial runs,
 *   other calls fail fast instead of queueing behind it;
 * - retries of idempotent calls on unavailability (never on an open circuit) with
 *   exponential backoff and "equal jitter": half fixed, half random.
 *
 * The breaker's clock is the system clock (`Date.now`); tests move it with Jest's fake timers.
 */
export class LiteLLMResilience {
  private readonly consecutive: ConsecutiveBreaker;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly retryPolicy: RetryPolicy;
  private readonly timeoutPolicy: TimeoutPolicy;
  private readonly cooldownMs: number;
  private readonly retryOptions: Required<LiteLLMRetryOptions>;
  private readonly logger: LoggerService;
  private lastState: CircuitState = 'closed';
  private openedAt = 0;

  constructor(options: {
    timeoutMs: number;
    retry?: LiteLLMRetryOptions;
    circuitBreaker?: CircuitBreakerOptions;
    random: () => number;
    logger: LoggerService;
  }) {
    const { logger, random } = options;
    this.logger = logger;
    this.cooldownMs = Math.max(
      0,
      options.circuitBreaker?.cooldownMs ?? DEFAULT_CIRCUIT_BREAKER.cooldownMs,
    );
    this.consecutive = new ConsecutiveBreaker(
      Math.max(
        1,
        options.circuitBreaker?.failureThreshold ??
          DEFAULT_CIRCUIT_BREAKER.failureThreshold,
      ),
    );
    this.breaker = circuitBreaker(
      handleWhen(error => error instanceof LiteLLMUnavailableError),
      { halfOpenAfter: this.cooldownMs, breaker: this.consecutive },
    );
    this.breaker.onStateChange(state => {
      const to = this.toCircuitState(state);
      const from = this.lastState;
      this.lastState = to;
      if (to === 'open') this.openedAt = Date.now();
      if (from === to) return;
      const meta = {
        from,
        to,
        consecutiveFailures: this.consecutive.state,
      };
      if (to === 'open') logger.warn('LiteLLM circuit breaker opened', meta);
      else logger.info(`LiteLLM circuit breaker ${to}`, meta);
    });

    this.retryOptions = {
      maxAttempts: Math.max(
        1,
        options.retry?.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
      ),
      baseDelayMs: options.retry?.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs,
      maxDelayMs: options.retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
    };
    const { baseDelayMs, maxDelayMs } = this.retryOptions;
    this.retryPolicy = retry(
      handleWhen(
        error =>
          error instanceof LiteLLMUnavailableError &&
          error.reason !== 'circuit-open',
      ),
      {
        maxAttempts: this.retryOptions.maxAttempts - 1,
        backoff: new DelegateBackoff(({ attempt }) => {
          const exp = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
          return Math.round(exp / 2 + (random() * exp) / 2);
        }),
      },
    );
    this.retryPolicy.onRetry(event => {
      if (!('error' in event)) return;
      const error = event.error as LiteLLMUnavailableError;
      logger.info('Retrying LiteLLM call', {
        method: error.method,
        path: error.path,
        attempt: event.attempt,
        nextAttempt: event.attempt + 1,
        delayMs: event.delay,
        reason: error.reason,
      });
    });

    this.timeoutPolicy = timeout(
      options.timeoutMs,
      TimeoutStrategy.Cooperative,
    );
  }

  /** Current state; an open circuit whose cool-down has elapsed reads as half-open. */
  get circuitState(): CircuitState {
    const state = this.toCircuitState(this.breaker.state);
    if (state === 'open' && Date.now() - this.openedAt >= this.cooldownMs) {
      return 'half-open';
    }
    return state;
  }

  /**
   * Runs a call through the policies. `attempt` makes one attempt within the abort signal of
   * its timeout; it throws `LiteLLMUnavailableError` when LiteLLM is unavailable and returns
   * every other outcome.
   */
  async execute(
    label: CallLabel,
    attempt: (
      signal: AbortSignal,
      attemptNo: number,
    ) => Promise<AttemptOutcome>,
  ): Promise<unknown> {
    const once = (attemptNo: number) => this.guarded(label, attempt, attemptNo);
    const outcome = label.idempotent
      ? await this.retryPolicy.execute(({ attempt: n }) => once(n + 1))
      : await once(1);
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }

  private async guarded(
    label: CallLabel,
    attempt: (
      signal: AbortSignal,
      attemptNo: number,
    ) => Promise<AttemptOutcome>,
    attemptNo: number,
  ): Promise<AttemptOutcome> {
    // cockatiel lets calls wait for a half-open trial; ours fail fast instead
    if (this.breaker.state === CockatielCircuitState.HalfOpen) {
      throw this.rejection(label, 'half-open', attemptNo);
    }
    try {
      return await this.breaker.execute(() =>
        this.timeoutPolicy.execute(({ signal }) => attempt(signal, attemptNo)),
      );
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw this.rejection(label, this.circuitState, attemptNo);
      }
      throw error;
    }
  }

  private rejection(label: CallLabel, state: CircuitState, attempt: number) {
    const failures = this.consecutive.state;
    const retryAt = new Date(this.openedAt + this.cooldownMs).toISOString();
    this.logger.debug('LiteLLM call refused by the circuit breaker', {
      method: label.method,
      path: label.route,
      attempt,
      circuitState: state,
    });
    return new LiteLLMUnavailableError(
      {
        method: label.method,
        path: label.route,
        reason: 'circuit-open',
        detail: `circuit breaker ${state} after ${failures} consecutive failures`,
      },
      `LiteLLM ${label.method} ${label.route} not attempted: the circuit breaker is ${state} after ${failures} consecutive failures (next trial at ${retryAt})`,
    );
  }

  private toCircuitState(state: CockatielCircuitState): CircuitState {
    if (state === CockatielCircuitState.Closed) return 'closed';
    if (state === CockatielCircuitState.HalfOpen) return 'half-open';
    return 'open';
  }
}
