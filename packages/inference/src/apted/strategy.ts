/**
 * Optimal path strategy of APTED in O(n1·n2) time and O(n1·n2) memory (Pawlik & Augsten,
 * Information Systems 2016, Algorithm 1), in its two traversal variants (left-to-right and
 * right-to-left postorder; Section 5.3 picks the one that keeps fewer rows alive).
 *
 * The strategy is written into `strategy[v * n2 + w]` (preL ids of tree 1 and tree 2) as an
 * encoded path id: negative for a left path, `> n1` when the path lies in tree 2, and the
 * path's leaf preL + 1 otherwise (offset by n1 for tree 2). The array is later reused as the
 * distance matrix, exactly as the reference implementation does.
 */
import type { IndexedTree } from './indexedTree.ts';

type FloatArray = Int16Array | Int32Array | Float32Array | Float64Array;

/** Chooses the traversal by the heuristic of [IS 2016, Section 5.3] and fills `strategy`. */
export function computeStrategy(t1: IndexedTree, t2: IndexedTree, strategy: FloatArray): void {
  if (t1.lchl < t1.rchl) computeStrategyPostL(t1, t2, strategy);
  else computeStrategyPostR(t1, t2, strategy);
}

/** Row pool: a row is needed only while a node's children are being visited. */
class RowPool {
  private readonly free: Float64Array[] = [];
  constructor(private readonly width: number) {}
  take(): Float64Array {
    return this.free.pop() ?? new Float64Array(this.width);
  }
  give(row: Float64Array): void {
    row.fill(0);
    this.free.push(row);
  }
}

