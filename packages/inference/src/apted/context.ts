/**
 * The working state of one APTED run: the two indexed trees, the resolved costs, the distance
 * matrix and the scratch buffers the single-path functions share. Buffers are reused within a
 * run (the reference allocates per call) and, through a small module-level pool, across runs:
 * a daemon computing one distance after another does not allocate and fault in fresh matrices
 * every time. The pool is bounded (`POOL_BYTES`), largest buffers dropped first, so a rare
 * 5,000-node pair does not leave hundreds of MB held after it.
 */
import type { CostTables } from './costs.ts';
import type { IndexedTree } from './indexedTree.ts';

/** A matrix of distances: Int16Array, Int32Array, Float32Array or Float64Array, per `Ctx.FA`. */
export type FloatArray = Int16Array | Int32Array | Float32Array | Float64Array;
export type ArrayCtor = Int16ArrayConstructor | Int32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor;
/** Node costs as the single-path functions read them: int32 copies in the Int32Array mode. */
export type CostArray = Float64Array | Int32Array;

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
  /**
   * The matrices' element type (see `matrixType`): for integral costs with a uniform rename
   * (unit costs) Int16Array while every value fits (trees of up to ~16,000 nodes together at
   * unit cost: half the memory of Int32Array, and no slower on real pairs), else Int32Array:
   * the inner loops then add and compare integers, no float conversions and a branch-free min;
   * else Float32Array for integral costs (exact below 2^24, half the memory of Float64Array);
   * else Float64Array.
   */
  readonly FA: ArrayCtor;
  /** spfA: distances of forests against the whole of G [TODS 2015, Section 8.4]. */
  readonly q: FloatArray;
  /** spfA: linked lists of the nodes of G in the order Loop D visits them. */
  readonly fn: Int32Array;
  readonly ft: Int32Array;
  /** Lazily grown scratch: forest distances (spfL, spfR) and the s / t matrices of spfA. */
  fd: FloatArray | null;
  s: FloatArray | null;
  t: FloatArray | null;
  tT: FloatArray | null;
  /** The two views of the pair (unswapped, swapped), made once per run. */
  views: [PairView | null, PairView | null];
  /** spfL / spfR: tree 1 (L, R) and tree 2 (L, R) laid out in postorder, made once per run. */
  ordered: [unknown, unknown, unknown, unknown];
  /** Number of subproblems computed (the cost measure of [TODS 2015, Section 10]). */
  counter: number;
};

/** Bytes of idle buffers the pool may hold between runs (a 2,000-node pair's matrices fit). */
export const POOL_BYTES = 64 * 1024 * 1024;
const pool: FloatArray[] = [];

/** Idle bytes the pool holds now (for tests). */
export function pooledBytes(): number {
  let n = 0;
  for (const b of pool) n += b.byteLength;
  return n;
}

/**
 * A buffer of `FA` with at least `size` elements: the smallest fitting one from the pool, else a
 * new one. Its contents are whatever the last user left: callers initialise what they read.
 */
export function takeBuffer(FA: ArrayCtor, size: number): FloatArray {
  let best = -1;
  for (let i = 0; i < pool.length; i++) {
    const b = pool[i];
    if (b.constructor === FA && b.length >= size && (best < 0 || b.length < pool[best].length)) best = i;
  }
  if (best < 0) return new FA(size);
  const b = pool[best];
  pool.splice(best, 1);
  return b;
}

/** Gives a buffer back to the pool, then drops the largest idle buffers while over POOL_BYTES. */
export function giveBuffer(b: FloatArray | null): void {
  if (b === null || pool.includes(b)) return;
  pool.push(b);
  let total = pooledBytes();
  while (total > POOL_BYTES) {
    let largest = 0;
    for (let i = 1; i < pool.length; i++) if (pool[i].byteLength > pool[largest].byteLength) largest = i;
    total -= pool[largest].byteLength;
    pool.splice(largest, 1);
  }
}

/**
 * Drops every idle buffer (a long-lived process calls it when it goes idle, so the last big
 * pair's matrices do not stay resident; the next run allocates afresh).
 */
