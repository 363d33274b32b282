/**
 * Retry and health: every request's outcome feeds the health tracker (each transition logged
 * and reported once), and a failed request is retried with the failure backoff (Retry-After
 * honoured) until it succeeds, its attempts run out or the caller's signal aborts.
 */
import { BAD_CREDENTIALS_RETRY_MS, failureDelay } from './backoff.ts';
import { SourceError } from './errors.ts';
import type { HealthTracker, HealthTransition } from './health.ts';

export type RetrierOptions = {
  health: HealthTracker;
  /** Waits between retries; must end early (or not) when the signal aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  log: (line: string) => void;
  /** Called once per health transition (the daemon records it in `meta`). */
  onHealth?: (transition: HealthTransition) => void;
};

export type RetryOptions = {
  signal?: AbortSignal;
  /** Attempts in all, the first included. Default: no limit. */
  attempts?: number;
  /** A failure not worth another attempt (it is thrown at once). */
  giveUp?: (e: SourceError) => boolean;
};

export class Retrier {
  readonly health: HealthTracker;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #log: (line: string) => void;
  readonly #onHealth: ((transition: HealthTransition) => void) | undefined;

  constructor(options: RetrierOptions) {
    this.health = options.health;
    this.#sleep = options.sleep;
    this.#log = options.log;
    this.#onHealth = options.onHealth;
  }

  /** Runs one request and feeds its outcome to the health tracker (an abort is not a failure). */
  async tracked<T>(request: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      const value = await request();
      this.#report(this.health.success());
      return value;
    } catch (e) {
      if (e instanceof SourceError && !signal?.aborted) this.#report(this.health.failure(e));
      throw e;
    }
  }

  /** Retries a request on SourceError with the failure backoff, until it succeeds, `attempts` run out or `signal` aborts. */
  async retrying<T>(request: () => Promise<T>, options: RetryOptions): Promise<T> {
    const { signal } = options;
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (e) {
        if (!(e instanceof SourceError) || signal?.aborted) throw e;
        if (attempt >= (options.attempts ?? Infinity) || options.giveUp?.(e)) throw e;
        const failures = Math.max(1, this.health.consecutiveFailures);
        // Wrong credentials mid-run (a rotated password) will not heal fast: spare the account.
        const delay = e.kind === 'bad-credentials' ? BAD_CREDENTIALS_RETRY_MS : failureDelay(failures, e.retryAfter);
        this.#log(`source: ${e.message}; retry in ${(delay / 1000).toFixed(1)} s (${failures} failure${failures === 1 ? '' : 's'} in a row)`);
        await this.#sleep(delay, signal);
        signal?.throwIfAborted();
      }
    }
  }

  #report(transition: HealthTransition | undefined): void {
    if (!transition) return;
    if (transition.status === 'unhealthy') this.#log(`source: UNHEALTHY after ${transition.consecutiveFailures} failures in a row; last: ${transition.lastError}`);
    else this.#log('source: HEALTHY');
    this.#onHealth?.(transition);
  }
}
