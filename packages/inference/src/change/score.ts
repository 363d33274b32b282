/**
 * The change between two consecutive programs: their exact APTED distance and that distance
 * relative to the larger program, with a cache so that a pair is never computed twice.
 */
import { ted } from '../apted/apted.ts';
import { treeSize, type Tree } from '../tree/tree.ts';
import { bucket, type Bucket } from './bucket.ts';
import { treeHash } from './hash.ts';

export type ChangeScore = {
  /** Unit-cost tree edit distance from the previous program to the next. */
  distance: number;
  /** min(1, distance / max(|prev|, |next|)): 0 for identical programs, 1 for a full rewrite. */
  score: number;
  /** Set when `onMiss` could not give the distance yet: `distance` and `score` are then 0 and mean nothing. */
  pending?: true;
};

/**
 * Remembers distances by the content hashes of the two trees (see `treeHash`), oldest evicted
 * first beyond `capacity` pairs. Share one cache across calls to reuse known pairs.
 */
export class DistanceCache {
  private readonly map = new Map<string, number>();
  hits = 0;
  misses = 0;
  constructor(readonly capacity = 10_000) {}

  get(key: string): number | undefined {
    const d = this.map.get(key);
    if (d === undefined) return undefined;
    // Refresh: Map iteration order is insertion order, so re-inserting keeps it youngest.
    this.map.delete(key);
    this.map.set(key, d);
    return d;
  }

  set(key: string, distance: number): void {
    this.map.set(key, distance);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as string);
  }

  get size(): number {
    return this.map.size;
  }
}

/**
 * A program known by its content hash (`treeHash`) and size, whose tree is read only when a
 * distance has to be computed. A holder may produce `tree` on demand (a getter), so that a
 * long history of programs need not be kept as trees.
 */
export type ProgramRef = { readonly tree: Tree; readonly hash: string; readonly size: number };

export type ChangeOptions = {
  cache?: DistanceCache;
  /** Precomputed hashes (`treeHash`), when the caller already has them (`changeScore` only). */
  prevHash?: string;
  nextHash?: string;
  /**
   * Called on a cache miss instead of running APTED here: returns the exact distance (e.g. from
   * a durable cache, or from bounds that meet), or undefined when it is not known yet because the
   * caller computes it elsewhere (a worker thread). Then the result is `pending` and must not be
   * used. What it returns is remembered in `cache`. It is given the two programs as references,
   * so it reads their trees only if it needs them.
   */
  onMiss?: (prev: ProgramRef, next: ProgramRef, key: string) => number | undefined;
};

/** The cache key of an ordered pair of programs, from their content hashes. */
export function pairKey(prevHash: string, nextHash: string): string {
  return prevHash + '>' + nextHash;
}

/**
 * The change from `prev` to `next`. Identical programs short-cut to 0 without running APTED.
 * @example changeScore(parseBracket('{p{a}{b}}'), parseBracket('{p{a}{c}}')) // { distance: 1, score: 1/3 }
 */
export function changeScore(prev: Tree, next: Tree, opts: ChangeOptions = {}): ChangeScore {
  return changeBetween(
    { tree: prev, hash: opts.prevHash ?? treeHash(prev), size: treeSize(prev) },
    { tree: next, hash: opts.nextHash ?? treeHash(next), size: treeSize(next) },
    opts,
  );
}

/**
 * `changeScore` on program references: reads the trees only when the distance is neither
 * trivial (same hash) nor in `cache`, so a re-decode over known pairs touches no tree.
 */
export function changeBetween(prev: ProgramRef, next: ProgramRef, opts: Pick<ChangeOptions, 'cache' | 'onMiss'> = {}): ChangeScore {
  const size = Math.max(prev.size, next.size);
  let distance: number;
  if (prev.hash === next.hash) {
    distance = 0;
  } else {
    const key = pairKey(prev.hash, next.hash);
    const cached = opts.cache?.get(key);
    if (cached !== undefined) {
      opts.cache!.hits++;
      distance = cached;
    } else {
      const known = opts.onMiss ? opts.onMiss(prev, next, key) : ted(prev.tree, next.tree);
      if (known === undefined) return { distance: 0, score: 0, pending: true };
      distance = known;
      if (opts.cache) {
        opts.cache.misses++;
        opts.cache.set(key, distance);
      }
    }
  }
  return { distance, score: Math.min(1, distance / size) };
}

/** `changeScore` plus its bucket, the HMM's observation. */
export function changeObservation(prev: Tree, next: Tree, opts?: ChangeOptions): ChangeScore & { bucket: Bucket } {
  const c = changeScore(prev, next, opts);
  return { ...c, bucket: bucket(c.score, c.distance) };
}
