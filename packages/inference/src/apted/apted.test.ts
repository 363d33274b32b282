import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bruteForceTed, randomTree, rng, type Costs } from '../../test/oracle.ts';
import { sharedPath } from '../../test/shared.ts';
import { node, parseBracket, toBracket, type Tree } from '../tree/tree.ts';
import { computeDistances } from './apted.ts';
import { ted, tedMapping, tedWithStats, type TedCosts } from './index.ts';

type Case = { testID: number; t1: string; t2: string; d: number };
const aptedDir = sharedPath('data/apted');
const cases: Case[] = aptedDir ? JSON.parse(readFileSync(join(aptedDir, 'correctness_test_cases.json'), 'utf8')) : [];
const mini: Case[] = aptedDir ? JSON.parse(readFileSync(join(aptedDir, 'mini.json'), 'utf8')) : [];

describe.skipIf(!aptedDir)('reference correctness cases (../shared/data/apted)', () => {
  test('all 77 cases are there', () => expect(cases.length).toBe(77));

  test('every case gives the expected distance in both directions', () => {
    for (const c of cases) {
      const a = parseBracket(c.t1);
      const b = parseBracket(c.t2);
      for (const opts of [{ bounds: false }, { bounds: true }]) {
        expect({ id: c.testID, d: ted(a, b, undefined, opts) }).toEqual({ id: c.testID, d: c.d });
        expect({ id: c.testID, d: ted(b, a, undefined, opts) }).toEqual({ id: c.testID, d: c.d });
      }
    }
  });

  test('the optimal, left-path-only and right-path-only strategies give the same distances (spfA, spfL, spfR)', () => {
    for (const c of cases) {
      const a = parseBracket(c.t1);
      const b = parseBracket(c.t2);
      for (const strategy of ['optimal', 'left', 'right'] as const) {
        expect({ id: c.testID, strategy, d: computeDistances(a, b, undefined, strategy).result }).toEqual({ id: c.testID, strategy, d: c.d });
        expect({ id: c.testID, strategy, d: computeDistances(b, a, undefined, strategy).result }).toEqual({ id: c.testID, strategy, d: c.d });
      }
    }
  });

  test('bracket notation round-trips every case', () => {
    for (const c of cases) expect(toBracket(parseBracket(c.t1))).toBe(c.t1);
  });

  test('every edit mapping costs exactly the distance', () => {
    for (const c of cases) {
      const m = tedMapping(parseBracket(c.t1), parseBracket(c.t2));
      expect(m.distance).toBe(c.d);
      expect(m.cost).toBe(c.d);
    }
  });

  test('mini.json with costs delete 0.4, insert 0.4, rename 0.6 matches the brute force', () => {
    const costs: TedCosts = { delete: 0.4, insert: 0.4, rename: 0.6 };
    const oracle: Costs = { del: () => 0.4, ins: () => 0.4, ren: (x, y) => (x === y ? 0 : 0.6) };
    expect(mini.length).toBe(75);
    for (const c of mini) {
      const a = parseBracket(c.t1);
      const b = parseBracket(c.t2);
      const expected = bruteForceTed(a, b, oracle);
      expect(ted(a, b, costs)).toBeCloseTo(expected, 4);
      expect(ted(b, a, costs)).toBeCloseTo(expected, 4);
      expect(ted(a, b, costs, { bounds: false })).toBeCloseTo(expected, 4);
    }
  });
});

describe('random trees against a brute-force oracle', () => {
  test('unit costs, 400 pairs of up to 12 nodes, both directions', () => {
    const r = rng(42);
    for (let i = 0; i < 400; i++) {
      const a = randomTree(1 + Math.floor(r() * 12), r);
      const b = randomTree(1 + Math.floor(r() * 12), r);
      const expected = bruteForceTed(a, b);
      const pair = `${toBracket(a)} ${toBracket(b)}`;
      expect({ pair, d: ted(a, b, undefined, { bounds: false }) }).toEqual({ pair, d: expected });
      expect({ pair, d: ted(b, a, undefined, { bounds: false }) }).toEqual({ pair, d: expected });
      expect({ pair, d: ted(a, b) }).toEqual({ pair, d: expected });
    }
  });

  test('custom cost functions, 200 pairs', () => {
    const r = rng(7);
    const del = (l: string) => (l === 'a' ? 2 : 0.5);
    const ins = (l: string) => (l === 'b' ? 3 : 1);
    const ren = (x: string, y: string) => (x === y ? 0 : x < y ? 0.7 : 1.9);
    for (let i = 0; i < 200; i++) {
      const a = randomTree(1 + Math.floor(r() * 10), r);
      const b = randomTree(1 + Math.floor(r() * 10), r);
      const expected = bruteForceTed(a, b, { del, ins, ren });
      expect(ted(a, b, { delete: del, insert: ins, rename: ren })).toBeCloseTo(expected, 9);
      expect(ted(a, b, { delete: del, insert: ins, rename: ren }, { bounds: false })).toBeCloseTo(expected, 9);
      const m = tedMapping(a, b, { delete: del, insert: ins, rename: ren });
      expect(m.cost).toBeCloseTo(expected, 9);
    }
  });

  test('larger random trees agree in both directions and under forced strategies', () => {
    const r = rng(3);
    for (let i = 0; i < 30; i++) {
      const a = randomTree(20 + Math.floor(r() * 80), r, 'abcd');
      const b = randomTree(20 + Math.floor(r() * 80), r, 'abcd');
      const d = ted(a, b, undefined, { bounds: false });
      expect(ted(b, a, undefined, { bounds: false })).toBe(d);
      expect(ted(a, b)).toBe(d);
      expect(computeDistances(a, b, undefined, 'optimal').result).toBe(d);
      expect(computeDistances(a, b, undefined, 'left').result).toBe(d);
      expect(computeDistances(a, b, undefined, 'right').result).toBe(d);
    }
  });
});

