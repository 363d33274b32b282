/**
 * The single-path functions for a one-node subtree (spf1) and for left and right paths (spfL,
 * spfR: Zhang–Shasha keyroot iterations restricted to one path) [TODS 2015, Sections 3.3–3.5;
 * IS 2016, Section 6.1]. spfL/spfR are O(|F| · Σ keyroot sizes of G) time, O(|F|·|G|) memory.
 */
import { type CostArray, type Ctx, type FloatArray, type PairView, pairView, renameCost, scratch } from './context.ts';

/** Distance between subtree x of tree 1 and subtree y of tree 2 when one of them is a single node. */
export function spf1(ctx: Ctx, x: number, y: number): number {
  const { t1, t2, costs } = ctx;
  const size1 = t1.sizes[x];
  const size2 = t2.sizes[y];
  if (size1 === 1 && size2 === 1) {
    const maxCost = costs.cost1[x] + costs.cost2[y];
    const ren = renameCost(ctx, x, y);
    return ren < maxCost ? ren : maxCost;
  }
  if (size1 === 1) {
    // Insert all of G_y, but possibly map x onto its cheapest node instead of deleting it.
    let cost = costs.sum2[y];
    const maxCost = cost + costs.cost1[x];
    let minRenMinusIns = cost;
    for (let i = y; i < y + size2; i++) {
      const d = renameCost(ctx, x, i) - costs.cost2[i];
      if (d < minRenMinusIns) minRenMinusIns = d;
    }
    cost += minRenMinusIns;
    return cost < maxCost ? cost : maxCost;
  }
  if (size2 === 1) {
    let cost = costs.sum1[x];
    const maxCost = cost + costs.cost2[y];
    let minRenMinusDel = cost;
    for (let i = x; i < x + size1; i++) {
      const d = renameCost(ctx, i, y) - costs.cost1[i];
      if (d < minRenMinusDel) minRenMinusDel = d;
    }
    cost += minRenMinusDel;
    return cost < maxCost ? cost : maxCost;
  }
  return -1;
}

/** spfL: the path is the left path of subtree a0 of A; every left-path keyroot of B is visited. */
export function spfL(ctx: Ctx, a0: number, b0: number, swapped: boolean): number {
  const pv = pairView(ctx, swapped);
  const B = pv.B;
  const sizeA = pv.A.sizes[a0];
  const sizeB = B.sizes[b0];
  const fd = scratch(ctx, 'fd', (sizeA + 1) * (sizeB + 1));
  // Keyroots of B for left paths: the root and every node that is not a leftmost child.
  // Increasing postorder visits each keyroot after every keyroot below it.
  const rootPost = B.preL_to_postL[b0];
  const ob = inOrder(ctx, pv, 'L');
  const A = pv.A;
  for (let p = B.postL_to_lld[rootPost]; p <= rootPost; p++) {
    const b = B.postL_to_preL[p];
    if (b === b0 || B.nodeType_L[b] === 0) forestDist(ctx, pv, fd, a0, b, A.preL_to_postL, A.postL_to_lld, A.postL_to_preL, B.preL_to_postL, ob);
  }
  return fd[sizeA * (sizeB + 1) + sizeB];
}


/**
 * Zhang–Shasha forest distances of the subtree a0 (all its prefixes in the given postorder)
 * against the keyroot subtree bk; left or right postorder arrays make it spfL's or spfR's.
 * Stores the distances of every pair of subtrees both on leftmost (rightmost) paths in delta.
 */
function forestDist(
  ctx: Ctx, pv: PairView, fd: FloatArray, a0: number, bk: number,
  preToPostA: Int32Array, lldA: Int32Array, postToPreA: Int32Array, preToPostB: Int32Array, ob: OrderedB,
): void {
  const { costA, D, dRow, DT, dRowT, renUniform, renM, rlA, sA, sB } = pv;
  const i = preToPostA[a0];
  const j = preToPostB[bk];
  const ioff = lldA[i] - 1;
  const joff = ob.lld[j] - 1;
  const rows = i - ioff;
  const cols = j - joff;
  const W = cols + 1;
  const obCost = ob.cost;
  fd[0] = 0;
  for (let i1 = 1; i1 <= rows; i1++) fd[i1 * W] = fd[(i1 - 1) * W] + costA[postToPreA[i1 + ioff]];
  for (let j1 = 1; j1 <= cols; j1++) fd[j1] = fd[j1 - 1] + obCost[j1 + joff];
  // The whole table in one call (random trees have many small keyroots: a call per row cost
  // as much as the rows themselves).
  if (renM === null) {
    rowsUniform(fd, D, DT, rows, cols, ioff, joff, lldA, postToPreA, costA, pv.A.label, renUniform, dRow, dRowT, ob.pre, ob.cost, ob.lab, ob.lld);
  } else {
    rowsMatrix(fd, D, DT, rows, cols, ioff, joff, lldA, postToPreA, costA, rlA, sA, sB, renM, dRow, dRowT, ob.pre, ob.cost, ob.lab, ob.lld);
  }
  ctx.counter += rows * cols;
}

/** Tree B's nodes in left (or right) postorder, with their costs and labels in that order. */
type OrderedB = { pre: Int32Array; lld: Int32Array; cost: CostArray; lab: Int32Array };

