/**
 * The durable distance cache: exact tree edit distances by pair key, so a restart, a rebuild or
 * a model change never recomputes a known pair. It is only a cache: a row that is missing,
 * deleted or corrupt (not a non-negative integer) reads as a miss and is recomputed and written
 * again; a failure to read or write it is logged, never fatal. Bounded by `maxRows`, the oldest
 * rows evicted first. Stored through the storage port (`DistanceStore`).
 */
import type { DistanceStore } from '@lmdash/core';
import { RowBound } from '../durable/bound.ts';

export class DurableDistances {
  private readonly bound: RowBound;
  /** Reads that found a corrupt row (counted for tests and logs). */
  corrupt = 0;
  private readFailed = false;

  constructor(private readonly store: DistanceStore, private readonly maxRows: number, private readonly log: (line: string) => void = () => {}) {
    this.bound = new RowBound(store, maxRows);
  }

  /** The stored distance of a pair, or undefined when there is none or it is not a distance. */
  get(key: string): number | undefined {
    if (this.maxRows === 0) return undefined;
    let distance: number | null;
    try {
      distance = this.store.read(key);
    } catch (e) {
      // Once: a broken table would otherwise log every pair of every tick.
      if (!this.readFailed) this.log(`distance cache unreadable (${(e as Error).message}); computing distances instead`);
      this.readFailed = true;
      return undefined;
    }
    if (distance === null) return undefined;
    // SQLite's flexible typing lets a hand edit store anything in an INTEGER column.
    if (!Number.isSafeInteger(distance) || distance < 0) {
      this.corrupt++;
      return undefined;
    }
    return distance;
  }

  /** Stores distances in one transaction of their own, then evicts the oldest past the bound. */
  put(entries: ReadonlyMap<string, number>, now: number): void {
    if (this.maxRows === 0 || entries.size === 0) return;
    try {
      this.store.write(entries, now);
      this.bound.written(entries.size);
    } catch (e) {
      this.log(`distance cache not written (${(e as Error).message}); the distances will be computed again when needed`);
    }
  }
}
