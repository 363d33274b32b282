/**
 * Failed logins per client address, in a sliding window: after `max` failures within `windowMs`
 * the address gets 429 with Retry-After until the oldest of them leaves the window, without its
 * credentials even being checked, so a token or a password cannot be guessed faster than that.
 * A success does not wipe the count. Kept in memory, per process (N processes behind a load
 * balancer allow N times as many), bounded to `maxAddresses` (the stalest are forgotten first).
 * The address is the socket's peer: behind a proxy every client shares the proxy's.
 */
export const LOGIN_MAX_FAILURES = 10;
export const LOGIN_WINDOW_MS = 60_000;
const MAX_ADDRESSES = 10_000;

export class LoginLimiter {
  /** Per address, the times of its recent failures, oldest first. */
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly now: () => number,
    readonly max = LOGIN_MAX_FAILURES,
    readonly windowMs = LOGIN_WINDOW_MS,
    private readonly maxAddresses = MAX_ADDRESSES,
  ) {}

  private recent(address: string): number[] {
    const since = this.now() - this.windowMs;
    const times = (this.failures.get(address) ?? []).filter((t) => t > since);
    if (times.length === 0) this.failures.delete(address);
    else this.failures.set(address, times);
    return times;
  }

  /** Seconds until `address` may try again, or 0 when it may now. */
  retryAfter(address: string): number {
    const times = this.recent(address);
    if (times.length < this.max) return 0;
    return Math.max(1, Math.ceil((times[times.length - this.max]! + this.windowMs - this.now()) / 1000));
  }

  fail(address: string): void {
    const times = this.recent(address);
    times.push(this.now());
    this.failures.delete(address); // re-inserted last: the Map's order is staleness
    this.failures.set(address, times.slice(-this.max));
    while (this.failures.size > this.maxAddresses) this.failures.delete(this.failures.keys().next().value!);
  }

  /** Addresses with failures held (for tests). */
  get size(): number {
    return this.failures.size;
  }
}
