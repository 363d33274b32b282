export { BUCKETS, BUCKET_EDGES, bucket, bucketFromBounds, bucketName } from './bucket.ts';
export type { Bucket, BucketName } from './bucket.ts';
export { treeHash } from './hash.ts';
export { DistanceCache, changeBetween, changeObservation, changeScore, pairKey } from './score.ts';
export type { ChangeOptions, ChangeScore, ProgramRef } from './score.ts';
