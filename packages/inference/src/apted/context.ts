/**
 * The working state of one APTED run: the two indexed trees, the resolved costs, the distance
 * matrix and the scratch buffers the single-path functions share. Buffers are allocated once
 * per run at their largest size and reused (the reference allocates per call).
 */
import type { CostTables } from './costs.ts';
import type { IndexedTree } from './indexedTree.ts';

export type FloatArray = Float32Array | Float64Array;

export type Ctx = {
  readonly t1: IndexedTree;
  readonly t2: IndexedTree;
  readonly n1: number;
  readonly n2: number;
  readonly costs: CostTables;
  /**
   * delta[v * n2 + w]: first the strategy (encoded path ids), then, once a pair is computed,
   * the distance between the subtrees of v and w *without their roots* (the root pair's own
   * cost is added by the caller) [TODS 2015, Sections 3.4, 8.2, 8.3].
   */
  readonly delta: FloatArray;
  /**
   * deltaT[w * n1 + v] = delta[v * n2 + w] for computed distances: the single-path functions
   * read whichever of the two is contiguous in their inner loop, so a swapped pair of trees
   * does not walk a column of delta (one cache miss per subproblem).
   */
  readonly deltaT: FloatArray;
  /** Float32Array when every cost is an integer (exact below 2^24, half the memory). */
  readonly FA: Float32ArrayConstructor | Float64ArrayConstructor;
  /** spfA: distances of forests against the whole of G [TODS 2015, Section 8.4]. */
  readonly q: Float64Array;
  /** spfA: linked lists of the nodes of G in the order Loop D visits them. */
  readonly fn: Int32Array;
  readonly ft: Int32Array;
  /** Lazily grown scratch: forest distances (spfL, spfR) and the s / t matrices of spfA. */
  fd: FloatArray | null;
  s: FloatArray | null;
  t: FloatArray | null;
  tT: FloatArray | null;
  /** Number of subproblems computed (the cost measure of [TODS 2015, Section 10]). */
  counter: number;
};

export function scratch(ctx: Ctx, which: 'fd' | 's' | 't' | 'tT', size: number): FloatArray {
  const cur = ctx[which];
  if (cur !== null && cur.length >= size) return cur;
  const next = new ctx.FA(size);
  ctx[which] = next;
  return next;
}

/**
 * The view of a pair of subtrees from one single-path function: `A` is the tree whose path is
 * followed, `B` the other. When the path lies in tree 2 the roles swap; costs and the delta
 * strides follow, so the algorithms are written once.
 */
export type PairView = {
  readonly A: IndexedTree;
  readonly B: IndexedTree;
  /** Cost of removing an A node (delete when A is tree 1, insert when it is tree 2), and sums. */
  readonly costA: Float64Array;
  readonly sumA: Float64Array;
  readonly costB: Float64Array;
  readonly sumB: Float64Array;
  /** Distances of (a, b) are read at D[a * dRow + b] and written there and at DT[b * dRowT + a]. */
  readonly D: FloatArray;
  readonly dRow: number;
  readonly DT: FloatArray;
  readonly dRowT: number;
  /** Rename costs: uniform (labels compared) or by matrix (rlA[a] * sA + rlB[b] * sB). */
  readonly renUniform: number;
  readonly renM: Float64Array | null;
  readonly rlA: Int32Array;
  readonly rlB: Int32Array;
  readonly sA: number;
  readonly sB: number;
};

export function pairView(ctx: Ctx, swapped: boolean): PairView {
  const c = ctx.costs;
  return swapped
    ? { A: ctx.t2, B: ctx.t1, costA: c.cost2, sumA: c.sum2, costB: c.cost1, sumB: c.sum1,
        D: ctx.deltaT, dRow: ctx.n1, DT: ctx.delta, dRowT: ctx.n2,
        renUniform: c.renUniform, renM: c.renM, rlA: c.rl2, rlB: c.rl1, sA: 1, sB: c.L2 }
    : { A: ctx.t1, B: ctx.t2, costA: c.cost1, sumA: c.sum1, costB: c.cost2, sumB: c.sum2,
        D: ctx.delta, dRow: ctx.n2, DT: ctx.deltaT, dRowT: ctx.n1,
        renUniform: c.renUniform, renM: c.renM, rlA: c.rl1, rlB: c.rl2, sA: c.L2, sB: 1 };
}

/** Rename cost of node v of tree 1 to node w of tree 2. */
export function renameCost(ctx: Ctx, v: number, w: number): number {
  const c = ctx.costs;
  if (c.renM === null) return ctx.t1.label[v] === ctx.t2.label[w] ? 0 : c.renUniform;
  return c.renM[c.rl1[v] * c.L2 + c.rl2[w]];
}
