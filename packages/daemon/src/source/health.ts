/**
 * The source's health as a small state machine. It returns each transition exactly once, so the
 * caller logs it and records it (the daemon writes it to `meta`) without keeping state of its
 * own: UNHEALTHY when the 5th failure in a row happens, HEALTHY on the first success after start
 * or after being unhealthy. Failures short of the threshold change nothing visible.
 */

export type HealthStatus = 'unknown' | 'healthy' | 'unhealthy';

export type HealthTransition =
  | { status: 'healthy'; previous: 'unknown' | 'unhealthy' }
  | { status: 'unhealthy'; previous: 'unknown' | 'healthy'; consecutiveFailures: number; lastError: string };

/** Failures in a row that make the source unhealthy. */
export const UNHEALTHY_AFTER = 5;

export class HealthTracker {
  readonly threshold: number;
  #status: HealthStatus = 'unknown';
  #failures = 0;
  #lastError: string | undefined;

  constructor(threshold: number = UNHEALTHY_AFTER) {
    if (!(Number.isInteger(threshold) && threshold >= 1)) throw new RangeError(`health: threshold must be an integer >= 1, got ${threshold}`);
    this.threshold = threshold;
  }

  get status(): HealthStatus {
    return this.#status;
  }

  get consecutiveFailures(): number {
    return this.#failures;
  }

  /** The message of the most recent failure; kept after recovery, for display. */
  get lastError(): string | undefined {
    return this.#lastError;
  }

  /** A request succeeded; the HEALTHY transition when this changes the status. */
  success(): HealthTransition | undefined {
    this.#failures = 0;
    if (this.#status === 'healthy') return undefined;
    const previous = this.#status;
    this.#status = 'healthy';
    return { status: 'healthy', previous };
  }

  /** A request failed; the UNHEALTHY transition when this is the failure that crosses the threshold. */
  failure(error: unknown): HealthTransition | undefined {
    this.#failures++;
    this.#lastError = error instanceof Error ? error.message : String(error);
    if (this.#status === 'unhealthy' || this.#failures < this.threshold) return undefined;
    const previous = this.#status;
    this.#status = 'unhealthy';
    return { status: 'unhealthy', previous, consecutiveFailures: this.#failures, lastError: this.#lastError };
  }
}
