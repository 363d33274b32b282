import { describe, expect, test } from 'bun:test';
import { randomTree, rng } from '../../test/oracle.ts';
import { node, type Tree } from '../tree/tree.ts';
import { computeDistances, ted, tedBounds, tedWithStats } from './apted.ts';
import { lowerBound, upperBound, upperBoundBudget, upperBoundStats } from './bounds.ts';
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

describe('the upper bound under a pair budget', () => {
  /** The upper bound with a given budget, and what it kept. */
  function upperWith(a: Tree, b: Tree, budget?: number, costs?: TedCosts) {
    const dict = new LabelDictionary();
    const t1 = indexTree(a, dict);
    const t2 = indexTree(b, dict);
    return upperBoundStats(t1, t2, resolveCosts(t1, t2, dict, costs), budget);
  }
  const flat = (n: number, label: (i: number) => string) => node('program', [node('script', Array.from({ length: n }, (_, i) => node(label(i))))]);
  const wide = (n: number, label: (i: number) => string) => node('program', Array.from({ length: n }, (_, i) => node('script', [node(label(i)), node('x')])));

  test('stays an upper bound of the exact distance at every budget, random and shaped trees', () => {
    const r = rng(41);
    const custom: TedCosts = { delete: 1.5, insert: (l) => (l === 'z' ? 2 : 1), rename: (x, y) => (x === y ? 0 : 0.75) };
    let restricted = 0;
    for (let i = 0; i < 160; i++) {
      const shape = i % 4;
      const n = 5 + Math.floor(r() * 40);
      const a = shape === 0 ? randomTree(n, r, 'ab') : shape === 1 ? flat(n, (k) => (r() < 0.8 ? 's' : 't')) : shape === 2 ? wide(n, () => (r() < 0.7 ? 's' : 't')) : randomTree(n, r, 'abcdefgh');
      const b = i % 2 ? edit(a, r, 1 + Math.floor(r() * 4)) : shape === 1 ? flat(n + 2, () => 's') : randomTree(n, r, 'ab');
      for (const costs of [undefined, custom]) {
        const exact = ted(a, b, costs, { bounds: false });
        for (const budget of [1, 2, 5, 20, 100, undefined]) {
          const s = upperWith(a, b, budget, costs);
          expect(s.upper).toBeGreaterThanOrEqual(exact - 1e-9);
          if (budget !== undefined) expect(s.pairs).toBeLessThanOrEqual(budget);
          if (s.banded + s.unmapped > 0) restricted++;
        }
      }
    }
    // The small budgets really do force the restricted mappings.
    expect(restricted).toBeGreaterThan(100);
  });

  test('a banded mapping still finds a small edit of a long list of equal labels', () => {
    const a = wide(300, () => 's');
    const b = wide(300, (k) => (k === 150 ? 't' : 's'));
    const s = upperWith(a, b, 5_000);
    expect(s.banded).toBe(1);
    expect(s.upper).toBe(1);
    expect(ted(a, b, undefined, { bounds: false })).toBe(1);
  });

  test('two flat 5,000-block scripts keep a handful of pairs, not 25 million, and still meet', () => {
    const a = flat(5_000, () => 'v5_control_stop_project');
    const b = flat(4_999, (k) => (k === 1234 ? 'v5_looks_print' : 'v5_control_stop_project'));
    const s = upperWith(a, b);
    // Leaf pairs are priced on the spot: only (program, program) and (script, script) are kept.
    expect(s.pairs).toBe(2);
    expect(s.upper).toBe(2);
    expect(tedBounds(a, b)).toEqual({ lower: 2, upper: 2 });
  });

  test('wide trees stay within the default budget and the bounds still settle them', () => {
    const a = wide(1_500, () => 's');
    const b = wide(1_499, (k) => (k === 700 ? 't' : 's'));
    const s = upperWith(a, b);
    const [n1, n2] = [1 + 3 * 1_500, 1 + 3 * 1_499];
    expect(s.pairs).toBeLessThanOrEqual(upperBoundBudget(n1, n2));
    expect(s.banded).toBe(1);
    expect(tedWithStats(a, b)).toMatchObject({ distance: 4, method: 'bounds' });
  }, 60_000);

  test('the budget is at most an eighth of n1·n2 beyond small trees, and at most 2^20', () => {
    expect(upperBoundBudget(10, 10)).toBe(80);
    expect(upperBoundBudget(2_000, 2_000)).toBe(500_000);
    expect(upperBoundBudget(5_000, 5_000)).toBe(1 << 20);
  });
});
