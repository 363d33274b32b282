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