export function computeStrategyPostL(t1: IndexedTree, t2: IndexedTree, strategy: FloatArray): void {
  const size1 = t1.size;
  const size2 = t2.size;
  // cost1_X[v]: per postL node v of tree 1, the row of accumulated path costs against tree 2.
  const cost1_L: (Float64Array | null)[] = new Array(size1).fill(null);
  const cost1_R: (Float64Array | null)[] = new Array(size1).fill(null);
  const cost1_I: (Float64Array | null)[] = new Array(size1).fill(null);
  const cost2_L = new Float64Array(size2);
  const cost2_R = new Float64Array(size2);
  const cost2_I = new Float64Array(size2);
  const cost2_path = new Int32Array(size2);
  const leafRow = new Float64Array(size2);
  const pathIDOffset = size1;
  const pool = new RowPool(size2);

  const sizes1 = t1.sizes, sizes2 = t2.sizes;
  const descSum1 = t1.descSum, descSum2 = t2.descSum;
  const krSum1 = t1.krSum, krSum2 = t2.krSum;
  const revKrSum1 = t1.revKrSum, revKrSum2 = t2.revKrSum;
  const preL_to_preR_1 = t1.preL_to_preR, preL_to_preR_2 = t2.preL_to_preR;
  const preR_to_preL_1 = t1.preR_to_preL, preR_to_preL_2 = t2.preR_to_preL;
  const parents1 = t1.parents, parents2 = t2.parents;
  const nodeType_L_1 = t1.nodeType_L, nodeType_L_2 = t2.nodeType_L;
  const nodeType_R_1 = t1.nodeType_R, nodeType_R_2 = t2.nodeType_R;
  const preL_to_postL_1 = t1.preL_to_postL, preL_to_postL_2 = t2.preL_to_postL;
  const postL_to_preL_1 = t1.postL_to_preL, postL_to_preL_2 = t2.postL_to_preL;

  for (let v = 0; v < size1; v++) {
    const vPre = postL_to_preL_1[v];
    const sizeV = sizes1[vPre];
    const isVLeaf = sizeV === 1;
    const parentVPre = parents1[vPre];
    const parentVPost = parentVPre !== -1 ? preL_to_postL_1[parentVPre] : -1;
    const sv = vPre * size2;
    // Left path id: the leftmost leaf; right path id: the rightmost leaf (preL + 1).
    const leftPathV = -(preR_to_preL_1[preL_to_preR_1[vPre] + sizeV - 1] + 1);
    const rightPathV = vPre + sizeV - 1 + 1;
    const krSumV = krSum1[vPre];
    const revKrSumV = revKrSum1[vPre];
    const descSumV = descSum1[vPre];

    if (isVLeaf) {
      cost1_L[v] = leafRow;
      cost1_R[v] = leafRow;
      cost1_I[v] = leafRow;
      for (let i = 0; i < size2; i++) strategy[sv + postL_to_preL_2[i]] = vPre;
    }
    const costLv = cost1_L[v]!;
    const costRv = cost1_R[v]!;
    const costIv = cost1_I[v]!;
    let costLp: Float64Array | null = null, costRp: Float64Array | null = null, costIp: Float64Array | null = null;
    let sp = -1;
    if (parentVPre !== -1) {
      if (cost1_L[parentVPost] === null) {
        cost1_L[parentVPost] = pool.take();
        cost1_R[parentVPost] = pool.take();
        cost1_I[parentVPost] = pool.take();
      }
      costLp = cost1_L[parentVPost];
      costRp = cost1_R[parentVPost];
      costIp = cost1_I[parentVPost];
      sp = parentVPre * size2;
    }
    cost2_L.fill(0);
    cost2_R.fill(0);
    cost2_I.fill(0);
    cost2_path.fill(0);

    for (let w = 0; w < size2; w++) {
      const wPre = postL_to_preL_2[w];
      const parentWPre = parents2[wPre];
      const parentWPost = parentWPre !== -1 ? preL_to_postL_2[parentWPre] : -1;
      const sizeW = sizes2[wPre];
      if (sizeW === 1) {
        cost2_L[w] = 0;
        cost2_R[w] = 0;
        cost2_I[w] = 0;
        cost2_path[w] = wPre;
      }
      let minCost = Infinity;
      let strategyPath = -1;
      if (sizeV <= 1 || sizeW <= 1) {
        minCost = Math.max(sizeV, sizeW);
      } else {
        let tmp = sizeV * krSum2[wPre] + costLv[w];
        if (tmp < minCost) { minCost = tmp; strategyPath = leftPathV; }
        tmp = sizeV * revKrSum2[wPre] + costRv[w];
        if (tmp < minCost) { minCost = tmp; strategyPath = rightPathV; }
        tmp = sizeV * descSum2[wPre] + costIv[w];
        if (tmp < minCost) { minCost = tmp; strategyPath = strategy[sv + wPre] + 1; }
        tmp = sizeW * krSumV + cost2_L[w];
        if (tmp < minCost) { minCost = tmp; strategyPath = -(preR_to_preL_2[preL_to_preR_2[wPre] + sizeW - 1] + pathIDOffset + 1); }
        tmp = sizeW * revKrSumV + cost2_R[w];
        if (tmp < minCost) { minCost = tmp; strategyPath = wPre + sizeW - 1 + pathIDOffset + 1; }
        tmp = sizeW * descSumV + cost2_I[w];
        if (tmp < minCost) { minCost = tmp; strategyPath = cost2_path[w] + pathIDOffset + 1; }
      }
      if (parentVPre !== -1) {
        costRp![w] += minCost;
        const tmp = -minCost + costIv[w];
        if (tmp < costIp![w]) {
          costIp![w] = tmp;
          strategy[sp + wPre] = strategy[sv + wPre];
        }
        if (nodeType_R_1[vPre]) {
          costIp![w] += costRp![w];
          costRp![w] += costRv[w] - minCost;
        }
        if (nodeType_L_1[vPre]) costLp![w] += costLv[w];
        else costLp![w] += minCost;
      }
      if (parentWPre !== -1) {
        cost2_R[parentWPost] += minCost;
        const tmp = -minCost + cost2_I[w];
        if (tmp < cost2_I[parentWPost]) {
          cost2_I[parentWPost] = tmp;
          cost2_path[parentWPost] = cost2_path[w];
        }
        if (nodeType_R_2[wPre]) {
          cost2_I[parentWPost] += cost2_R[parentWPost];
          cost2_R[parentWPost] += cost2_R[w] - minCost;
        }
        if (nodeType_L_2[wPre]) cost2_L[parentWPost] += cost2_L[w];
        else cost2_L[parentWPost] += minCost;
      }
      strategy[sv + wPre] = strategyPath;
    }
    if (!isVLeaf) {
      pool.give(costLv);
      pool.give(costRv);
      pool.give(costIv);
      cost1_L[v] = cost1_R[v] = cost1_I[v] = null;
    }
  }
}

