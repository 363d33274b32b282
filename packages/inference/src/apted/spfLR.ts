/**
 * The single-path functions for a one-node subtree (spf1) and for left and right paths (spfL,
 * spfR: Zhang–Shasha keyroot iterations restricted to one path) [TODS 2015, Sections 3.3–3.5;
 * IS 2016, Section 6.1]. spfL/spfR are O(|F| · Σ keyroot sizes of G) time, O(|F|·|G|) memory.
 */
import { type Ctx, type PairView, pairView, renameCost, scratch } from './context.ts';

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
  for (let p = B.postL_to_lld[rootPost]; p <= rootPost; p++) {
    const b = B.postL_to_preL[p];
    if (b === b0 || B.nodeType_L[b] === 0) forestDistL(ctx, pv, a0, b, fd);
  }
  return fd[sizeA * (sizeB + 1) + sizeB];
}

function forestDistL(ctx: Ctx, pv: PairView, a0: number, bk: number, fd: Float32Array | Float64Array): void {
  const { A, B, costA, costB, D, dRow, DT, dRowT, renUniform, renM, rlA, rlB, sA, sB } = pv;
  const labA = A.label, labB = B.label;
  const lldA = A.postL_to_lld, lldB = B.postL_to_lld;
  const postToPreA = A.postL_to_preL, postToPreB = B.postL_to_preL;
  const i = A.preL_to_postL[a0];
  const j = B.preL_to_postL[bk];
  const ioff = lldA[i] - 1;
  const joff = lldB[j] - 1;
  const rows = i - ioff;
  const cols = j - joff;
  const W = cols + 1;
  const lldI = lldA[i];
  const lldJ = lldB[j];
  fd[0] = 0;
  for (let i1 = 1; i1 <= rows; i1++) fd[i1 * W] = fd[(i1 - 1) * W] + costA[postToPreA[i1 + ioff]];
  for (let j1 = 1; j1 <= cols; j1++) fd[j1] = fd[j1 - 1] + costB[postToPreB[j1 + joff]];
  for (let i1 = 1; i1 <= rows; i1++) {
    const a = postToPreA[i1 + ioff];
    const delA = costA[a];
    const la = labA[a];
    const aIsTree = lldA[i1 + ioff] === lldI;
    const rowA = a * dRow;
    const rlRow = renM === null ? 0 : rlA[a] * sA;
    const prevRow = (i1 - 1) * W;
    const curRow = i1 * W;
    const lldRow = (lldA[i1 + ioff] - 1 - ioff) * W;
    for (let j1 = 1; j1 <= cols; j1++) {
      const b = postToPreB[j1 + joff];
      const u = renM === null ? (la === labB[b] ? 0 : renUniform) : renM[rlRow + rlB[b] * sB];
      const da = fd[prevRow + j1] + delA;
      const db = fd[curRow + j1 - 1] + costB[b];
      let dc: number;
      if (aIsTree && lldB[j1 + joff] === lldJ) {
        const f = fd[prevRow + j1 - 1];
        dc = f + u;
        D[rowA + b] = f;
        DT[b * dRowT + a] = f;
      } else {
        dc = fd[lldRow + lldB[j1 + joff] - 1 - joff] + D[rowA + b] + u;
      }
      fd[curRow + j1] = da >= db ? (db >= dc ? dc : db) : da >= dc ? dc : da;
    }
  }
  ctx.counter += rows * cols;
}

/** spfR: the mirror image of spfL, on right paths and right-to-left postorder. */
export function spfR(ctx: Ctx, a0: number, b0: number, swapped: boolean): number {
  const pv = pairView(ctx, swapped);
  const B = pv.B;
  const sizeA = pv.A.sizes[a0];
  const sizeB = B.sizes[b0];
  const fd = scratch(ctx, 'fd', (sizeA + 1) * (sizeB + 1));
  const rootPost = B.preL_to_postR[b0];
  for (let p = B.postR_to_rld[rootPost]; p <= rootPost; p++) {
    const b = B.postR_to_preL[p];
    if (b === b0 || B.nodeType_R[b] === 0) forestDistR(ctx, pv, a0, b, fd);
  }
  return fd[sizeA * (sizeB + 1) + sizeB];
}

function forestDistR(ctx: Ctx, pv: PairView, a0: number, bk: number, fd: Float32Array | Float64Array): void {
  const { A, B, costA, costB, D, dRow, DT, dRowT, renUniform, renM, rlA, rlB, sA, sB } = pv;
  const labA = A.label, labB = B.label;
  const rldA = A.postR_to_rld, rldB = B.postR_to_rld;
  const postToPreA = A.postR_to_preL, postToPreB = B.postR_to_preL;
  const i = A.preL_to_postR[a0];
  const j = B.preL_to_postR[bk];
  const ioff = rldA[i] - 1;
  const joff = rldB[j] - 1;
  const rows = i - ioff;
  const cols = j - joff;
  const W = cols + 1;
  const rldI = rldA[i];
  const rldJ = rldB[j];
  fd[0] = 0;
  for (let i1 = 1; i1 <= rows; i1++) fd[i1 * W] = fd[(i1 - 1) * W] + costA[postToPreA[i1 + ioff]];
  for (let j1 = 1; j1 <= cols; j1++) fd[j1] = fd[j1 - 1] + costB[postToPreB[j1 + joff]];
  for (let i1 = 1; i1 <= rows; i1++) {
    const a = postToPreA[i1 + ioff];
    const delA = costA[a];
    const la = labA[a];
    const aIsTree = rldA[i1 + ioff] === rldI;
    const rowA = a * dRow;
    const rlRow = renM === null ? 0 : rlA[a] * sA;
    const prevRow = (i1 - 1) * W;
    const curRow = i1 * W;
    const rldRow = (rldA[i1 + ioff] - 1 - ioff) * W;
    for (let j1 = 1; j1 <= cols; j1++) {
      const b = postToPreB[j1 + joff];
      const u = renM === null ? (la === labB[b] ? 0 : renUniform) : renM[rlRow + rlB[b] * sB];
      const da = fd[prevRow + j1] + delA;
      const db = fd[curRow + j1 - 1] + costB[b];
      let dc: number;
      if (aIsTree && rldB[j1 + joff] === rldJ) {
        const f = fd[prevRow + j1 - 1];
        dc = f + u;
        D[rowA + b] = f;
        DT[b * dRowT + a] = f;
      } else {
        dc = fd[rldRow + rldB[j1 + joff] - 1 - joff] + D[rowA + b] + u;
      }
      fd[curRow + j1] = da >= db ? (db >= dc ? dc : db) : da >= dc ? dc : da;
    }
  }
  ctx.counter += rows * cols;
}
