import { describe, expect, test } from 'bun:test';
import { randomTree, rng } from '../../test/oracle.ts';
import { node, type Tree } from '../tree/tree.ts';
import { computeDistances, tedWithStats } from './apted.ts';
import { lowerBound, upperBound } from './bounds.ts';
import { resolveCosts, type TedCosts } from './costs.ts';
import { LabelDictionary, indexTree } from './indexedTree.ts';

function bounds(a: Tree, b: Tree, costs?: TedCosts): [number, number] {
  const dict = new LabelDictionary();
  const t1 = indexTree(a, dict);
  const t2 = indexTree(b, dict);
  const c = resolveCosts(t1, t2, dict, costs);
  return [lowerBound(t1, t2, c), upperBound(t1, t2, c)];
}

/** A copy of `t` with small edits: renames, a deleted leaf, an inserted subtree. */
function edit(t: Tree, r: () => number, edits: number): Tree {
  const copy: Tree = structuredClone(t);
  for (let e = 0; e < edits; e++) {
    const all: Tree[] = [];
    const stack = [copy];
    while (stack.length) {
      const n = stack.pop()!;
      all.push(n);
      stack.push(...n.children);
    }
    const n = all[Math.floor(r() * all.length)];
    const k = r();
    if (k < 0.4) n.label = n.label === 'x' ? 'y' : 'x';
    else if (k < 0.7 && n.children.length > 0) n.children.splice(Math.floor(r() * n.children.length), 1);
    else n.children.splice(Math.floor(r() * (n.children.length + 1)), 0, node('z', [node('w')]));
  }
  return copy;
}

describe('exact bounds', () => {
  test('lower <= APTED <= upper on random pairs, with unit and custom costs', () => {
    const r = rng(17);
    const custom: TedCosts = { delete: (l) => (l === 'a' ? 2 : 1), insert: 1.5, rename: (x, y) => (x === y ? 0 : 0.75) };
    for (let i = 0; i < 300; i++) {
      const a = randomTree(1 + Math.floor(r() * 40), r);
      const b = i % 2 ? randomTree(1 + Math.floor(r() * 40), r) : edit(a, r, 1 + Math.floor(r() * 4));
      for (const costs of [undefined, custom]) {
        const d = computeDistances(a, b, costs).result;
        const [lo, hi] = bounds(a, b, costs);
        expect(lo).toBeLessThanOrEqual(d + 1e-9);
        expect(hi).toBeGreaterThanOrEqual(d - 1e-9);
      }
    }
  });

  test('the banded lower bound equals the full one when given the upper bound', () => {
    const r = rng(29);
    const custom: TedCosts = { delete: 0.5, insert: (l) => (l === 'z' ? 3 : 1), rename: 2 };
    for (let i = 0; i < 200; i++) {
      const a = randomTree(1 + Math.floor(r() * 60), r);
      const b = i % 3 ? edit(a, r, 1 + Math.floor(r() * 5)) : randomTree(1 + Math.floor(r() * 60), r);
      for (const costs of [undefined, custom]) {
        const dict = new LabelDictionary();
        const t1 = indexTree(a, dict);
        const t2 = indexTree(b, dict);
        const c = resolveCosts(t1, t2, dict, costs);
        const upper = upperBound(t1, t2, c);
        expect(lowerBound(t1, t2, c, upper)).toBeCloseTo(lowerBound(t1, t2, c), 9);
      }
    }
  });

  test('when the bounds meet, ted answers without APTED and agrees with it', () => {
    const r = rng(23);
    let met = 0;
    for (let i = 0; i < 300; i++) {
      const a = randomTree(20 + Math.floor(r() * 200), r, 'abcdefgh');
      const b = edit(a, r, 1 + Math.floor(r() * 3));
      const s = tedWithStats(a, b);
      expect(s.distance).toBe(computeDistances(a, b).result);
      if (s.method === 'bounds') {
        met++;
        expect(s.subproblems).toBe(0);
      }
    }
    // Small edits of a program are the common case: most pairs never need APTED.
    expect(met).toBeGreaterThan(150);
  }, 60_000);

  test('bounds that do not meet fall back to APTED', () => {
    // Deleting an inner node (unwrapping a loop body) is no top-down mapping.
    const a = node('r', [node('loop', [node('x'), node('y')])]);
    const b = node('r', [node('x'), node('y')]);
    expect(bounds(a, b)).toEqual([1, 4]);
    const s = tedWithStats(a, b);
    expect(s.method).toBe('apted');
    expect(s.distance).toBe(1);
  });

  test('a 10,000-deep path is handled iteratively by both bounds', () => {
    let deep = node('a');
    for (let i = 1; i < 10_000; i++) deep = node(i % 2 ? 'b' : 'a', [deep]);
    const [lo, hi] = bounds(deep, deep);
    expect([lo, hi]).toEqual([0, 0]);
  }, 60_000);
});
