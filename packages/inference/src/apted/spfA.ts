/**
 * spfA, the all-path single-path function of APTED: O(|F|·|G|) time and O(|G|^2 + |F|·|G|)
 * memory for any root-leaf path of F [TODS 2015, Sections 7–8, Algorithms 3 and 4]. Used for
 * inner paths; left and right paths go to the cheaper spfL / spfR.
 *
 * A careful port of the reference implementation's `spfA` (MIT, Pawlik & Augsten), with the
 * matrices flattened into typed arrays and the swapped/unswapped cases unified by PairView.
 * Loop B's body is a function of its own (`leftColumn`, `rightRow`): called |G| times per path
 * node, it is optimised by the JIT as a hot function; as one long loop nest, Bun's JIT kept
 * re-entering it through on-stack replacement and ran about three times slower.
 */
import { type CostArray, type Ctx, type FloatArray, pairView, scratch } from './context.ts';
import type { IndexedTree } from './indexedTree.ts';

export const LEFT = 0;
export const RIGHT = 1;
export const INNER = 2;

const MAXINT = 0x7fffffff;

/** Everything Loop B's body reads: the run's arrays and the current step of Loop A. */
class SpfAState {
  // The pair and its arrays.
  s: FloatArray;
  t: FloatArray;
  tT: FloatArray;
  D: FloatArray;
  DT: FloatArray;
  dRow: number;
  dRowT: number;
  q: FloatArray;
  fn: Int32Array;
  ft: Int32Array;
  costA: CostArray;
  sumA: CostArray;
  costB: CostArray;
  sumB: CostArray;
  labA: Int32Array;
  labB: Int32Array;
  uniform: boolean;
  renUniform: number;
  renMat: Float64Array;
  rlA: Int32Array;
  rlB: Int32Array;
  sA: number;
  sB: number;
  A: IndexedTree;
  B: IndexedTree;
  SW: number;
  b0: number;
  it2PreLoff: number;
  it2PreRoff: number;
  pathType: number;
  // The current step of Loop A.
  startPathNode = -1;
  startPathNode_in_preR = MAXINT;
  endPathNode = -1;
  endPathNode_in_preR = 0;
  parent_of_endPathNode = -1;
  parent_of_endPathNode_in_preR = MAXINT;
  leftPart = false;
  rightPart = false;
  it1PreLoff = 0;
  it1PreRoff = 0;
  lFfirst = 0;
  lFlast = 0;
  rFfirst = 0;
  rFlast = 0;
  forestCost1 = 0;
  // Results.
  minCost = -1;
  counter = 0;

  constructor(ctx: Ctx, a0: number, b0: number, pathType: number, swapped: boolean) {
    const pv = pairView(ctx, swapped);
    this.A = pv.A;
    this.B = pv.B;
    this.D = pv.D;
    this.DT = pv.DT;
    this.dRow = pv.dRow;
    this.dRowT = pv.dRowT;
    this.costA = pv.costA;
    this.sumA = pv.sumA;
    this.costB = pv.costB;
    this.sumB = pv.sumB;
    this.labA = pv.A.label;
    this.labB = pv.B.label;
    this.uniform = pv.renM === null;
    this.renUniform = pv.renUniform;
    this.renMat = pv.renM ?? new Float64Array(0);
    this.rlA = pv.rlA;
    this.rlB = pv.rlB;
    this.sA = pv.sA;
    this.sB = pv.sB;
    this.q = ctx.q;
    this.fn = ctx.fn;
    this.ft = ctx.ft;
    this.pathType = pathType;
    this.b0 = b0;
    this.it2PreLoff = b0;
    this.it2PreRoff = pv.B.preL_to_preR[b0];
    const subtreeSize1 = pv.A.sizes[a0];
    const subtreeSize2 = pv.B.sizes[b0];
    const SW = subtreeSize2 + 1;
    this.SW = SW;
    // s[(node of F - offset) * SW + (node of G - offset)]: forest distances of the current step.
    // t[(lG - it2PreLoff) * SW + (rG - it2PreRoff)]: G forests against the path subtree; tT is
    // its transpose, so the left part, which walks t by column, reads a row of tT instead.
    this.s = scratch(ctx, 's', (subtreeSize1 + 1) * SW);
    this.t = scratch(ctx, 't', SW * SW);
    this.tT = scratch(ctx, 'tT', SW * SW);
    this.s.fill(0, 0, (subtreeSize1 + 1) * SW);
    this.t.fill(0, 0, SW * SW);
    this.tT.fill(0, 0, SW * SW);
  }
}

