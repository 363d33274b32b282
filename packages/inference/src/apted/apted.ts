/**
 * APTED: the exact tree edit distance in O(n^3) worst-case time and O(n^2) memory, with the
 * optimal path strategy (Pawlik & Augsten, "Efficient Computation of the Tree Edit Distance",
 * TODS 40(1) 2015; "Tree edit distance: Robust and memory-efficient", Information Systems 56,
 * 2016). Follows the reference Java implementation (MIT), made iterative: the tree
 * decomposition runs on an explicit stack, so a 10,000-deep tree cannot overflow the call stack.
 */
import type { Tree } from '../tree/tree.ts';
import { type Ctx, matrixType, releaseRun, takeBuffer } from './context.ts';
import { lowerBound, upperBound } from './bounds.ts';
import { type CostTables, type TedCosts, resolveCosts } from './costs.ts';
import { type IndexedTree, LabelDictionary, indexTree } from './indexedTree.ts';
import { INNER, LEFT, RIGHT, spfA } from './spfA.ts';
import { spf1, spfL, spfR } from './spfLR.ts';
import { computeStrategy } from './strategy.ts';

export type TedStats = {
  /** The tree edit distance. */
  distance: number;
  /** Subproblems APTED computed, the cost measure its papers report (0 when the bounds met). */
  subproblems: number;
  size1: number;
  size2: number;
  /** `bounds` when the lower and upper bounds met (no APTED run was needed), else `apted`. */
  method: 'bounds' | 'apted';
};

export type TedOptions = {
  /** Try the cheap exact bounds first (default true); false always runs APTED. */
  bounds?: boolean;
};

/**
 * The tree edit distance between `a` and `b`: the minimum total cost of node deletions,
 * insertions and renames that turns `a` into `b`. Unit costs unless `costs` says otherwise.
 * @example ted(parseBracket('{a{b}{c}}'), parseBracket('{a{c}}')) // 1
 */
export function ted(a: Tree, b: Tree, costs?: TedCosts, opts?: TedOptions): number {
  return tedWithStats(a, b, costs, opts).distance;
}

/**
 * `ted` plus how it was found. Two bounds come first (see bounds.ts): when the lower bound
 * meets the upper bound, that value is the distance and APTED does not run.
 */
export function tedWithStats(a: Tree, b: Tree, costs?: TedCosts, opts: TedOptions = {}): TedStats {
  if (opts.bounds !== false) {
    if (costs === undefined && (a.children.length === 0 || b.children.length === 0)) {
      const [big, single] = a.children.length === 0 ? [b, a] : [a, b];
      const { size, hasLabel } = scanFor(big, single.label);
      const distance = size - 1 + (hasLabel ? 0 : 1);
      return { distance, subproblems: 0, size1: a === big ? size : 1, size2: a === big ? 1 : size, method: 'bounds' };
    }
    const dict = new LabelDictionary();
    const t1 = indexTree(a, dict);
    const t2 = indexTree(b, dict);
    const c = resolveCosts(t1, t2, dict, costs);
    const upper = upperBound(t1, t2, c);
    if (lowerBound(t1, t2, c, upper) === upper) return { distance: upper, subproblems: 0, size1: t1.size, size2: t2.size, method: 'bounds' };
    // The bounds did not meet: APTED runs on the trees already indexed for them.
    const ctx = distancesOfIndexed(t1, t2, c);
    releaseRun(ctx);
    return { distance: ctx.result, subproblems: ctx.counter, size1: ctx.n1, size2: ctx.n2, method: 'apted' };
  }
  const ctx = computeDistances(a, b, costs);
  releaseRun(ctx);
  return { distance: ctx.result, subproblems: ctx.counter, size1: ctx.n1, size2: ctx.n2, method: 'apted' };
}

/**
 * Size of `t`, and whether a node of it carries `label`; iterative (any depth). With unit costs,
 * a single-node tree s against t: a mapping pairs s with at most one node v of t, so its cost is
 * (|t| − 1) deletions + rename(v, s), i.e. |t| − 1 when some label equals s's, else |t|; mapping
 * nothing costs |t| + 1. So ted = |t| − 1 + (no equal label ? 1 : 0), exactly, in one pass.
 */
function scanFor(t: Tree, label: string): { size: number; hasLabel: boolean } {
  let size = 0;
  let hasLabel = false;
  const stack: Tree[] = [t];
  while (stack.length > 0) {
    const v = stack.pop()!;
    size++;
    if (v.label === label) hasLabel = true;
    for (const c of v.children) stack.push(c);
  }
  return { size, hasLabel };
}

/**
 * The cheap exact bounds alone (see bounds.ts), without APTED: `lower <= ted(a, b) <= upper`,
 * and when they are equal that is the distance. Lets a caller settle a pair on the spot and send
 * only the rest to where APTED can run without holding anything up (a worker thread).
 */
