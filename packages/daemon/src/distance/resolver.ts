/**
 * Where a projection's missing distances come from (`changeScore`'s `onMiss`), cheapest first:
 * a result the pool delivered, the durable cache, the exact bounds when they meet (the common
 * case for consecutive versions), and else the pool: the pair is submitted and left pending, so
 * no single pair holds up a tick. Without a pool (LMDASH_DISTANCE_WORKERS=0, or a pair the pool
 * gave up on) APTED runs here, as before. Every distance settled here is stored durably at the
 * next `flush`. Distances depend only on the two trees, so where one was computed never changes
 * the projection.
 */
import { DistanceCache, ted, tedBounds, type ProgramRef, type Tree } from '@lmdash/inference';
import type { DurableDistances } from './durable.ts';
import type { Packed } from '../memory/packedText.ts';
import type { DistancePool, PairSide } from './pool.ts';

/** Pool results kept in memory until the students waiting for them are recomputed. */
const DELIVERED_CAPACITY = 50_000;

export type OnMiss = (prev: ProgramRef, next: ProgramRef, key: string) => number | undefined;

export class DistanceResolver {
  /** Settled since the last flush: to be stored durably. */
  private fresh = new Map<string, number>();
  private readonly delivered = new DistanceCache(DELIVERED_CAPACITY);
  /** Pairs the pool gave up on: their next miss runs APTED here. */
  private readonly here = new Set<string>();
  /**
   * Exact bounds of the pairs sent to the pool, until their distance is delivered: what a
   * provisional projection decides from (`boundsOf`), and why a pair still in flight is not
   * read or bounded again when its student is recomputed meanwhile.
   */
  private readonly inFlightBounds = new Map<string, { lower: number; upper: number }>();
  /** Pairs settled by the bounds, by APTED here, read from the durable cache, found corrupt there, sent to the pool (figures, tests). */
  counts = { bounds: 0, here: 0, durable: 0, corrupt: 0, submitted: 0 };

  constructor(private readonly durable: DurableDistances | null, readonly pool: DistancePool | null, private readonly log: (line: string) => void = () => {}) {}

  /** An `onMiss` for one projection; the keys it leaves pending are added to `pending`. */
  onMiss(pending: Set<string>): OnMiss {
    return (prev, next, key) => this.resolve(prev, next, key, pending);
  }

  private resolve(prev: ProgramRef, next: ProgramRef, key: string, pending: Set<string>): number | undefined {
    const delivered = this.delivered.get(key);
    if (delivered !== undefined) return delivered;
    const stored = this.durable?.get(key);
    // A stored value outside what any edit script costs is corrupt: recompute (and overwrite) it.
    if (stored !== undefined) {
      if (plausible(prev, next, stored)) return this.counts.durable++, stored;
      this.counts.corrupt++;
    }
    // Still in flight (the student was recomputed before the pool delivered): wait for it.
    if (this.inFlightBounds.has(key) && this.pool && !this.pool.terminated) {
      pending.add(key);
      return undefined;
    }
    // Only now are the trees read (a holder may produce them on demand).
    const a = prev.tree;
    const b = next.tree;
    const { lower, upper } = tedBounds(a, b);
    if (lower === upper) return this.counts.bounds++, this.settle(key, lower);
    if (this.pool && !this.pool.terminated && !this.here.has(key)) {
      this.pool.submit(key, sideOf(prev, a), sideOf(next, b));
      this.inFlightBounds.set(key, { lower, upper });
      this.counts.submitted++;
      pending.add(key);
      return undefined;
    }
    this.here.delete(key);
    this.counts.here++;
    return this.settle(key, ted(a, b, undefined, { bounds: false }));
  }

  private settle(key: string, distance: number): number {
    this.fresh.set(key, distance);
    return distance;
  }

  /** Takes what the pool delivered since the last call; returns the keys now settled either way. */
  collect(): string[] {
    if (!this.pool) return [];
    const { results, failed } = this.pool.take();
    for (const [key, d] of results) {
      this.delivered.set(key, d);
      this.fresh.set(key, d);
      this.inFlightBounds.delete(key);
    }
    for (const [key, why] of failed) {
      this.log(`distance ${key} not computed off the tick (${why}); computing it on the tick`);
      this.here.add(key);
      this.inFlightBounds.delete(key);
    }
    return [...results.keys(), ...failed.keys()];
  }

  /** The exact bounds of a pair in flight on the pool (what a provisional projection decides from), else undefined. */
  boundsOf(key: string): { lower: number; upper: number } | undefined {
    return this.inFlightBounds.get(key);
  }

  /** Stores the distances settled since the last flush (their own small transaction). */
  flush(now: number): void {
    if (this.fresh.size === 0) return;
    this.durable?.put(this.fresh, now);
    this.fresh = new Map();
  }

  /** Pairs queued or in flight on the pool. */
  get inFlight(): number {
    return this.pool?.inFlight ?? 0;
  }

  /** Aborted when the pool delivers its next result; never, without a pool. */
  nextDelivery(): AbortSignal {
    return this.pool ? this.pool.nextDelivery() : new AbortController().signal;
  }

  /** Ends the pool's threads (pairs in flight are submitted again by whoever needs them). */
  close(): void {
    this.pool?.terminate();
  }
}

/** The packed text a program holder keeps (`worker/programs.ts`) when it has one (queued as is), else the tree. */
function sideOf(ref: ProgramRef, tree: Tree): PairSide {
  return 'packed' in ref ? (ref as ProgramRef & { packed: Packed }) : tree;
}

/** Whether `d` can be the unit-cost edit distance of two trees of these sizes. */
function plausible(prev: ProgramRef, next: ProgramRef, d: number): boolean {
  return d >= Math.abs(prev.size - next.size) && d <= prev.size + next.size;
}