/** Lays B's costs and labels out in postorder once per run, so the row loops read them in sequence. */
function inOrder(ctx: Ctx, pv: PairView, dir: 'L' | 'R'): OrderedB {
  const k = (pv.B === ctx.t1 ? 0 : 2) + (dir === 'L' ? 0 : 1);
  const cached = ctx.ordered[k];
  if (cached) return cached as OrderedB;
  const B = pv.B;
  const pre = dir === 'L' ? B.postL_to_preL : B.postR_to_preL;
  const n = B.size;
  const cost = pv.costB instanceof Int32Array ? new Int32Array(n) : new Float64Array(n);
  const lab = new Int32Array(n);
  for (let p = 0; p < n; p++) {
    cost[p] = pv.costB[pre[p]];
    lab[p] = pv.renM === null ? B.label[pre[p]] : pv.rlB[pre[p]];
  }
  const o: OrderedB = { pre, lld: dir === 'L' ? B.postL_to_lld : B.postR_to_rld, cost, lab };
  ctx.ordered[k] = o;
  return o;
}

/**
 * The rows of the forest-distance table with uniform rename costs (labels compared). In every
 * cell only the insertion depends on the cell to its left: min(deletion, match) first keeps the
 * chain from one cell to the next at one add and one min (branch-free: the three are
 * unpredictable). Rows whose A forest is a tree get their own loop (they also write delta).
 */
function rowsUniform(
  fd: FloatArray, D: FloatArray, DT: FloatArray,
  rows: number, cols: number, ioff: number, joff: number, lldA: Int32Array, postToPreA: Int32Array,
  costA: CostArray, labA: Int32Array, renUniform: number, dRow: number, dRowT: number,
  pre: Int32Array, cost: CostArray, lab: Int32Array, lld: Int32Array,
): void {
  const W = cols + 1;
  const lldI = lldA[rows + ioff];
  const lldJ = lld[cols + joff];
  for (let i1 = 1; i1 <= rows; i1++) {
    const a = postToPreA[i1 + ioff];
    const la = labA[a];
    const delA = costA[a];
    const rowA = a * dRow;
    const cur = i1 * W;
    const prev = cur - W;
    let left = fd[cur];
    if (lldA[i1 + ioff] === lldI) {
      for (let j1 = 1; j1 <= cols; j1++) {
        const p = j1 + joff;
        const b = pre[p];
        const u = la === lab[p] ? 0 : renUniform;
        const da = fd[prev + j1] + delA;
        const l = lld[p];
        let dc: number;
        if (l === lldJ) {
          // Both forests are trees: their distance without the roots goes to delta.
          const f = fd[prev + j1 - 1];
          dc = f + u;
          D[rowA + b] = f;
          DT[b * dRowT + a] = f;
        } else {
          dc = fd[l - 1 - joff] + D[rowA + b] + u;
        }
        left = Math.min(left + cost[p], Math.min(da, dc));
        fd[cur + j1] = left;
      }
    } else {
      const lldRow = (lldA[i1 + ioff] - 1 - ioff) * W - 1 - joff;
      for (let j1 = 1; j1 <= cols; j1++) {
        const p = j1 + joff;
        const u = la === lab[p] ? 0 : renUniform;
        const da = fd[prev + j1] + delA;
        const dc = fd[lldRow + lld[p]] + D[rowA + pre[p]] + u;
        left = Math.min(left + cost[p], Math.min(da, dc));
        fd[cur + j1] = left;
      }
    }
  }
}

/** `rowsUniform` with rename costs from a matrix. */
function rowsMatrix(
  fd: FloatArray, D: FloatArray, DT: FloatArray,
  rows: number, cols: number, ioff: number, joff: number, lldA: Int32Array, postToPreA: Int32Array,
  costA: CostArray, rlA: Int32Array, sA: number, sB: number, renMat: Float64Array, dRow: number, dRowT: number,
  pre: Int32Array, cost: CostArray, lab: Int32Array, lld: Int32Array,
): void {
  const W = cols + 1;
  const lldI = lldA[rows + ioff];
  const lldJ = lld[cols + joff];
  for (let i1 = 1; i1 <= rows; i1++) {
    const a = postToPreA[i1 + ioff];
    const rla = rlA[a] * sA;
    const delA = costA[a];
    const rowA = a * dRow;
    const cur = i1 * W;
    const prev = cur - W;
    const aIsTree = lldA[i1 + ioff] === lldI;
    const lldRow = (lldA[i1 + ioff] - 1 - ioff) * W - 1 - joff;
    let left = fd[cur];
    for (let j1 = 1; j1 <= cols; j1++) {
      const p = j1 + joff;
      const b = pre[p];
      const u = renMat[rla + lab[p] * sB];
      const da = fd[prev + j1] + delA;
      const l = lld[p];
      let dc: number;
      if (aIsTree && l === lldJ) {
        const f = fd[prev + j1 - 1];
        dc = f + u;
        D[rowA + b] = f;
        DT[b * dRowT + a] = f;
      } else {
        dc = fd[lldRow + l] + D[rowA + b] + u;
      }
      left = Math.min(left + cost[p], Math.min(da, dc));
      fd[cur + j1] = left;
    }
  }
}

/** spfR: the mirror image of spfL, on right paths and right-to-left postorder. */
export function spfR(ctx: Ctx, a0: number, b0: number, swapped: boolean): number {
  const pv = pairView(ctx, swapped);
  const B = pv.B;
  const sizeA = pv.A.sizes[a0];
  const sizeB = B.sizes[b0];
  const fd = scratch(ctx, 'fd', (sizeA + 1) * (sizeB + 1));
  const rootPost = B.preL_to_postR[b0];
  const ob = inOrder(ctx, pv, 'R');
  const A = pv.A;
  for (let p = B.postR_to_rld[rootPost]; p <= rootPost; p++) {
    const b = B.postR_to_preL[p];
    if (b === b0 || B.nodeType_R[b] === 0) forestDist(ctx, pv, fd, a0, b, A.preL_to_postR, A.postR_to_rld, A.postR_to_preL, B.preL_to_postR, ob);
  }
  return fd[sizeA * (sizeB + 1) + sizeB];
}