export function spfA(ctx: Ctx, a0: number, b0: number, pathID: number, pathType: number, swapped: boolean): number {
  const S = new SpfAState(ctx, a0, b0, pathType, swapped);
  const { A, B, fn, ft, costA } = S;
  const FNL = fn.length - 1; // sentinel slot of fn
  const subtreeSize2 = B.sizes[b0];
  const ApreL_to_preR = A.preL_to_preR;
  const ApreR_to_preL = A.preR_to_preL;
  const BpreL_to_preR = B.preL_to_preR;
  S.endPathNode = pathID;

  // Loop A [TODS 2015, Algorithm 3]: walk up the path.
  while (S.endPathNode >= a0) {
    const endPathNode = S.endPathNode;
    const startPathNode = S.startPathNode;
    S.it1PreLoff = endPathNode;
    S.it1PreRoff = ApreL_to_preR[endPathNode];
    S.endPathNode_in_preR = ApreL_to_preR[endPathNode];
    S.startPathNode_in_preR = startPathNode === -1 ? MAXINT : ApreL_to_preR[startPathNode];
    S.parent_of_endPathNode = A.parents[endPathNode];
    S.parent_of_endPathNode_in_preR = S.parent_of_endPathNode === -1 ? MAXINT : ApreL_to_preR[S.parent_of_endPathNode];
    S.leftPart = startPathNode - endPathNode > 1;
    S.rightPart = startPathNode >= 0 && S.startPathNode_in_preR - S.endPathNode_in_preR > 1;
    S.rFlast = -1;
    S.lFlast = -1;

    // Nodes to the left of the path.
    if (pathType === RIGHT || (pathType === INNER && S.leftPart)) {
      if (startPathNode === -1) {
        S.rFfirst = S.endPathNode_in_preR;
        S.lFfirst = endPathNode;
      } else {
        S.rFfirst = S.startPathNode_in_preR;
        S.lFfirst = startPathNode - 1;
      }
      if (!S.rightPart) S.rFlast = S.endPathNode_in_preR;
      S.lFlast = S.rightPart ? endPathNode + 1 : endPathNode;
      resetFnFt(fn, ft, FNL, b0, subtreeSize2);
      const rGlast = BpreL_to_preR[b0];
      // Loop B: for all nodes of G, right to left.
      for (let rG = rGlast + subtreeSize2 - 1; rG >= rGlast; rG--) leftColumn(S, rG);
      // Each Loop B iteration restarts from this step's forest; all add the same nodes of F.
      for (let lF = S.lFfirst; lF >= S.lFlast; lF--) S.forestCost1 += costA[lF];
    }

    // Nodes to the right of the path.
    if (pathType === LEFT || (pathType === INNER && S.rightPart) || (pathType === INNER && !S.leftPart && !S.rightPart)) {
      if (startPathNode === -1) {
        S.lFfirst = endPathNode;
        S.rFfirst = ApreL_to_preR[endPathNode];
      } else {
        S.rFfirst = ApreL_to_preR[startPathNode] - 1;
        S.lFfirst = endPathNode + 1;
      }
      S.lFlast = endPathNode;
      S.rFlast = ApreL_to_preR[endPathNode];
      resetFnFt(fn, ft, FNL, b0, subtreeSize2);
      // Loop B': for all nodes of G, in decreasing preL.
      for (let lG = b0 + subtreeSize2 - 1; lG >= b0; lG--) rightRow(S, lG);
      for (let rF = S.rFfirst; rF >= S.rFlast; rF--) S.forestCost1 += costA[ApreR_to_preL[rF]];
    }
    // Walk up the path by one node.
    S.startPathNode = endPathNode;
    S.endPathNode = A.parents[endPathNode];
  }
  ctx.counter += S.counter;
  return S.minCost;
}

