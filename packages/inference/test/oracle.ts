/**
 * Test-only oracles: a brute-force tree edit distance straight from the recursive definition
 * on forests (Zhang & Shasha 1989, Lemma 3; memoised on the forests' text), independent of
 * every optimisation in apted.ts, and seeded random trees.
 */
import type { Tree } from '../src/tree/tree.ts';
import { toBracket } from '../src/tree/tree.ts';

export type Costs = { del: (l: string) => number; ins: (l: string) => number; ren: (a: string, b: string) => number };
export const UNIT: Costs = { del: () => 1, ins: () => 1, ren: (a, b) => (a === b ? 0 : 1) };

function forestCost(f: Tree[], c: (l: string) => number): number {
  let s = 0;
  const stack = [...f];
  while (stack.length) {
    const n = stack.pop()!;
    s += c(n.label);
    stack.push(...n.children);
  }
  return s;
}

/** d(F, G) over ordered forests: remove the rightmost root, insert it, or match the two rightmost roots. */
export function bruteForceTed(a: Tree, b: Tree, costs: Costs = UNIT): number {
  const memo = new Map<string, number>();
  const key = (f: Tree[]) => f.map(toBracket).join('');
  const d = (F: Tree[], G: Tree[]): number => {
    if (F.length === 0) return forestCost(G, costs.ins);
    if (G.length === 0) return forestCost(F, costs.del);
    const k = key(F) + '|' + key(G);
    const hit = memo.get(k);
    if (hit !== undefined) return hit;
    const v = F[F.length - 1];
    const w = G[G.length - 1];
    const Fv = [...F.slice(0, -1), ...v.children];
    const Gw = [...G.slice(0, -1), ...w.children];
    const r = Math.min(
      d(Fv, G) + costs.del(v.label),
      d(F, Gw) + costs.ins(w.label),
      d(v.children, w.children) + d(F.slice(0, -1), G.slice(0, -1)) + costs.ren(v.label, w.label),
    );
    memo.set(k, r);
    return r;
  };
  return d([a], [b]);
}

/** The package's seeded PRNG (mulberry32), so random tests and benchmarks repeat exactly. */
export { mulberry32 as rng } from '../src/hmm/sample.ts';

/** A random tree of `n` nodes: each new node hangs under a uniformly chosen earlier node. */
export function randomTree(n: number, random: () => number, alphabet = 'abc'): Tree {
  const pick = () => alphabet[Math.floor(random() * alphabet.length)];
  const nodes: Tree[] = [{ label: pick(), children: [] }];
  for (let i = 1; i < n; i++) {
    const c: Tree = { label: pick(), children: [] };
    nodes[Math.floor(random() * nodes.length)].children.push(c);
    nodes.push(c);
  }
  return nodes[0];
}
