/** The daemon's one wait: the source client's retry backoff and the tick loop's idle sleep. */

/**
 * A timer that ends early (resolving, never rejecting) when `signal` aborts: a shutdown must not
 * sit out a 30 s backoff or a 5 s idle sleep.
 * @example await abortableSleep(500, stop.signal)
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