describe('the path strategy taken', () => {
  const count = (a: Tree, b: Tree, s?: 'optimal' | 'left' | 'right') => computeDistances(a, b, undefined, s).counter;
  test('a one-sided strategy where its cost (keyroot sums) is low, the optimal one on deep shapes', () => {
    // Wide and shallow, like a program: a root with scripts of a few statements each.
    const r = rng(41);
    const program = (n: number) => node('root', Array.from({ length: n }, (_, i) => node(`s${i % 3}`, Array.from({ length: 2 + Math.floor(r() * 4) }, () => node('abc'[Math.floor(r() * 3)])))));
    const [a, b] = [program(30), program(28)];
    expect([count(a, b, 'left'), count(a, b, 'right')]).toContain(count(a, b));
    expect(count(a, b)).not.toBe(count(a, b, 'optimal'));
    // A zigzag: a spine whose one leaf alternates sides; one-sided strategies visit far more.
    const zigzag = (n: number, l: string): Tree => {
      let t = node(l);
      for (let i = 0; i < n; i++) t = i % 2 ? node(l, [node('x'), t]) : node(l, [t, node('x')]);
      return t;
    };
    const [z1, z2] = [zigzag(60, 'a'), zigzag(60, 'b')];
    expect(count(z1, z2)).toBe(count(z1, z2, 'optimal'));
    expect(count(z1, z2, 'left')).toBeGreaterThan(2 * count(z1, z2, 'optimal'));
  });
});

describe('a single-node tree (unit costs: settled in one pass, without APTED)', () => {
  test('equals APTED and the brute-force oracle, both ways, with and without the label present', () => {
    const r = rng(29);
    for (let i = 0; i < 200; i++) {
      const big = randomTree(1 + Math.floor(r() * 40), r, 'abc');
      const single = node('abcd'[Math.floor(r() * 4)]);
      const d = ted(big, single, undefined, { bounds: false });
      const s = tedWithStats(big, single);
      expect(s).toEqual({ distance: d, subproblems: 0, size1: s.size1, size2: 1, method: 'bounds' });
      expect(tedWithStats(single, big).distance).toBe(d);
      if (s.size1 <= 8) expect(bruteForceTed(big, single)).toBe(d);
    }
  });
  test('a 10,000-deep chain does not overflow the stack', () => {
    let t = node('x');
    for (let i = 0; i < 10_000; i++) t = node(i % 2 ? 'y' : 'z', [t]);
    expect(ted(t, node('x'))).toBe(10_000);
    expect(ted(node('w'), t)).toBe(10_001);
  });
  test('custom costs take the general path', () => {
    expect(ted(parseBracket('{a{b}{c}}'), node('q'), { delete: 2 })).toBe(5);
  });
});

describe('metric properties', () => {
  test('d(t, t) = 0, d > 0 for different trees, and the triangle inequality', () => {
    const r = rng(11);
    for (let i = 0; i < 60; i++) {
      const a = randomTree(1 + Math.floor(r() * 30), r);
      const b = randomTree(1 + Math.floor(r() * 30), r);
      const c = randomTree(1 + Math.floor(r() * 30), r);
      expect(ted(a, a)).toBe(0);
      if (toBracket(a) !== toBracket(b)) expect(ted(a, b)).toBeGreaterThan(0);
      expect(ted(a, c)).toBeLessThanOrEqual(ted(a, b) + ted(b, c));
    }
  });

  test('distance to a single node is the size minus one, plus one when no label matches', () => {
    const t = parseBracket('{a{b}{c{d}}}');
    expect(ted(t, node('a'))).toBe(3);
    expect(ted(t, node('z'))).toBe(4);
    expect(ted(node('z'), t)).toBe(4);
  });
});