function resetFnFt(fn: Int32Array, ft: Int32Array, FNL: number, b0: number, size: number): void {
  fn[FNL] = -1;
  fn.fill(-1, b0, b0 + size);
  ft.fill(-1, b0, b0 + size);
}

/** One iteration of Loop B (left of the path): Loops C and D for the G forests ending at rG. */
function leftColumn(S: SpfAState, rG: number): void {
  const { s, t, tT, D, dRow, q, fn, ft, costA, sumA, costB, sumB, labA, labB, uniform, renUniform, renMat, rlA, rlB, sA, sB, A, B, SW, b0, it2PreLoff, it2PreRoff } = S;
  const { startPathNode, endPathNode, endPathNode_in_preR, parent_of_endPathNode, parent_of_endPathNode_in_preR, leftPart, rightPart, it1PreLoff, lFfirst, lFlast, rFfirst, rFlast } = S;
  const Bsizes = B.sizes;
  const Asizes = A.sizes;
  const ApreL_to_preR = A.preL_to_preR;
  const BpreR_to_preL = B.preR_to_preL;
  const FNL = fn.length - 1;
  const lGfirst = BpreR_to_preL[rG];
  const rG_in_preL = lGfirst;
  const rGminus1_in_preL = rG <= B.preL_to_preR[b0] ? MAXINT : BpreR_to_preL[rG - 1];
  const parent_of_rG_in_preL = B.parents[rG_in_preL];
  let lGlast: number;
  if (S.pathType === RIGHT) {
    lGlast = lGfirst === b0 || rGminus1_in_preL !== parent_of_rG_in_preL ? lGfirst : B.parents[lGfirst] + 1;
  } else {
    lGlast = lGfirst === b0 ? lGfirst : b0 + 1;
  }
  updateFn(fn, FNL, B.preL_to_ln[lGfirst], lGfirst, b0);
  updateFt(fn, ft, B.preL_to_ln[lGfirst], lGfirst);
  let rF = rFfirst;
  const tTRow = (rG - it2PreRoff) * SW;
  let forestCost1 = S.forestCost1;
  let minCost = S.minCost;
  let counter = 0;
  // Loop C: for all nodes left of the path node.
  for (let lF = lFfirst; lF >= lFlast; lF--) {
    if (lF === lFlast && !rightPart) rF = rFlast;
    const delLF = costA[lF];
    forestCost1 += delLF;
    const forestSize2 = Bsizes[lGfirst];
    let forestCost2 = sumB[lGfirst];
    const fForestIsTree = ApreL_to_preR[lF] === rF;
    const lFSubtreeSize = Asizes[lF];
    const lFIsConsecutiveNodeOfCurrentPathNode = startPathNode - lF === 1;
    const lFIsLeftSiblingOfCurrentPathNode = lF + lFSubtreeSize === startPathNode;
    const sp1row = (lF + 1 - it1PreLoff) * SW - it2PreLoff;
    const sp2row = (lF - it1PreLoff) * SW - it2PreLoff;
    let sp3row = 0;
    const deltaRowLF = lF * dRow;
    const la = labA[lF];
    const rla = uniform ? 0 : rlA[lF] * sA;
    let sp1source = 1;
    let sp3source = 1;
    let sp1: number, sp2: number, sp3: number;
    if (fForestIsTree) {
      if (lFSubtreeSize === 1) sp1source = 3;
      else if (lFIsConsecutiveNodeOfCurrentPathNode) sp1source = 2;
      sp3 = 0;
      sp3source = 2;
    } else {
      if (lFIsConsecutiveNodeOfCurrentPathNode) sp1source = 2;
      sp3 = forestCost1 - sumA[lF];
      if (lFIsLeftSiblingOfCurrentPathNode) sp3source = 3;
    }
    if (sp3source === 1) sp3row = (lF + lFSubtreeSize - it1PreLoff) * SW - it2PreLoff;
    // Loop D reads sp1 and sp3 from s or tT: pick the array and offset once.
    const sp1Arr = sp1source === 2 ? tT : s;
    const sp1Base = sp1source === 2 ? tTRow - it2PreLoff : sp1row;
    const sp3Arr = sp3source === 3 ? tT : s;
    const sp3Base = sp3source === 3 ? tTRow - it2PreLoff : sp3row;
    let lG = lGfirst;
    // The first node of Loop D.
    sp1 = sp1source === 1 ? s[sp1row + lG] : sp1source === 2 ? tT[tTRow + lG - it2PreLoff] : forestCost2;
    sp1 += delLF;
    minCost = sp1;
    sp2 = (forestSize2 === 1 ? forestCost1 : q[lF]) + costB[lG];
    if (sp2 < minCost) minCost = sp2;
    if (sp3 < minCost) {
      sp3 += D[deltaRowLF + lG];
      if (sp3 < minCost) {
        sp3 += uniform ? (la === labB[lG] ? 0 : renUniform) : renMat[rla + rlB[lG] * sB];
        if (sp3 < minCost) minCost = sp3;
      }
    }
    s[sp2row + lG] = minCost;
    lG = ft[lG];
    counter++;
    // Loop D: for all nodes of G left of rG.
    while (lG >= lGlast) {
      const insLG = costB[lG];
      forestCost2 += insLG;
      // min(sp1, sp3) first: neither depends on the previous iteration. sp2 does:
      // s[sp2row + fn[lG]] is the cell the previous iteration just wrote (fn and ft are the two
      // directions of one doubly linked list, so fn[ft[x]] === x), so it is taken from the
      // register, and the only chain from one iteration to the next is one add and one min
      // (reading it back through memory chained a store, a load and three operations).
      sp1 = (sp1source === 3 ? forestCost2 : sp1Arr[sp1Base + lG]) + delLF;
      sp3 = D[deltaRowLF + lG];
      if (sp3 < sp1) {
        sp3 += sp3source === 2 ? forestCost2 - sumB[lG] : sp3Arr[sp3Base + fn[lG + Bsizes[lG] - 1]];
        if (sp3 < sp1) {
          sp3 += uniform ? (la === labB[lG] ? 0 : renUniform) : renMat[rla + rlB[lG] * sB];
          if (sp3 < sp1) sp1 = sp3;
        }
      }
      minCost = Math.min(minCost + insLG, sp1);
      s[sp2row + lG] = minCost;
      lG = ft[lG];
      counter++;
    }
  }
  S.minCost = minCost;
  S.counter += counter;
  if (rGminus1_in_preL === parent_of_rG_in_preL) {
    if (!rightPart) {
      if (leftPart) {
        setDist(S, endPathNode, parent_of_rG_in_preL, s[(lFlast + 1 - it1PreLoff) * SW + rGminus1_in_preL + 1 - it2PreLoff]);
      }
      if (endPathNode > 0 && endPathNode === parent_of_endPathNode + 1 && endPathNode_in_preR === parent_of_endPathNode_in_preR + 1) {
        setDist(S, parent_of_endPathNode, parent_of_rG_in_preL, s[(lFlast - it1PreLoff) * SW + rGminus1_in_preL + 1 - it2PreLoff]);
      }
    }
    for (let lF = lFfirst; lF >= lFlast; lF--) {
      q[lF] = s[(lF - it1PreLoff) * SW + parent_of_rG_in_preL + 1 - it2PreLoff];
    }
  }
  const lastRow = (lFlast - it1PreLoff) * SW - it2PreLoff;
  for (let lG = lGfirst; lG >= lGlast; lG = ft[lG]) {
    const x = s[lastRow + lG];
    t[(lG - it2PreLoff) * SW + rG - it2PreRoff] = x;
    tT[tTRow + lG - it2PreLoff] = x;
  }
}

