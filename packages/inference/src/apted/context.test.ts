import { describe, expect, test } from 'bun:test';
import { randomTree, rng } from '../../test/oracle.ts';
import { computeDistances, ted } from './apted.ts';
import { giveBuffer, matrixType, POOL_BYTES, pooledBytes, takeBuffer } from './context.ts';
import { resolveCosts, type TedCosts } from './costs.ts';
import { LabelDictionary, indexTree } from './indexedTree.ts';
import { node } from '../tree/tree.ts';

function typeFor(costs: TedCosts | undefined, n = 3) {
  const t = node('a', Array.from({ length: n - 1 }, () => node('b')));
  const dict = new LabelDictionary();
  const t1 = indexTree(t, dict);
  const t2 = indexTree(t, dict);
  return matrixType(resolveCosts(t1, t2, dict, costs), t1.size, t2.size);
}

describe('matrix element type', () => {
  test('int16 then int32 for unit and other integral uniform costs, float32 for integral matrices, float64 otherwise', () => {
    expect(typeFor(undefined)).toBe(Int16Array);
    expect(typeFor({ delete: 3, insert: 2, rename: 5 })).toBe(Int16Array);
    // Every stored value is at most sum1 + sum2 (or n1 + n2 + 1): past 2^15, int32.
    expect(typeFor(undefined, 16_383)).toBe(Int16Array);
    expect(typeFor(undefined, 16_384)).toBe(Int32Array);
    expect(typeFor({ delete: 2 ** 13, insert: 2 ** 13 })).toBe(Int32Array);
    expect(typeFor({ rename: (x, y) => (x === y ? 0 : 2) })).toBe(Float32Array);
    expect(typeFor({ delete: 0.5 })).toBe(Float64Array);
    // Sums past the exact range of int32 (2^30 here) / float32 (2^24) fall back to float64.
    expect(typeFor({ delete: 2 ** 29, insert: 2 ** 29 })).toBe(Float64Array);
    expect(typeFor({ delete: 2 ** 23, rename: (x, y) => (x === y ? 0 : 1) })).toBe(Float64Array);
  });

  test('costs at the edge of int16 stay exact: the distance scales with them, on both sides of 2^15', () => {
    const r = rng(7);
    for (let i = 0; i < 30; i++) {
      const a = randomTree(5 + Math.floor(r() * 40), r);
      const b = randomTree(5 + Math.floor(r() * 40), r);
      const d = ted(a, b, undefined, { bounds: false });
      const n = indexTree(a, new LabelDictionary()).size + indexTree(b, new LabelDictionary()).size;
      // sum1 + sum2 = K * n: just below 2^15 (int16), then just above (int32).
      for (const K of [Math.floor((2 ** 15 - 1) / n), Math.ceil(2 ** 15 / n)]) expect(ted(a, b, { delete: K, insert: K, rename: K }, { bounds: false })).toBe(K * d);
    }
  });

  test('large integral costs stay exact: the distance scales with them', () => {
    const r = rng(5);
    const K = 2 ** 25 + 1; // not a float32
    const big: TedCosts = { delete: K, insert: K, rename: K };
    const bigMatrix: TedCosts = { delete: K, insert: K, rename: (x, y) => (x === y ? 0 : K) };
    for (let i = 0; i < 30; i++) {
      const a = randomTree(5 + Math.floor(r() * 30), r);
      const b = randomTree(5 + Math.floor(r() * 30), r);
      const d = ted(a, b, undefined, { bounds: false });
      expect(ted(a, b, big, { bounds: false })).toBe(K * d);
      expect(ted(a, b, bigMatrix, { bounds: false })).toBe(K * d);
    }
  });
});

describe('buffer pool', () => {
  test('runs reuse pooled matrices and give the same distances as fresh ones', () => {
    const r = rng(9);
    const pairs = Array.from({ length: 20 }, () => [randomTree(30 + Math.floor(r() * 60), r), randomTree(30 + Math.floor(r() * 60), r)] as const);
    // computeDistances keeps its matrices (nothing returns to the pool): the reference values.
    const fresh = pairs.map(([a, b]) => computeDistances(a, b).result);
    expect(pairs.map(([a, b]) => ted(a, b, undefined, { bounds: false }))).toEqual(fresh);
    expect(pooledBytes()).toBeGreaterThan(0);
    expect(pairs.map(([a, b]) => ted(b, a, undefined, { bounds: false }))).toEqual(fresh);
    const reused = takeBuffer(Int32Array, 10);
    expect(reused.length).toBeGreaterThanOrEqual(10);
    giveBuffer(reused);
  });

  test('holds at most POOL_BYTES, dropping the largest buffers first', () => {
    const small = new Float32Array(1024);
    giveBuffer(small);
    giveBuffer(new Float32Array(POOL_BYTES / 4 / 2));
    giveBuffer(new Float32Array(POOL_BYTES / 4 / 2 + 1024));
    expect(pooledBytes()).toBeLessThanOrEqual(POOL_BYTES);
    // A buffer bigger than the whole pool (a 5,000-node pair's matrix) is never kept.
    const huge = new Int32Array(POOL_BYTES / 4 + 1);
    giveBuffer(huge);
    expect(pooledBytes()).toBeLessThanOrEqual(POOL_BYTES);
    expect(takeBuffer(Int32Array, POOL_BYTES / 4 + 1)).not.toBe(huge);
    expect(takeBuffer(Float32Array, 1000)).toBe(small);
  });
});
