/**
 * The change alphabet: what the HMM observes for each run. A run's change against the previous
 * run is bucketed by its APTED distance (absolute) and its change score (relative to size), so a
 * one-value tweak in a large program and a rewrite of a small one land in different symbols.
 *
 * | id | name        | rule (first match wins)                          |
 * |----|-------------|--------------------------------------------------|
 * | 0  | identical   | distance = 0                                     |
 * | 1  | tweak       | distance <= 2 (a value or two changed)           |
 * | 2  | local       | score < 0.2, or distance <= 8 and score < 0.5    |
 * | 3  | restructure | score < 0.5                                      |
 * | 4  | rewrite     | score >= 0.5                                     |
 */

export const BUCKETS = ['identical', 'tweak', 'local', 'restructure', 'rewrite'] as const;
export type BucketName = (typeof BUCKETS)[number];
/** A symbol of the change alphabet, 0..4 (index into `BUCKETS`). */
export type Bucket = 0 | 1 | 2 | 3 | 4;

/** Edges of the buckets; exported so documentation and tests quote the same numbers. */
export const BUCKET_EDGES = {
  tweakMaxDistance: 2,
  localMaxScore: 0.2,
  smallEditMaxDistance: 8,
  restructureMaxScore: 0.5,
} as const;

/**
 * Maps a change to its symbol.
 * @example bucket(0.05, 1) // 1 (tweak)
 */
export function bucket(score: number, distance: number): Bucket {
  if (!(score >= 0) || !(distance >= 0)) {
    throw new RangeError(`bucket: score and distance must be >= 0 (got score=${score}, distance=${distance})`);
  }
  const e = BUCKET_EDGES;
  if (distance === 0) return 0;
  if (distance <= e.tweakMaxDistance) return 1;
  if (score < e.localMaxScore || (distance <= e.smallEditMaxDistance && score < e.restructureMaxScore)) return 2;
  if (score < e.restructureMaxScore) return 3;
  return 4;
}

/** The name of a bucket symbol. */
export function bucketName(b: Bucket): BucketName {
  return BUCKETS[b];
}

/**
 * The bucket of every distance in [lower, upper] for programs whose larger one has `size` nodes,
 * when they all share one bucket, else null: exact bounds on the distance (`tedBounds`) can then
 * decide the HMM's observation without the exact distance.
 *
 * Why comparing the two ends is enough: for a fixed size >= 1, `bucket(min(1, d / size), d)` is
 * non-decreasing in d >= 0 (real, not only integral), so the buckets of [lower, upper] are all
 * equal exactly when the buckets of lower and upper are. Proof: the score min(1, d / size) is
 * non-decreasing in d. For each k, the set of distances whose bucket is at most k is a down-set
 * (if it holds d, it holds every smaller d'):
 * - k = 0: {0} (distances are >= 0);
 * - k = 1: d <= 2;
 * - k = 2: d <= 2, or score < 0.2, or (d <= 8 and score < 0.5), a union of down-sets, since a
 *   smaller d' has a score no larger;
 * - k = 3: d <= 2, or score < 0.5 (the rule for 2 is contained in it);
 * - k = 4: everything.
 * The first-match rules make bucket(d) the least k whose set holds d, and with nested down-sets
 * that least k can only grow with d. Checked by brute force over sizes 1..300 (bucket.test.ts).
 * @example bucketFromBounds(3, 5, 100) // 2 (local, whatever the exact distance)
 */
export function bucketFromBounds(lower: number, upper: number, size: number): Bucket | null {
  if (!(lower >= 0) || !(upper >= lower) || !(size >= 1)) {
    throw new RangeError(`bucketFromBounds: need 0 <= lower <= upper and size >= 1 (got lower=${lower}, upper=${upper}, size=${size})`);
  }
  const lo = bucket(Math.min(1, lower / size), lower);
  return lo === bucket(Math.min(1, upper / size), upper) ? lo : null;
}
