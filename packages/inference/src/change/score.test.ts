import { describe, expect, test } from 'bun:test';
import { parseBracket, toBracket } from '../tree/tree.ts';
import { BUCKET_EDGES, bucket, bucketName } from './bucket.ts';
import { treeHash } from './hash.ts';
import { DistanceCache, changeObservation, changeScore } from './score.ts';

describe('changeScore', () => {
  test('identical programs score 0', () => {
    const t = parseBracket('{program{script{when_started}{drive{NUM=10}}}}');
    expect(changeScore(t, parseBracket(toBracket(t)))).toEqual({ distance: 0, score: 0 });
  });

  test('score is the distance over the larger program, capped at 1', () => {
    expect(changeScore(parseBracket('{p{a}{b}}'), parseBracket('{p{a}{c}}'))).toEqual({ distance: 1, score: 1 / 3 });
    expect(changeScore(parseBracket('{p{a}{b}{c}{d}}'), parseBracket('{q}'))).toEqual({ distance: 5, score: 1 });
    expect(changeScore(parseBracket('{p}'), parseBracket('{p{a}{b}{c}}'))).toEqual({ distance: 3, score: 3 / 4 });
  });

  test('a cache answers a known pair without recomputing, and evicts the oldest pair', () => {
    const cache = new DistanceCache(2);
    const a = parseBracket('{p{a}}');
    const b = parseBracket('{p{b}}');
    const c = parseBracket('{p{c}{d}}');
    changeScore(a, b, { cache });
    changeScore(a, b, { cache });
    expect([cache.hits, cache.misses]).toEqual([1, 1]);
    changeScore(b, c, { cache });
    changeScore(a, c, { cache });
    expect(cache.size).toBe(2);
    changeScore(a, b, { cache }); // evicted: computed again
    expect([cache.hits, cache.misses]).toEqual([1, 4]);
  });

  test('treeHash tells programs apart and is stable', () => {
    expect(treeHash(parseBracket('{p{a}{b}}'))).toBe(treeHash(parseBracket('{p{a}{b}}')));
    expect(treeHash(parseBracket('{p{a}{b}}'))).not.toBe(treeHash(parseBracket('{p{b}{a}}')));
    expect(treeHash(parseBracket('{p{ab}}'))).not.toBe(treeHash(parseBracket('{p{a}{b}}')));
  });
});

describe('bucket', () => {
  test('maps each documented edge to its symbol', () => {
    expect(bucket(0, 0)).toBe(0);
    expect(bucketName(bucket(0.01, 1))).toBe('tweak');
    expect(bucketName(bucket(0.9, BUCKET_EDGES.tweakMaxDistance))).toBe('tweak');
    expect(bucketName(bucket(0.19, 30))).toBe('local');
    expect(bucketName(bucket(0.45, 8))).toBe('local');
    expect(bucketName(bucket(0.45, 9))).toBe('restructure');
    expect(bucketName(bucket(0.2, 30))).toBe('restructure');
    expect(bucketName(bucket(0.5, 30))).toBe('rewrite');
    expect(bucketName(bucket(1, 3))).toBe('rewrite');
  });

  test('rejects negative or NaN input', () => {
    expect(() => bucket(-0.1, 1)).toThrow(RangeError);
    expect(() => bucket(Number.NaN, 1)).toThrow(RangeError);
  });

  test('changeObservation adds the bucket', () => {
    expect(changeObservation(parseBracket('{p{a}{b}}'), parseBracket('{p{a}{c}}'))).toEqual({ distance: 1, score: 1 / 3, bucket: 1 });
  });
});