export function computeStrategyPostR(t1: IndexedTree, t2: IndexedTree, strategy: FloatArray): void {
  const size1 = t1.size;
  const size2 = t2.size;
  // cost1_X[v]: per preL node v of tree 1 (visited in decreasing preL = right-to-left postorder).
  const cost1_L: (Float64Array | null)[] = new Array(size1).fill(null);
  const cost1_R: (Float64Array | null)[] = new Array(size1).fill(null);
  const cost1_I: (Float64Array | null)[] = new Array(size1).fill(null);
  const cost2_L = new Float64Array(size2);
  const cost2_R = new Float64Array(size2);
  const cost2_I = new Float64Array(size2);
  const cost2_path = new Int32Array(size2);
  const leafRow = new Float64Array(size2);
  const pathIDOffset = size1;
  const pool = new RowPool(size2);

  const sizes1 = t1.sizes, sizes2 = t2.sizes;
  const descSum1 = t1.descSum, descSum2 = t2.descSum;
  const krSum1 = t1.krSum, krSum2 = t2.krSum;
  const revKrSum1 = t1.revKrSum, revKrSum2 = t2.revKrSum;
  const preL_to_preR_1 = t1.preL_to_preR, preL_to_preR_2 = t2.preL_to_preR;
  const preR_to_preL_1 = t1.preR_to_preL, preR_to_preL_2 = t2.preR_to_preL;
  const parents1 = t1.parents, parents2 = t2.parents;
  const nodeType_L_1 = t1.nodeType_L, nodeType_L_2 = t2.nodeType_L;
  const nodeType_R_1 = t1.nodeType_R, nodeType_R_2 = t2.nodeType_R;
  const S: RowState = { size1, size2, strategy, sizes2, krSum2, revKrSum2, descSum2, preL_to_preR_2, preR_to_preL_2, parents2,
    nodeType_L_1, nodeType_R_1, nodeType_L_2, nodeType_R_2, cost2_L, cost2_R, cost2_I, cost2_path };

  for (let v = size1 - 1; v >= 0; v--) {
    const sizeV = sizes1[v];
    const isVLeaf = sizeV === 1;
    const parentV = parents1[v];
    const sv = v * size2;
    const leftPathV = -(preR_to_preL_1[preL_to_preR_1[v] + sizeV - 1] + 1);
    const rightPathV = v + sizeV - 1 + 1;
    const krSumV = krSum1[v];
    const revKrSumV = revKrSum1[v];
    const descSumV = descSum1[v];

    if (isVLeaf) {
      cost1_L[v] = leafRow;
      cost1_R[v] = leafRow;
      cost1_I[v] = leafRow;
      for (let i = 0; i < size2; i++) strategy[sv + i] = v;
    }
    const costLv = cost1_L[v]!;
    const costRv = cost1_R[v]!;
    const costIv = cost1_I[v]!;
    let costLp: Float64Array | null = null, costRp: Float64Array | null = null, costIp: Float64Array | null = null;
    let sp = -1;
    if (parentV !== -1) {
      if (cost1_L[parentV] === null) {
        cost1_L[parentV] = pool.take();
        cost1_R[parentV] = pool.take();
        cost1_I[parentV] = pool.take();
      }
      costLp = cost1_L[parentV];
      costRp = cost1_R[parentV];
      costIp = cost1_I[parentV];
      sp = parentV * size2;
    }
    cost2_L.fill(0);
    cost2_R.fill(0);
    cost2_I.fill(0);
    cost2_path.fill(0);

    rowPostR(S, v, sizeV, parentV, sv, sp, leftPathV, rightPathV, krSumV, revKrSumV, descSumV, costLv, costRv, costIv, costLp, costRp, costIp);
    if (!isVLeaf) {
      pool.give(costLv);
      pool.give(costRv);
      pool.give(costIv);
      cost1_L[v] = cost1_R[v] = cost1_I[v] = null;
    }
  }
}