/** One iteration of Loop B' (right of the path): Loops C' and D' for the G forests starting at lG. */
function rightRow(S: SpfAState, lG: number): void {
  const { s, t, tT, D, dRow, q, fn, ft, costA, sumA, costB, sumB, labA, labB, uniform, renUniform, renMat, rlA, rlB, sA, sB, A, B, SW, b0, it2PreLoff, it2PreRoff } = S;
  const { startPathNode, startPathNode_in_preR, endPathNode, endPathNode_in_preR, parent_of_endPathNode, parent_of_endPathNode_in_preR, rightPart, it1PreRoff, lFlast, rFfirst, rFlast } = S;
  const Bsizes = B.sizes;
  const Asizes = A.sizes;
  const ApreR_to_preL = A.preR_to_preL;
  const BpreL_to_preR = B.preL_to_preR;
  const BpreR_to_preL = B.preR_to_preL;
  const FNL = fn.length - 1;
  const rGfirst = BpreL_to_preR[lG];
  updateFn(fn, FNL, B.preR_to_ln[rGfirst], rGfirst, BpreL_to_preR[b0]);
  updateFt(fn, ft, B.preR_to_ln[rGfirst], rGfirst);
  let lF = S.lFfirst;
  const lGminus1_in_preR = lG <= b0 ? MAXINT : BpreL_to_preR[lG - 1];
  const parent_of_lG = B.parents[lG];
  const parent_of_lG_in_preR = parent_of_lG === -1 ? -1 : BpreL_to_preR[parent_of_lG];
  let rGlast: number;
  if (S.pathType === LEFT) {
    if (lG === b0) rGlast = rGfirst;
    else if (B.childList[B.childStart[parent_of_lG]] !== lG) rGlast = rGfirst;
    else rGlast = BpreL_to_preR[parent_of_lG] + 1;
  } else {
    rGlast = rGfirst === BpreL_to_preR[b0] ? rGfirst : BpreL_to_preR[b0];
  }
  const tRow = (lG - it2PreLoff) * SW - it2PreRoff;
  let forestCost1 = S.forestCost1;
  let minCost = S.minCost;
  let counter = 0;
  // Loop C': for all nodes right of the path node.
  for (let rF = rFfirst; rF >= rFlast; rF--) {
    if (rF === rFlast) lF = lFlast;
    const rF_in_preL = ApreR_to_preL[rF];
    const delRF = costA[rF_in_preL];
    forestCost1 += delRF;
    const forestSize2 = Bsizes[lG];
    let forestCost2 = sumB[lG];
    const rFSubtreeSize = Asizes[rF_in_preL];
    let rFIsConsecutiveNodeOfCurrentPathNode = false;
    let rFIsRightSiblingOfCurrentPathNode = false;
    if (startPathNode > 0) {
      rFIsConsecutiveNodeOfCurrentPathNode = startPathNode_in_preR - rF === 1;
      rFIsRightSiblingOfCurrentPathNode = rF + rFSubtreeSize === startPathNode_in_preR;
    }
    const fForestIsTree = rF_in_preL === lF;
    const sp1row = (rF + 1 - it1PreRoff) * SW - it2PreRoff;
    const sp2row = (rF - it1PreRoff) * SW - it2PreRoff;
    let sp3row = 0;
    const deltaRowRF = rF_in_preL * dRow;
    const la = labA[rF_in_preL];
    const rla = uniform ? 0 : rlA[rF_in_preL] * sA;
    let sp1source = 1;
    let sp3source = 1;
    let sp1: number, sp2: number, sp3: number;
    if (fForestIsTree) {
      if (rFSubtreeSize === 1) sp1source = 3;
      else if (rFIsConsecutiveNodeOfCurrentPathNode) sp1source = 2;
      sp3 = 0;
      sp3source = 2;
    } else {
      if (rFIsConsecutiveNodeOfCurrentPathNode) sp1source = 2;
      sp3 = forestCost1 - sumA[rF_in_preL];
      if (rFIsRightSiblingOfCurrentPathNode) sp3source = 3;
    }
    if (sp3source === 1) sp3row = (rF + rFSubtreeSize - it1PreRoff) * SW - it2PreRoff;
    // Loop D' reads sp1 and sp3 from s or t: pick the array and offset once.
    const sp1Arr = sp1source === 2 ? t : s;
    const sp1Base = sp1source === 2 ? tRow : sp1row;
    const sp3Arr = sp3source === 3 ? t : s;
    const sp3Base = sp3source === 3 ? tRow : sp3row;
    sp2 = forestSize2 === 1 ? forestCost1 : q[rF];
    let rG = rGfirst;
    const rGfirst_in_preL = BpreR_to_preL[rGfirst];
    sp1 = sp1source === 1 ? s[sp1row + rG] : sp1source === 2 ? t[tRow + rG] : forestCost2;
    sp1 += delRF;
    minCost = sp1;
    sp2 += costB[rGfirst_in_preL];
    if (sp2 < minCost) minCost = sp2;
    if (sp3 < minCost) {
      sp3 += D[deltaRowRF + rGfirst_in_preL];
      if (sp3 < minCost) {
        sp3 += uniform ? (la === labB[rGfirst_in_preL] ? 0 : renUniform) : renMat[rla + rlB[rGfirst_in_preL] * sB];
        if (sp3 < minCost) minCost = sp3;
      }
    }
    s[sp2row + rG] = minCost;
    rG = ft[rG];
    counter++;
    // Loop D': for all nodes of G right of lG.
    while (rG >= rGlast) {
      const rG_in_preL = BpreR_to_preL[rG];
      const insRG = costB[rG_in_preL];
      forestCost2 += insRG;
      sp1 = (sp1source === 3 ? forestCost2 : sp1Arr[sp1Base + rG]) + delRF;
      sp3 = D[deltaRowRF + rG_in_preL];
      if (sp3 < sp1) {
        sp3 += sp3source === 2 ? forestCost2 - sumB[rG_in_preL] : sp3Arr[sp3Base + fn[rG + Bsizes[rG_in_preL] - 1]];
        if (sp3 < sp1) {
          sp3 += uniform ? (la === labB[rG_in_preL] ? 0 : renUniform) : renMat[rla + rlB[rG_in_preL] * sB];
          if (sp3 < sp1) sp1 = sp3;
        }
      }
      // sp2 = s[sp2row + fn[rG]] + ins, the cell the previous iteration wrote (see Loop D).
      minCost = Math.min(minCost + insRG, sp1);
      s[sp2row + rG] = minCost;
      rG = ft[rG];
      counter++;
    }
  }
  S.minCost = minCost;
  S.counter += counter;
  if (lG > b0 && lG - 1 === parent_of_lG) {
    if (rightPart) {
      setDist(S, endPathNode, parent_of_lG, s[(rFlast + 1 - it1PreRoff) * SW + lGminus1_in_preR + 1 - it2PreRoff]);
    }
    if (endPathNode > 0 && endPathNode === parent_of_endPathNode + 1 && endPathNode_in_preR === parent_of_endPathNode_in_preR + 1) {
      setDist(S, parent_of_endPathNode, parent_of_lG, s[(rFlast - it1PreRoff) * SW + lGminus1_in_preR + 1 - it2PreRoff]);
    }
    for (let rF = rFfirst; rF >= rFlast; rF--) {
      q[rF] = s[(rF - it1PreRoff) * SW + parent_of_lG_in_preR + 1 - it2PreRoff];
    }
  }
  const lastRow = (rFlast - it1PreRoff) * SW - it2PreRoff;
  for (let rG = rGfirst; rG >= rGlast; rG = ft[rG]) {
    const x = s[lastRow + rG];
    t[tRow + rG] = x;
    tT[(rG - it2PreRoff) * SW + lG - it2PreLoff] = x;
  }
}

function updateFn(fn: Int32Array, FNL: number, lnForNode: number, node: number, currentSubtreePreL: number): void {
  if (lnForNode >= currentSubtreePreL) {
    fn[node] = fn[lnForNode];
    fn[lnForNode] = node;
  } else {
    fn[node] = fn[FNL];
    fn[FNL] = node;
  }
}

function updateFt(fn: Int32Array, ft: Int32Array, lnForNode: number, node: number): void {
  ft[node] = lnForNode;
  if (fn[node] > -1) ft[fn[node]] = node;
}

/** Stores a distance of (a in A, b in B) in delta and in its transpose. */
function setDist(S: SpfAState, a: number, b: number, value: number): void {
  S.D[a * S.dRow + b] = value;
  S.DT[b * S.dRowT + a] = value;
}
