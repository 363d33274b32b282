/**
 * One writer per store: before its first tick the daemon claims the store's single-writer lock
 * (PostgreSQL: an advisory lock held by its session; SQLite: a lock file beside the database).
 * A second daemon pointed at the same store waits here, checking now and then, and takes over
 * when the first one ends (its lock goes with its process, even after kill -9); so a standby
 * daemon is safe to run. The cursor's compare-and-set stays the last guard either way.
 */
import type { Storage } from '@lmdash/core';
import { abortableSleep } from '../source/sleep.ts';

/**
 * How often a waiting daemon tries the lock again, at most. It starts at 250 ms: a daemon killed
 * with -9 takes a moment to lose its session, and a restart should not wait 5 s for that.
 */
export const CLAIM_RETRY_MS = 5_000;

/**
 * Resolves true once this process holds the writer claim, false when `stop` ends the wait.
 * @example if (!(await waitForWriterClaim(storage, { where, stop, log }))) return;
 */
export async function waitForWriterClaim(storage: Storage, o: { where: string; stop: AbortSignal; log: (line: string) => void; retryMs?: number }): Promise<boolean> {
  let told = false;
  let delay = 250;
  while (!o.stop.aborted) {
    if (storage.claimWriter()) {
      if (told) o.log(`lmdash daemon: the other daemon is gone; this one now writes ${o.where}`);
      return true;
    }
    // Told once, after a second: a quick restart's wait for its predecessor's session is not news.
    if (!told && delay >= 1000) {
      o.log(`lmdash daemon: another daemon is writing ${o.where}; waiting to take over when it stops (Ctrl-C to give up)`);
      told = true;
    }
    await abortableSleep(delay, o.stop);
    delay = Math.min(delay * 2, o.retryMs ?? CLAIM_RETRY_MS);
  }
  return false;
}