type RowState = {
  size1: number; size2: number; strategy: FloatArray;
  sizes2: Int32Array; krSum2: Float64Array; revKrSum2: Float64Array; descSum2: Float64Array;
  preL_to_preR_2: Int32Array; preR_to_preL_2: Int32Array; parents2: Int32Array;
  nodeType_L_1: Uint8Array; nodeType_R_1: Uint8Array; nodeType_L_2: Uint8Array; nodeType_R_2: Uint8Array;
  cost2_L: Float64Array; cost2_R: Float64Array; cost2_I: Float64Array; cost2_path: Int32Array;
};

// The inner loop lives in its own function: called once per node of tree 1, it is optimised by
// the JIT like any hot function (one huge loop nest would depend on on-stack replacement).
function rowPostR(
  S: RowState, v: number, sizeV: number, parentV: number, sv: number, sp: number,
  leftPathV: number, rightPathV: number, krSumV: number, revKrSumV: number, descSumV: number,
  costLv: Float64Array, costRv: Float64Array, costIv: Float64Array,
  costLp: Float64Array | null, costRp: Float64Array | null, costIp: Float64Array | null,
): void {
  const { size1, size2, strategy, sizes2, krSum2, revKrSum2, descSum2, preL_to_preR_2, preR_to_preL_2, parents2,
    nodeType_L_1, nodeType_R_1, nodeType_L_2, nodeType_R_2, cost2_L, cost2_R, cost2_I, cost2_path } = S;
  const pathIDOffset = size1;
  for (let w = size2 - 1; w >= 0; w--) {
    const sizeW = sizes2[w];
    if (sizeW === 1) {
      cost2_L[w] = 0;
      cost2_R[w] = 0;
      cost2_I[w] = 0;
      cost2_path[w] = w;
    }
    let minCost = Infinity;
    let strategyPath = -1;
    if (sizeV <= 1 || sizeW <= 1) {
      minCost = Math.max(sizeV, sizeW);
    } else {
      let tmp = sizeV * krSum2[w] + costLv[w];
      if (tmp < minCost) { minCost = tmp; strategyPath = leftPathV; }
      tmp = sizeV * revKrSum2[w] + costRv[w];
      if (tmp < minCost) { minCost = tmp; strategyPath = rightPathV; }
      tmp = sizeV * descSum2[w] + costIv[w];
      if (tmp < minCost) { minCost = tmp; strategyPath = strategy[sv + w] + 1; }
      tmp = sizeW * krSumV + cost2_L[w];
      if (tmp < minCost) { minCost = tmp; strategyPath = -(preR_to_preL_2[preL_to_preR_2[w] + sizeW - 1] + pathIDOffset + 1); }
      tmp = sizeW * revKrSumV + cost2_R[w];
      if (tmp < minCost) { minCost = tmp; strategyPath = w + sizeW - 1 + pathIDOffset + 1; }
      tmp = sizeW * descSumV + cost2_I[w];
      if (tmp < minCost) { minCost = tmp; strategyPath = cost2_path[w] + pathIDOffset + 1; }
    }
    if (parentV !== -1) {
      costLp![w] += minCost;
      const tmp = -minCost + costIv[w];
      if (tmp < costIp![w]) {
        costIp![w] = tmp;
        strategy[sp + w] = strategy[sv + w];
      }
      if (nodeType_L_1[v]) {
        costIp![w] += costLp![w];
        costLp![w] += costLv[w] - minCost;
      }
      if (nodeType_R_1[v]) costRp![w] += costRv[w];
      else costRp![w] += minCost;
    }
    const parentW = parents2[w];
    if (parentW !== -1) {
      cost2_L[parentW] += minCost;
      const tmp = -minCost + cost2_I[w];
      if (tmp < cost2_I[parentW]) {
        cost2_I[parentW] = tmp;
        cost2_path[parentW] = cost2_path[w];
      }
      if (nodeType_L_2[w]) {
        cost2_I[parentW] += cost2_L[parentW];
        cost2_L[parentW] += cost2_L[w] - minCost;
      }
      if (nodeType_R_2[w]) cost2_R[parentW] += cost2_R[w];
      else cost2_R[parentW] += minCost;
    }
    strategy[sv + w] = strategyPath;
  }
}