export function releaseBuffers(): void {
  pool.length = 0;
}

/** Returns a finished run's matrices and scratch to the pool; the run must not be read after. */
export function releaseRun(ctx: Ctx): void {
  giveBuffer(ctx.delta);
  giveBuffer(ctx.deltaT);
  giveBuffer(ctx.fd);
  giveBuffer(ctx.s);
  giveBuffer(ctx.t);
  giveBuffer(ctx.tT);
  ctx.fd = ctx.s = ctx.t = ctx.tT = null;
}

/**
 * The scratch buffer `which` with at least `size` elements. When it must grow it at least
 * doubles (up to the largest any call of this run can ask for, (max(n1, n2) + 1)^2), so a run
 * reallocates it a logarithmic number of times, not once per larger subtree.
 */
export function scratch(ctx: Ctx, which: 'fd' | 's' | 't' | 'tT', size: number): FloatArray {
  const cur = ctx[which];
  if (cur !== null && cur.length >= size) return cur;
  const most = (Math.max(ctx.n1, ctx.n2) + 1) ** 2;
  const want = cur === null ? size : Math.max(size, Math.min(cur.length * 2, most));
  giveBuffer(cur);
  const next = takeBuffer(ctx.FA, want);
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
  readonly costA: CostArray;
  readonly sumA: CostArray;
  readonly costB: CostArray;
  readonly sumB: CostArray;
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
  const i = swapped ? 1 : 0;
  return ctx.views[i] ?? (ctx.views[i] = makePairView(ctx, swapped));
}

function makePairView(ctx: Ctx, swapped: boolean): PairView {
  const c0 = ctx.costs;
  // In the Int32Array mode the costs are read as int32s too, so no float enters the loops.
  const c = ctx.FA === Int32Array || ctx.FA === Int16Array
    ? { ...c0, cost1: Int32Array.from(c0.cost1), sum1: Int32Array.from(c0.sum1), cost2: Int32Array.from(c0.cost2), sum2: Int32Array.from(c0.sum2) }
    : c0;
  return swapped
    ? { A: ctx.t2, B: ctx.t1, costA: c.cost2, sumA: c.sum2, costB: c.cost1, sumB: c.sum1,
        D: ctx.deltaT, dRow: ctx.n1, DT: ctx.delta, dRowT: ctx.n2,
        renUniform: c.renUniform, renM: c.renM, rlA: c.rl2, rlB: c.rl1, sA: 1, sB: c.L2 }
    : { A: ctx.t1, B: ctx.t2, costA: c.cost1, sumA: c.sum1, costB: c.cost2, sumB: c.sum2,
        D: ctx.delta, dRow: ctx.n2, DT: ctx.deltaT, dRowT: ctx.n1,
        renUniform: c.renUniform, renM: c.renM, rlA: c.rl1, rlB: c.rl2, sA: c.L2, sB: 1 };
}

/**
 * The matrices' element type for a pair: every value stored is a forest distance (at most
 * sum1 + sum2, deleting everything and inserting everything) or a strategy path id (at most
 * n1 + n2 + 1), so integral costs with a uniform rename fit an Int16Array below 2^15 and an
 * Int32Array below 2^30, and any integral costs a Float32Array exactly below 2^24.
 */
export function matrixType(c: CostTables, n1: number, n2: number): ArrayCtor {
  const most = Math.max(c.sum1[0] + c.sum2[0], n1 + n2 + 1);
  if (!c.integral) return Float64Array;
  // Half the memory of Int32Array (a 2,000-node pair's matrices: ~48 instead of ~96 MB).
  if (c.renM === null && most < 2 ** 15) return Int16Array;
  if (c.renM === null && most < 2 ** 30) return Int32Array;
  return most < 2 ** 24 ? Float32Array : Float64Array;
}

/** Rename cost of node v of tree 1 to node w of tree 2. */
export function renameCost(ctx: Ctx, v: number, w: number): number {
  const c = ctx.costs;
  if (c.renM === null) return ctx.t1.label[v] === ctx.t2.label[w] ? 0 : c.renUniform;
  return c.renM[c.rl1[v] * c.L2 + c.rl2[w]];
}