describe('edit mapping', () => {
  function ancestors(t: Tree): { parent: number[]; pre: number; post: number[] } {
    const parent: number[] = [];
    const post: number[] = [];
    const stack: [Tree, number][] = [[t, -1]];
    let pre = 0;
    const order: Tree[] = [];
    while (stack.length) {
      const [n, p] = stack.pop()!;
      parent.push(p);
      order.push(n);
      const id = pre++;
      for (let c = n.children.length - 1; c >= 0; c--) stack.push([n.children[c], id]);
    }
    return { parent, pre, post };
  }
  const isAncestor = (parent: number[], x: number, y: number) => {
    for (let p = parent[y]; p !== -1; p = parent[p]) if (p === x) return true;
    return false;
  };

  test('is a valid ordered mapping that covers every node once and costs the distance', () => {
    const r = rng(5);
    for (let i = 0; i < 150; i++) {
      const a = randomTree(1 + Math.floor(r() * 25), r);
      const b = randomTree(1 + Math.floor(r() * 25), r);
      const m = tedMapping(a, b);
      expect(m.cost).toBe(m.distance);
      expect(m.distance).toBe(ted(a, b));
      const A = ancestors(a);
      const B = ancestors(b);
      const from = m.operations.filter((o) => o.op !== 'insert').map((o) => (o as { from: number }).from).sort((x, y) => x - y);
      const to = m.operations.filter((o) => o.op !== 'delete').map((o) => (o as { to: number }).to).sort((x, y) => x - y);
      expect(from).toEqual([...Array(A.pre).keys()]);
      expect(to).toEqual([...Array(B.pre).keys()]);
      const pairs = m.operations.filter((o) => o.op === 'match' || o.op === 'rename') as { from: number; to: number }[];
      for (const p of pairs) {
        for (const q of pairs) {
          if (p === q) continue;
          // Ancestry and left-to-right order (preorder) are both preserved.
          expect(isAncestor(A.parent, p.from, q.from)).toBe(isAncestor(B.parent, p.to, q.to));
          expect(p.from < q.from).toBe(p.to < q.to);
        }
      }
    }
  });

  test('names the operations with their labels', () => {
    const m = tedMapping(parseBracket('{a{b}{c}}'), parseBracket('{a{x}{c}{d}}'));
    expect(m.distance).toBe(2);
    expect(m.operations).toContainEqual({ op: 'rename', from: 1, to: 1, fromLabel: 'b', toLabel: 'x', cost: 1 });
    expect(m.operations).toContainEqual({ op: 'insert', to: 3, toLabel: 'd', cost: 1 });
    expect(m.operations).toContainEqual({ op: 'match', from: 0, to: 0, fromLabel: 'a', toLabel: 'a', cost: 0 });
  });
});

describe('deep and degenerate trees', () => {
  const path = (n: number, label: (i: number) => string): Tree => {
    const root = node(label(0));
    let cur = root;
    for (let i = 1; i < n; i++) {
      const next = node(label(i));
      cur.children.push(next);
      cur = next;
    }
    return root;
  };

  test('a 10,000-deep path works without recursion, against a deep and a shallow tree', () => {
    const deep = path(10_000, (i) => (i % 3 === 0 ? 'a' : 'b'));
    const other = path(1_500, (i) => (i % 3 === 0 ? 'a' : 'b'));
    expect(ted(deep, other)).toBe(8_500);
    expect(ted(other, deep)).toBe(8_500);
    const wide = node('a', Array.from({ length: 200 }, () => node('b')));
    expect(ted(deep, wide)).toBe(ted(wide, deep));
    const m = tedMapping(path(3_000, () => 'a'), path(2_000, (i) => (i === 5 ? 'x' : 'a')));
    expect(m.cost).toBe(1_001);
  }, 60_000);

  test('single nodes and identical trees', () => {
    expect(ted(node('a'), node('a'))).toBe(0);
    expect(ted(node('a'), node('b'))).toBe(1);
    const t = randomTree(300, rng(9));
    expect(tedWithStats(t, t)).toEqual({ distance: 0, subproblems: 0, size1: 300, size2: 300, method: 'bounds' });
    const s = tedWithStats(t, t, undefined, { bounds: false });
    expect(s.distance).toBe(0);
    expect(s.method).toBe('apted');
    expect(s.subproblems).toBeGreaterThan(0);
  });

  test('rejects negative or non-finite costs with a clear error', () => {
    const a = parseBracket('{a{b}}');
    expect(() => ted(a, a, { delete: -1 })).toThrow(/delete cost must be a finite number >= 0/);
    expect(() => ted(a, a, { rename: () => Number.NaN })).toThrow(/rename cost/);
  });
});
