export { BUCKETS, BUCKET_EDGES, bucket, bucketFromBounds, bucketName } from './bucket.ts';
export type { Bucket, BucketName } from './bucket.ts';
export { treeHash } from './hash.ts';
export { DistanceCache, changeObservation, changeScore } from './score.ts';
export type { ChangeOptions, ChangeScore } from './score.ts';
