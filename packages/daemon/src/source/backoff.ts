/**
 * Backoff as pure functions, so the policy is tested without clocks: the failure backoff of the
 * source client (exponential, capped, honouring Retry-After) and the idle backoff of the tick
 * loop (grows while nothing happens, reset by any activity). No jitter: one daemon talks to one
 * source, there is no herd to spread, and deterministic delays keep the tests exact.
 */

/** First failure delay, ms. */
export const FAILURE_BASE_MS = 500;
/** Longest failure delay, ms; also the cap on a server's Retry-After. */
export const FAILURE_MAX_MS = 30_000;
/**
 * A login refused mid-run (a rotated password) does not heal in seconds, and retrying a wrong
 * password every 30 s can lock a real account: wait this long between such logins.
 */
export const BAD_CREDENTIALS_RETRY_MS = 10 * 60_000;
/** Shortest idle sleep, ms. */
export const IDLE_MIN_MS = 500;

/**
 * How long to wait after the `consecutiveFailures`-th failure in a row (1 for the first):
 * 0.5 s, 1 s, 2 s, ... up to 30 s. A `Retry-After` (seconds) is honoured — never retry sooner
 * than the server asked — but capped, so a bogus hour-long value cannot stall the mirror.
 */
export function failureDelay(consecutiveFailures: number, retryAfterSeconds?: number, maxMs: number = FAILURE_MAX_MS): number {
  const n = Math.max(1, Math.floor(consecutiveFailures) || 1);
  // The exponent is bounded so 2 ** n never overflows into Infinity on a long outage.
  const exponential = Math.min(maxMs, FAILURE_BASE_MS * 2 ** Math.min(n - 1, 30));
  if (retryAfterSeconds === undefined || !Number.isFinite(retryAfterSeconds) || retryAfterSeconds < 0) return exponential;
  return Math.min(maxMs, Math.max(exponential, retryAfterSeconds * 1000));
}

/**
 * The next idle sleep of the tick loop, ms: 0.5 s after activity (or on the first tick), then
 * doubling while nothing happens, up to `maxMs` (PIPELINE_IDLE_MAX in ms).
 */
export function idleDelay(previousMs: number | undefined, hadActivity: boolean, maxMs: number): number {
  const floor = Math.min(IDLE_MIN_MS, maxMs);
  if (hadActivity || previousMs === undefined || !(previousMs >= floor)) return floor;
  return Math.min(maxMs, previousMs * 2);
}