export function tedBounds(a: Tree, b: Tree, costs?: TedCosts): { lower: number; upper: number } {
  const dict = new LabelDictionary();
  const t1 = indexTree(a, dict);
  const t2 = indexTree(b, dict);
  const c = resolveCosts(t1, t2, dict, costs);
  const upper = upperBound(t1, t2, c);
  return { lower: lowerBound(t1, t2, c, upper), upper };
}

/** @internal A finished run: the distance and the filled distance matrix (for the mapping). */
export type TedRun = Ctx & { result: number };

/**
 * @internal Runs APTED and keeps its state, so `tedMapping` can trace the edit mapping. The
 * matrices may come from the buffer pool (longer than n1·n2; only the first n1·n2 cells mean
 * anything); `releaseRun` gives them back once the caller is done with them.
 */
export function computeDistances(a: Tree, b: Tree, costs?: TedCosts, forceStrategy?: PathStrategy): TedRun {
  const dict = new LabelDictionary();
  const t1 = indexTree(a, dict);
  const t2 = indexTree(b, dict);
  return distancesOfIndexed(t1, t2, resolveCosts(t1, t2, dict, costs), forceStrategy);
}

/** `computeDistances` on trees already indexed (with one label dictionary) and their resolved costs. */
function distancesOfIndexed(t1: IndexedTree, t2: IndexedTree, c: CostTables, forceStrategy?: PathStrategy): TedRun {
  const n1 = t1.size;
  const n2 = t2.size;
  const FA = matrixType(c, n1, n2);
  const maxSize = Math.max(n1, n2) + 1;
  // delta is entirely written by the strategy before it is read; deltaT is read only where it
  // was written too, but is cleared like a fresh array, as the reference's matrices are.
  const deltaT = takeBuffer(FA, n1 * n2);
  deltaT.fill(0, 0, n1 * n2);
  const ctx: TedRun = {
    t1, t2, n1, n2, costs: c, FA,
    delta: takeBuffer(FA, n1 * n2),
    deltaT,
    q: new FA(maxSize),
    fn: new Int32Array(maxSize + 1),
    ft: new Int32Array(maxSize + 1),
    fd: null, s: null, t: null, tT: null, views: [null, null], ordered: [null, null, null, null],
    counter: 0,
    result: 0,
  };
  const side = forceStrategy === 'optimal' ? null : forceStrategy ?? oneSided(t1, t2);
  if (side) fixStrategy(ctx, side);
  else computeStrategy(t1, t2, ctx.delta);
  initSingleNodeDistances(ctx);
  ctx.result = gted(ctx);
  return ctx;
}

/**
 * How the paths are chosen: `optimal` is APTED's strategy (fewest subproblems, computed in
 * O(n1·n2) time and memory first); `left` / `right` take only left (right) paths of tree 1,
 * the reference's spf test, which needs no strategy computed. Any strategy gives the exact
 * distance; they differ only in how many subproblems they visit.
 */
export type PathStrategy = 'optimal' | 'left' | 'right';

/** The most subproblems per cell of the pair at which a one-sided strategy is taken (`oneSided`). */
const ONE_SIDED_MAX_PER_CELL = 25;

/**
 * The one-sided strategy (left or right paths of tree 1) when it is the cheaper choice, else
 * null (compute the optimal one). Its cost is known before anything runs: the products of the
 * two trees' keyroot sums (`krSum`, `revKrSum`: Zhang–Shasha's subproblem count). On program
 * trees, shallow and wide, it visits at most 13 % more subproblems than the optimal strategy
 * (the edited real pairs of the benchmark), while computing the optimal strategy took as long
 * as about 8 subproblems per cell of the pair (1,687 × 1,673 nodes: 232 ms optimal, 147 ms
 * one-sided). The threshold keeps every real and edited pair measured one-sided (at most 22
 * subproblems per cell) and leaves zigzags and opposite caterpillars of 60 nodes and more (66
 * and more per cell, where one-sided strategies visit several times the optimal count) to
 * APTED's strategy. Either way the distance is exact.
 */
function oneSided(t1: IndexedTree, t2: IndexedTree): 'left' | 'right' | null {
  const left = t1.krSum[0] * t2.krSum[0];
  const right = t1.revKrSum[0] * t2.revKrSum[0];
  if (Math.min(left, right) > ONE_SIDED_MAX_PER_CELL * t1.size * t2.size) return null;
  return left <= right ? 'left' : 'right';
}

/** A strategy of only left (or only right) paths of tree 1. */
function fixStrategy(ctx: Ctx, side: 'left' | 'right'): void {
  const { t1, n1, n2, delta } = ctx;
  for (let v = 0; v < n1; v++) {
    const leaf = side === 'left'
      ? t1.postL_to_preL[t1.postL_to_lld[t1.preL_to_postL[v]]]
      : t1.postR_to_preL[t1.postR_to_rld[t1.preL_to_postR[v]]];
    delta.fill(side === 'left' ? -(leaf + 1) : leaf + 1, v * n2, (v + 1) * n2);
  }
}

