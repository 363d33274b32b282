import { describe, expect, test } from 'bun:test';
import { generateClassroom } from '@lmdash/fixtures';
import { extractAst, mulberry32, ted, tedBounds, treeHash, type Tree } from '@lmdash/inference';
import { BIG_PAIR_NODES, DistancePool, MAX_ATTEMPTS } from './pool.ts';
import { toBracket, treeSize } from '@lmdash/inference';
import { pack } from '../memory/packedText.ts';

const DYING = new URL('../../test/dyingWorker.ts', import.meta.url);

/** A random labelled tree of `n` nodes (each node hangs under a random earlier one). */
function randomTree(n: number, rand: () => number): Tree {
  const nodes: Tree[] = [];
  for (let i = 0; i < n; i++) {
    const t: Tree = { label: 'abcd'[Math.floor(rand() * 4)], children: [] };
    if (i > 0) nodes[Math.floor(rand() * i)].children.push(t);
    nodes.push(t);
  }
  return nodes[0];
}

/** Consecutive programs of a team-sized class whose cheap bounds do not meet: what the pool gets. */
function realPairs(limit: number): [Tree, Tree][] {
  const { events } = generateClassroom({ students: 3, minutes: 30, seed: 1, profile: 'team' });
  const last = new Map<string, Tree>();
  const pairs: [Tree, Tree][] = [];
  for (const e of events) {
    if (e.type !== 'runProject' || pairs.length >= limit) continue;
    const d = e.data as { workspace: string; project: string };
    let tree: Tree;
    try {
      tree = extractAst(d.workspace).tree;
    } catch {
      continue;
    }
    const k = `${e.student}|${d.project}`;
    const prev = last.get(k);
    last.set(k, tree);
    if (prev && treeHash(prev) !== treeHash(tree)) {
      const b = tedBounds(prev, tree);
      if (b.lower !== b.upper) pairs.push([prev, tree]);
    }
  }
  return pairs;
}

async function computeAll(pool: DistancePool, pairs: [Tree, Tree][]): Promise<Map<string, number>> {
  pairs.forEach(([a, b], i) => pool.submit(`k${i}`, a, b));
  await pool.idle();
  return pool.take().results;
}

describe('the distance pool', () => {
  test('computes what ted computes, on random pairs and on real team-sized pairs', async () => {
    const rand = mulberry32(11);
    const pairs: [Tree, Tree][] = Array.from({ length: 40 }, () => [randomTree(5 + Math.floor(rand() * 60), rand), randomTree(5 + Math.floor(rand() * 60), rand)]);
    const real = realPairs(3);
    expect(real.length).toBeGreaterThan(0);
    pairs.push(...real);
    const pool = new DistancePool({ size: 2 });
    try {
      const results = await computeAll(pool, pairs);
      expect(pool.computed).toBe(pairs.length);
      pairs.forEach(([a, b], i) => expect(results.get(`k${i}`)).toBe(ted(a, b)));
    } finally {
      pool.terminate();
    }
  }, 60_000);

  test('one big pair runs at a time; small pairs pass it on the other thread, and every result comes', async () => {
    const rand = mulberry32(21);
    const big = (): Tree => randomTree(820, rand);
    const pairs: Record<string, [Tree, Tree]> = { big1: [big(), big()], big2: [big(), big()], small: [randomTree(30, rand), randomTree(30, rand)] };
    expect(treeSize(pairs.big1[0]) * treeSize(pairs.big1[1])).toBeGreaterThan(BIG_PAIR_NODES);
    const pool = new DistancePool({ size: 2 });
    try {
      for (const [k, [a, b]] of Object.entries(pairs)) pool.submit(k, a, b);
      expect(pool.running.sort()).toEqual(['big1', 'small']);
      await pool.idle();
      const { results } = pool.take();
      for (const [k, [a, b]] of Object.entries(pairs)) expect(results.get(k)).toBe(ted(a, b));
    } finally {
      pool.terminate();
    }
  }, 60_000);

  test('sides given packed with their size, as the workers keep them, give the same distances', async () => {
    const pairs = realPairs(2);
    const rand = mulberry32(5);
    pairs.push([randomTree(40, rand), randomTree(50, rand)]);
    const packed = (t: Tree) => ({ packed: pack(toBracket(t)), size: treeSize(t) });
    const pool = new DistancePool({ size: 2 });
    try {
      pairs.forEach(([a, b], i) => pool.submit(`k${i}`, packed(a), i % 2 ? b : packed(b)));
      await pool.idle();
      const { results } = pool.take();
      pairs.forEach(([a, b], i) => expect(results.get(`k${i}`)).toBe(ted(a, b)));
    } finally {
      pool.terminate();
    }
  }, 60_000);

  test('a pair submitted again while it is known is computed once', async () => {
    const a = randomTree(30, mulberry32(1));
    const b = randomTree(30, mulberry32(2));
    const pool = new DistancePool({ size: 2 });
    try {
      pool.submit('x', a, b);
      pool.submit('x', a, b);
      expect(pool.inFlight).toBe(1);
      await pool.idle();
      pool.submit('x', a, b); // delivered, not yet taken
      expect(pool.take().results).toEqual(new Map([['x', ted(a, b)]]));
      expect(pool.computed).toBe(1);
    } finally {
      pool.terminate();
    }
  });

  test('a thread that dies is replaced and its pair computed on a fresh one: nothing is lost', async () => {
    const rand = mulberry32(5);
    const pairs: [Tree, Tree][] = Array.from({ length: 6 }, () => [randomTree(20, rand), randomTree(25, rand)]);
    const pool = new DistancePool({ size: 2, script: DYING });
    try {
      const results = await computeAll(pool, pairs);
      expect(pool.restarts).toBeGreaterThanOrEqual(pairs.length);
      pairs.forEach(([a, b], i) => expect(results.get(`k${i}`)).toBe(ted(a, b)));
    } finally {
      pool.terminate();
    }
  }, 30_000);

  test('a pair that ends every thread it meets is given up on, and the others still come', async () => {
    const bad: Tree = { label: 'die', children: [] };
    const a = randomTree(10, mulberry32(3));
    const pool = new DistancePool({ size: 1, script: DYING });
    try {
      pool.submit('bad', bad, a);
      pool.submit('good', a, bad);
      await pool.idle();
      const { results, failed } = pool.take();
      expect([...failed.keys()]).toEqual(['bad']);
      expect(pool.restarts).toBeGreaterThanOrEqual(MAX_ATTEMPTS);
      expect(results.get('good')).toBe(ted(a, bad));
    } finally {
      pool.terminate();
    }
  }, 30_000);

  test('nextDelivery wakes a sleeper when a result arrives; terminate drops what is in flight', async () => {
    const pool = new DistancePool({ size: 1 });
    const signal = pool.nextDelivery();
    pool.submit('x', randomTree(40, mulberry32(8)), randomTree(40, mulberry32(9)));
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
    expect(pool.nextDelivery().aborted).toBe(true); // a result waits untaken
    pool.take();
    pool.submit('y', randomTree(40, mulberry32(10)), randomTree(40, mulberry32(12)));
    pool.terminate();
    expect(pool.inFlight).toBe(0);
    await pool.idle();
  });
});
