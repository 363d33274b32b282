/**
 * When the daemon collects garbage itself. Text read from SQLite and from the source's answers
 * lives outside the JS heap, where the GC does not count it, so a catch-up of real-size
 * programs (tens of KB each) grew the process by hundreds of MB before a collection came: a
 * 300-student class peaked over 400 MB. So whoever reads or stores event text notes how much
 * (`noteText`: the drain, the backfill, a worker rehydrating from the log), and a collection
 * runs each time `COLLECT_EVERY_BYTES` of it has passed; the loop also collects after a big tick.
 */

/** Event text (JSON of the events' data) read or stored between two collections. */
export const COLLECT_EVERY_BYTES = 32 * 1024 * 1024;

/** Events plus recomputed students past which a tick counts as big (the loop collects after it). */
export const BIG_TICK = 500;

let sinceCollection = 0;

/** A full, synchronous collection (tens of ms on the daemon's heap). */
export function collectGarbage(): void {
  sinceCollection = 0;
  Bun.gc(true);
}

/** Notes event text just read or stored; collects each time the bound has passed. */
export function noteText(bytes: number): void {
  sinceCollection += bytes;
  if (sinceCollection >= COLLECT_EVERY_BYTES) collectGarbage();
}