/**
 * Distances of subtree pairs where one side is a single node, without their roots (what the
 * single-path functions read from delta) [reference: tedInit].
 */
function initSingleNodeDistances(ctx: Ctx): void {
  const { t1, t2, n1, n2, delta, deltaT, costs } = ctx;
  const sizes1 = t1.sizes, sizes2 = t2.sizes;
  // Two passes, each writing its matrix row by row (a column walk of deltaT missed the cache).
  for (let x = 0; x < n1; x++) {
    const leafX = sizes1[x] === 1;
    const withoutRoot1 = costs.sum1[x] - costs.cost1[x];
    const row = x * n2;
    for (let y = 0; y < n2; y++) {
      if (sizes2[y] === 1) delta[row + y] = leafX ? 0 : withoutRoot1;
      else if (leafX) delta[row + y] = costs.sum2[y] - costs.cost2[y];
    }
  }
  for (let y = 0; y < n2; y++) {
    const leafY = sizes2[y] === 1;
    const withoutRoot2 = costs.sum2[y] - costs.cost2[y];
    const row = y * n1;
    for (let x = 0; x < n1; x++) {
      if (sizes1[x] === 1) deltaT[row + x] = leafY ? 0 : withoutRoot2;
      else if (leafY) deltaT[row + x] = costs.sum1[x] - costs.cost1[x];
    }
  }
}

function pathType(pathIdWithOffset: number, pathIDOffset: number, rootPreL: number, subtreeSize: number): number {
  if (pathIdWithOffset < 0) return LEFT;
  let pathID = Math.abs(pathIdWithOffset) - 1;
  if (pathID >= pathIDOffset) pathID -= pathIDOffset;
  return pathID === rootPreL + subtreeSize - 1 ? RIGHT : INNER;
}

// Task kinds on the decomposition stack.
const VISIT = 0;
const SPF = 1;

/**
 * GTED [TODS 2015, Section 3.4] without recursion. Visiting a subtree pair looks up its path in
 * the strategy, schedules the single-path function for the pair, and above it (so they run
 * first, in the reference's order) a visit of every subtree hanging off that path.
 */
function gted(ctx: Ctx): number {
  const { t1, t2, n1, delta, n2 } = ctx;
  if (t1.sizes[0] === 1 || t2.sizes[0] === 1) return spf1(ctx, 0, 0);
  // Each task is 5 ints: kind, v (tree 1), w (tree 2), path leaf, path type + 4 * swapped.
  let stack = new Int32Array(5 * 64);
  let top = 0;
  const push = (kind: number, v: number, w: number, leaf: number, type: number): void => {
    if (top + 5 > stack.length) {
      const grown = new Int32Array(stack.length * 2);
      grown.set(stack);
      stack = grown;
    }
    stack[top++] = kind;
    stack[top++] = v;
    stack[top++] = w;
    stack[top++] = leaf;
    stack[top++] = type;
  };
  const children: number[] = [];
  let result = 0;
  push(VISIT, 0, 0, 0, 0);
  while (top > 0) {
    top -= 5;
    const kind = stack[top];
    const v = stack[top + 1];
    const w = stack[top + 2];
    if (kind === SPF) {
      const leaf = stack[top + 3];
      const type = stack[top + 4] & 3;
      const swapped = stack[top + 4] >= 4;
      const a0 = swapped ? w : v;
      const b0 = swapped ? v : w;
      let d: number;
      if (type === LEFT) d = spfL(ctx, a0, b0, swapped);
      else if (type === RIGHT) d = spfR(ctx, a0, b0, swapped);
      else d = spfA(ctx, a0, b0, leaf, type, swapped);
      if (v === 0 && w === 0) result = d;
      continue;
    }
    const size1 = t1.sizes[v];
    const size2 = t2.sizes[w];
    if (size1 === 1 || size2 === 1) continue; // delta holds these already
    const strategyPathID = delta[v * n2 + w];
    let pathNode = Math.abs(strategyPathID) - 1;
    const inTree1 = pathNode < n1;
    if (!inTree1) pathNode -= n1;
    const T: IndexedTree = inTree1 ? t1 : t2;
    const root = inTree1 ? v : w;
    const type = pathType(strategyPathID, n1, root, inTree1 ? size1 : size2);
    push(SPF, v, w, pathNode, type + (inTree1 ? 0 : 4));
    // Subtrees hanging off the path, in the order the reference visits them.
    children.length = 0;
    let parent: number;
    while ((parent = T.parents[pathNode]) >= root) {
      for (let i = T.childStart[parent]; i < T.childStart[parent + 1]; i++) {
        const child = T.childList[i];
        if (child !== pathNode) children.push(child);
      }
      pathNode = parent;
    }
    for (let i = children.length - 1; i >= 0; i--) {
      if (inTree1) push(VISIT, children[i], w, 0, 0);
      else push(VISIT, v, children[i], 0, 0);
    }
  }
  return result;
}
