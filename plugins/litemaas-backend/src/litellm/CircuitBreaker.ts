/** State of the circuit breaker in front of LiteLLM. @public */
export type CircuitState = 'closed' | 'open' | 'half-open';

/** Tuning of the circuit breaker. @public */
export interface CircuitBreakerOptions {
  /** Consecutive "unavailable" failures that open the circuit. Default 5. */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial call is let through. Default 30000 ms. */
  cooldownMs?: number;
}

/** Permission to make one call; report its outcome exactly once. */
export interface CircuitPermit {
  success(): void;
  failure(): void;
}

/** Why a call was refused without being made. */
export interface CircuitRejection {
  state: CircuitState;
  consecutiveFailures: number;
  /** When the next trial call will be allowed (epoch ms). */
  retryAt: number;
}

export const DEFAULT_CIRCUIT_BREAKER: Required<CircuitBreakerOptions> = {
  failureThreshold: 5,
  cooldownMs: 30_000,
};

/**
 * A small consecutive-failure circuit breaker:
 * closed → (N consecutive failures) → open → (cool-down elapsed) → half-open, where exactly
 * one trial call goes through → closed on success / open again on failure.
 * Only "unavailable" outcomes count as failures; any answer from LiteLLM (even a 4xx) proves
 * it is up and counts as a success.
 */
export class CircuitBreaker {
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private stateValue: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    options: CircuitBreakerOptions = {},
    private readonly now: () => number = Date.now,
    private readonly onStateChange?: (
      from: CircuitState,
      to: CircuitState,
      consecutiveFailures: number,
    ) => void,
  ) {
    this.failureThreshold = Math.max(
      1,
      options.failureThreshold ?? DEFAULT_CIRCUIT_BREAKER.failureThreshold,
    );
    this.cooldownMs = Math.max(
      0,
      options.cooldownMs ?? DEFAULT_CIRCUIT_BREAKER.cooldownMs,
    );
  }

  /** Current state; an open circuit whose cool-down has elapsed reads as half-open. */
  get state(): CircuitState {
    if (
      this.stateValue === 'open' &&
      this.now() - this.openedAt >= this.cooldownMs
    ) {
      return 'half-open';
    }
    return this.stateValue;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** Asks to make a call: a permit, or the reason why the call must fail fast. */
  acquire(): CircuitPermit | CircuitRejection {
    const state = this.state;
    if (state === 'open' || (state === 'half-open' && this.trialInFlight)) {
      return {
        state,
        consecutiveFailures: this.failures,
        retryAt: this.openedAt + this.cooldownMs,
      };
    }
    const isTrial = state === 'half-open';
    if (isTrial) {
      this.transition('half-open');
      this.trialInFlight = true;
    }
    let settled = false;
    return {
      success: () => {
        if (settled) return;
        settled = true;
        if (isTrial) this.trialInFlight = false;
        this.failures = 0;
        if (this.stateValue !== 'closed') this.transition('closed');
      },
      failure: () => {
        if (settled) return;
        settled = true;
        if (isTrial) this.trialInFlight = false;
        this.failures += 1;
        if (isTrial || this.stateValue === 'half-open') {
          this.open();
        } else if (
          this.stateValue === 'closed' &&
          this.failures >= this.failureThreshold
        ) {
          this.open();
        }
      },
    };
  }

  private open() {
    this.openedAt = this.now();
    this.transition('open');
  }

  private transition(to: CircuitState) {
    const from = this.stateValue;
    if (from === to) return;
    this.stateValue = to;
    this.onStateChange?.(from, to, this.failures);
  }
}

export function isCircuitRejection(
  value: CircuitPermit | CircuitRejection,
): value is CircuitRejection {
  return 'retryAt' in value;
}
