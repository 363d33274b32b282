/**
 * The durable distance cache (`distance_cache`): exact tree edit distances by pair key, so a
 * restart, a rebuild or a model change never recomputes a known pair. It is only a cache: a row
 * that is missing, deleted or corrupt (not a non-negative integer) reads as a miss and is
 * recomputed and written again; a failure to read or write it is logged, never fatal. Bounded
 * by `maxRows`, the oldest rows (lowest rowid: a TEXT primary key keeps SQLite's implicit
 * rowid, which grows with each insert) evicted first.
 */
import { tables, type Db } from '@lmdash/core';
import type { Statement } from 'bun:sqlite';

type DistanceCacheRow = typeof tables.distanceCache.$inferSelect;

/** Rows evicted beyond the bound at once, as a share of it, so eviction is not a per-insert cost. */
const EVICT_SLACK = 0.01;

export class DurableDistances {
  private readonly read: Statement;
  private readonly write: Statement;
  private readonly count: Statement;
  private readonly evict: Statement;
  /** Rows believed stored (an upper bound: other deletions only lower the real count). */
  private rows: number | null = null;
  /** Reads that found a corrupt row (counted for tests and logs). */
  corrupt = 0;
  private readFailed = false;

  constructor(private readonly db: Db, private readonly maxRows: number, private readonly log: (line: string) => void = () => {}) {
    const sqlite = db.$client;
    this.read = sqlite.prepare('SELECT pair_key AS pairKey, distance, stored_at AS storedAt FROM distance_cache WHERE pair_key = ?');
    this.write = sqlite.prepare('INSERT OR REPLACE INTO distance_cache (pair_key, distance, stored_at) VALUES (?, ?, ?)');
    this.count = sqlite.prepare('SELECT count(*) AS n FROM distance_cache');
    this.evict = sqlite.prepare('DELETE FROM distance_cache WHERE rowid IN (SELECT rowid FROM distance_cache ORDER BY rowid LIMIT ?)');
  }

  /** The stored distance of a pair, or undefined when there is none or it is not a distance. */
  get(key: string): number | undefined {
    if (this.maxRows === 0) return undefined;
    let row: DistanceCacheRow | null;
    try {
      row = this.read.get(key) as DistanceCacheRow | null;
    } catch (e) {
      // Once: a broken table would otherwise log every pair of every tick.
      if (!this.readFailed) this.log(`distance cache unreadable (${(e as Error).message}); computing distances instead`);
      this.readFailed = true;
      return undefined;
    }
    if (!row) return undefined;
    // SQLite's flexible typing lets a hand edit store anything in an INTEGER column.
    if (!Number.isSafeInteger(row.distance) || row.distance < 0) {
      this.corrupt++;
      return undefined;
    }
    return row.distance;
  }

  /** Stores distances in one transaction of their own, then evicts the oldest past the bound. */
  put(entries: ReadonlyMap<string, number>, now: number): void {
    if (this.maxRows === 0 || entries.size === 0) return;
    try {
      this.db.$client.transaction(() => {
        for (const [key, distance] of entries) this.write.run(key, distance, now);
      })();
      this.rows = this.rows === null ? (this.count.get() as { n: number }).n : this.rows + entries.size;
      if (this.rows > this.maxRows) {
        // The estimate can be high (replaced rows, deletions by hand): count before evicting.
        this.rows = (this.count.get() as { n: number }).n;
        if (this.rows > this.maxRows) {
          const excess = this.rows - this.maxRows + Math.floor(this.maxRows * EVICT_SLACK);
          this.rows -= this.evict.run(excess).changes;
        }
      }
    } catch (e) {
      this.log(`distance cache not written (${(e as Error).message}); the distances will be computed again when needed`);
    }
  }
}
