/**
 * When the daemon collects garbage itself. Text read from SQLite and from the source's answers
 * lives outside the JS heap, where the GC does not count it, so a catch-up of real-size
 * programs (tens of KB each) grew the process by hundreds of MB before a collection came: a
 * 300-student class peaked over 400 MB. So whoever reads or stores event text notes how much
 * (`noteText`: the drain, the backfill, a worker rehydrating from the log), and a collection
 * runs each time `COLLECT_EVERY_BYTES` of it has passed; the loop also collects after a big tick.
 * Parsing that text makes garbage of its own, several times the text (a catch-up of team-sized
 * programs grew ~170 MB between two collections), so a recompute also checks the process's
 * resident size (`checkpoint`) and collects once it has grown `growthBound` past what the last
 * collection left (`COLLECT_EVERY_RSS_BYTES` for the daemon). That bound is small on purpose:
 * at 48 MB a 1,000-student team class peaked at 422–442 MB, at 16 MB at 331 MB, with no
 * measurable cost to its catch-up (docs/benchmarks.md).
 */

/** Event text (JSON of the events' data) read or stored between two collections. */
export const COLLECT_EVERY_BYTES = 32 * 1024 * 1024;

/** Events plus recomputed students past which a tick counts as big (the loop collects after it). */
export const BIG_TICK = 500;

/** Growth of the resident size since the last collection past which `checkpoint` collects. */
export const COLLECT_EVERY_RSS_BYTES = 16 * 1024 * 1024;

/**
 * A full collection costs in proportion to the whole heap, so in a process that holds much
 * besides the daemon (the simulator and a generated class in process: 0.4–2.6 GB, 30–150 ms a
 * collection) a fixed bound would collect as often for far more: the bound grows to this
 * fraction of what the last collection left (team × 1,000 in process: 187 collections → 59).
 * The daemon as its own process (under 256 MB after a collection) keeps the fixed bound.
 */
export const COLLECT_GROWTH_FRACTION = 1 / 16;

/** How much the process may grow past `rssAfter` (what a collection left) before `checkpoint` collects. */
export function growthBound(rssAfter: number): number {
  return Math.max(COLLECT_EVERY_RSS_BYTES, rssAfter * COLLECT_GROWTH_FRACTION);
}

let sinceCollection = 0;
/** Collections run so far (`collectionCount`). */
let collections = 0;
/** The resident size the last collection left (0 before the first). */
let rssAfterCollection = 0;

/** A full, synchronous collection (tens of ms on the daemon's heap). */
export function collectGarbage(): void {
  sinceCollection = 0;
  collections++;
  Bun.gc(true);
  rssAfterCollection = process.memoryUsage.rss();
}

/**
 * Collects when the process has grown `growthBound` since the last collection
 * (a read of the resident size, ~10 µs): called after each student's recompute and each
 * page of event text read or stored.
 */
export function checkpoint(): void {
  if (rssAfterCollection === 0) rssAfterCollection = process.memoryUsage.rss();
  else if (process.memoryUsage.rss() - rssAfterCollection > growthBound(rssAfterCollection)) collectGarbage();
}

/** How many collections have run in this process. */
export function collectionCount(): number {
  return collections;
}

/** Notes event text just read or stored; collects each time the bound has passed. */
export function noteText(bytes: number): void {
  sinceCollection += bytes;
  if (sinceCollection >= COLLECT_EVERY_BYTES) collectGarbage();
  else checkpoint();
}
