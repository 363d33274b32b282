import { describe, expect, test } from 'bun:test';
import { randomTree, rng } from '../../test/oracle.ts';
import { sharedPath } from '../../test/shared.ts';
import { loadRealPairs } from '../../bench/realPairs.ts';
import { ted, tedBounds } from '../apted/apted.ts';
import { node, treeSize, type Tree } from '../tree/tree.ts';
import { bucket, bucketFromBounds } from './bucket.ts';

const bucketOf = (d: number, size: number) => bucket(Math.min(1, d / size), d);

describe('bucketFromBounds', () => {
  test('the bucket is monotone in the distance for every size 1..300 (all distances up to 2·size)', () => {
    for (let size = 1; size <= 300; size++) {
      let prev = bucketOf(0, size);
      expect(prev).toBe(0);
      for (let d = 1; d <= 2 * size; d++) {
        const b = bucketOf(d, size);
        expect(b >= prev ? 'monotone' : `size ${size}: bucket(${d}) = ${b} < ${prev}`).toBe('monotone');
        prev = b;
      }
    }
  });

  test('answers exactly when every distance in [lower, upper] shares a bucket (all intervals, sizes 1..60)', () => {
    for (let size = 1; size <= 60; size++) {
      for (let lo = 0; lo <= 2 * size; lo++) {
        const first = bucketOf(lo, size);
        let same = true;
        for (let hi = lo; hi <= 2 * size; hi++) {
          same &&= bucketOf(hi, size) === first;
          const got = bucketFromBounds(lo, hi, size);
          if (got !== (same ? first : null)) expect({ size, lo, hi, got }).toEqual({ size, lo, hi, got: same ? first : null });
        }
      }
    }
    // Non-integral bounds (custom costs) too: 0.5 is a tweak at any size, [2.5, 2.5] is not.
    expect(bucketFromBounds(0.5, 1.5, 10)).toBe(1);
    expect(bucketFromBounds(2.5, 2.5, 100)).toBe(2);
    expect(() => bucketFromBounds(3, 2, 10)).toThrow(RangeError);
    expect(() => bucketFromBounds(0, 1, 0)).toThrow(RangeError);
  });

  /** Bounds, exact distance and what the bounds decide, for one pair. */
  function decide(a: Tree, b: Tree) {
    const size = Math.max(treeSize(a), treeSize(b));
    const { lower, upper } = tedBounds(a, b);
    const d = ted(a, b, undefined, { bounds: false });
    expect(lower).toBeLessThanOrEqual(d);
    expect(upper).toBeGreaterThanOrEqual(d);
    const fromBounds = bucketFromBounds(lower, upper, size);
    if (fromBounds !== null) expect(fromBounds).toBe(bucketOf(d, size));
    return { exact: lower === upper, decided: fromBounds !== null };
  }

  test('on random pairs the decision from bounds, when there is one, is the decision from the distance', () => {
    const r = rng(31);
    let decidedNotExact = 0;
    for (let i = 0; i < 300; i++) {
      const a = randomTree(3 + Math.floor(r() * 60), r, 'abcde');
      let b: Tree;
      if (i % 3 === 0) b = randomTree(3 + Math.floor(r() * 60), r, 'abcde');
      else {
        b = structuredClone(a);
        // Wrap a few children into a new node: an edit the top-down upper bound overestimates.
        for (let k = 0; k < 1 + (i % 4); k++) b.children.splice(0, Math.min(2, b.children.length), node('w', b.children.slice(0, 2)));
      }
      const s = decide(a, b);
      if (s.decided && !s.exact) decidedNotExact++;
    }
    // Bounds that do not meet still decide some buckets: the check above is exercised.
    expect(decidedNotExact).toBeGreaterThan(10);
  }, 60_000);

  const blocks = sharedPath('data/blocks');
  test.skipIf(!blocks)('on every real pair of ../shared/data/blocks as well', () => {
    const pairs = loadRealPairs(blocks!);
    expect(pairs.length).toBeGreaterThan(40);
    for (const p of pairs) decide(p.a, p.b);
  }, 120_000);
});
