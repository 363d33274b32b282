/**
 * spfA, the all-path single-path function of APTED: O(|F|·|G|) time and O(|G|^2 + |F|·|G|)
 * memory for any root-leaf path of F [TODS 2015, Sections 7–8, Algorithms 3 and 4]. Used for
 * inner paths; left and right paths go to the cheaper spfL / spfR.
 *
 * A careful port of the reference implementation's `spfA` (MIT, Pawlik & Augsten), with the
 * matrices flattened into typed arrays and the swapped/unswapped cases unified by PairView.
 */
import { type Ctx, type FloatArray, pairView, scratch } from './context.ts';

export const LEFT = 0;
export const RIGHT = 1;
export const INNER = 2;

const MAXINT = 0x7fffffff;

export function spfA(ctx: Ctx, a0: number, b0: number, pathID: number, pathType: number, swapped: boolean): number {
  const { A, B, costA, sumA, costB, sumB, D, dRow, DT, dRowT, renUniform, renM, rlA, rlB, sA, sB } = pairView(ctx, swapped);
  const q = ctx.q;
  const fn = ctx.fn;
  const ft = ctx.ft;
  const FNL = fn.length - 1; // sentinel slot of fn
  const labA = A.label, labB = B.label;
  const Asizes = A.sizes, Bsizes = B.sizes;
  const Aparents = A.parents, Bparents = B.parents;
  const ApreL_to_preR = A.preL_to_preR, BpreL_to_preR = B.preL_to_preR;
  const ApreR_to_preL = A.preR_to_preL, BpreR_to_preL = B.preR_to_preL;
  const uniform = renM === null;
  const renMat = renM ?? new Float64Array(0);

  const subtreeSize1 = Asizes[a0];
  const subtreeSize2 = Bsizes[b0];
  const SW = subtreeSize2 + 1; // row stride of s and t
  // s[(node of F - offset) * SW + (node of G - offset)]: forest distances of the current step.
  // t[(lG - it2PreLoff) * SW + (rG - it2PreRoff)]: distances of G forests against the path subtree.
  const s = scratch(ctx, 's', (subtreeSize1 + 1) * SW);
  const t = scratch(ctx, 't', SW * SW);
  // tT is t transposed: the left part walks t by column, so it reads this copy by row.
  const tT = scratch(ctx, 'tT', SW * SW);
  s.fill(0, 0, (subtreeSize1 + 1) * SW);
  t.fill(0, 0, SW * SW);
  tT.fill(0, 0, SW * SW);

  let currentForestSize1 = 0;
  let currentForestSize2 = 0;
  let tmpForestSize1 = 0;
  let currentForestCost1 = 0;
  let currentForestCost2 = 0;
  let tmpForestCost1 = 0;
  let minCost = -1;
  let sp1 = 0, sp2 = 0, sp3 = 0;
  let startPathNode = -1;
  let endPathNode = pathID;
  let it1PreLoff = endPathNode;
  const it2PreLoff = b0;
  let it1PreRoff = ApreL_to_preR[endPathNode];
  const it2PreRoff = BpreL_to_preR[it2PreLoff];
  let counter = 0;

  // Loop A [TODS 2015, Algorithm 3]: walk up the path.
  while (endPathNode >= a0) {
    it1PreLoff = endPathNode;
    it1PreRoff = ApreL_to_preR[endPathNode];
    let rFlast = -1;
    let lFlast = -1;
    const endPathNode_in_preR = ApreL_to_preR[endPathNode];
    const startPathNode_in_preR = startPathNode === -1 ? MAXINT : ApreL_to_preR[startPathNode];
    const parent_of_endPathNode = Aparents[endPathNode];
    const parent_of_endPathNode_in_preR = parent_of_endPathNode === -1 ? MAXINT : ApreL_to_preR[parent_of_endPathNode];
    const leftPart = startPathNode - endPathNode > 1;
    const rightPart = startPathNode >= 0 && startPathNode_in_preR - endPathNode_in_preR > 1;

    // Nodes to the left of the path.
    if (pathType === RIGHT || (pathType === INNER && leftPart)) {
      let rFfirst: number, lFfirst: number;
      if (startPathNode === -1) {
        rFfirst = endPathNode_in_preR;
        lFfirst = endPathNode;
      } else {
        rFfirst = startPathNode_in_preR;
        lFfirst = startPathNode - 1;
      }
      if (!rightPart) rFlast = endPathNode_in_preR;
      const rGlast = BpreL_to_preR[b0];
      const rGfirst = rGlast + subtreeSize2 - 1;
      lFlast = rightPart ? endPathNode + 1 : endPathNode;
      fn[FNL] = -1;
      for (let i = b0; i < b0 + subtreeSize2; i++) {
        fn[i] = -1;
        ft[i] = -1;
      }
      tmpForestSize1 = currentForestSize1;
      tmpForestCost1 = currentForestCost1;
      // Loop B: for all nodes of G, right to left.
      for (let rG = rGfirst; rG >= rGlast; rG--) {
        const lGfirst = BpreR_to_preL[rG];
        const rG_in_preL = BpreR_to_preL[rG];
        const rGminus1_in_preL = rG <= BpreL_to_preR[b0] ? MAXINT : BpreR_to_preL[rG - 1];
        const parent_of_rG_in_preL = Bparents[rG_in_preL];
        let lGlast: number;
        if (pathType === RIGHT) {
          lGlast = lGfirst === b0 || rGminus1_in_preL !== parent_of_rG_in_preL ? lGfirst : Bparents[lGfirst] + 1;
        } else {
          lGlast = lGfirst === b0 ? lGfirst : b0 + 1;
        }
        updateFn(fn, FNL, B.preL_to_ln[lGfirst], lGfirst, b0);
        updateFt(fn, ft, B.preL_to_ln[lGfirst], lGfirst);
        let rF = rFfirst;
        const tTRow = (rG - it2PreRoff) * SW;
        currentForestSize1 = tmpForestSize1;
        currentForestCost1 = tmpForestCost1;
        // Loop C: for all nodes left of the path node.
        for (let lF = lFfirst; lF >= lFlast; lF--) {
          if (lF === lFlast && !rightPart) rF = rFlast;
          const delLF = costA[lF];
          currentForestSize1++;
          currentForestCost1 += delLF;
          currentForestSize2 = Bsizes[lGfirst];
          currentForestCost2 = sumB[lGfirst];
          const lF_in_preR = ApreL_to_preR[lF];
          const fForestIsTree = lF_in_preR === rF;
          const lFSubtreeSize = Asizes[lF];
          const lFIsConsecutiveNodeOfCurrentPathNode = startPathNode - lF === 1;
          const lFIsLeftSiblingOfCurrentPathNode = lF + lFSubtreeSize === startPathNode;
          const sp1row = (lF + 1 - it1PreLoff) * SW;
          const sp2row = (lF - it1PreLoff) * SW;
          let sp3row = 0;
          const writeRow = (lF - it1PreLoff) * SW;
          const deltaRowLF = lF * dRow;
          let sp1source = 1;
          let sp3source = 1;
          if (fForestIsTree) {
            if (lFSubtreeSize === 1) sp1source = 3;
            else if (lFIsConsecutiveNodeOfCurrentPathNode) sp1source = 2;
            sp3 = 0;
            sp3source = 2;
          } else {
            if (lFIsConsecutiveNodeOfCurrentPathNode) sp1source = 2;
            sp3 = currentForestCost1 - sumA[lF];
            if (lFIsLeftSiblingOfCurrentPathNode) sp3source = 3;
          }
          if (sp3source === 1) sp3row = (lF + lFSubtreeSize - it1PreLoff) * SW;
          let lG = lGfirst;
          // First node of Loop D.
          switch (sp1source) {
            case 1: sp1 = s[sp1row + lG - it2PreLoff]; break;
            case 2: sp1 = tT[tTRow + lG - it2PreLoff]; break;
            case 3: sp1 = currentForestCost2; break;
          }
          sp1 += delLF;
          minCost = sp1;
          sp2 = currentForestSize2 === 1 ? currentForestCost1 : q[lF];
          sp2 += costB[lG];
          if (sp2 < minCost) minCost = sp2;
          if (sp3 < minCost) {
            sp3 += D[deltaRowLF + lG];
            if (sp3 < minCost) {
              sp3 += (uniform ? (labA[lF] === labB[lG] ? 0 : renUniform) : renMat[rlA[lF] * sA + rlB[lG] * sB]);
              if (sp3 < minCost) minCost = sp3;
            }
          }
          s[writeRow + lG - it2PreLoff] = minCost;
          lG = ft[lG];
          counter++;
          // Loop D: for all nodes of G left of rG.
          while (lG >= lGlast) {
            currentForestSize2++;
            currentForestCost2 += costB[lG];
            switch (sp1source) {
              case 1: sp1 = s[sp1row + lG - it2PreLoff] + delLF; break;
              case 2: sp1 = tT[tTRow + lG - it2PreLoff] + delLF; break;
              case 3: sp1 = currentForestCost2 + delLF; break;
            }
            sp2 = s[sp2row + fn[lG] - it2PreLoff] + costB[lG];
            minCost = sp1;
            if (sp2 < minCost) minCost = sp2;
            sp3 = D[deltaRowLF + lG];
            if (sp3 < minCost) {
              switch (sp3source) {
                case 1: sp3 += s[sp3row + fn[lG + Bsizes[lG] - 1] - it2PreLoff]; break;
                case 2: sp3 += currentForestCost2 - sumB[lG]; break;
                case 3: sp3 += tT[tTRow + fn[lG + Bsizes[lG] - 1] - it2PreLoff]; break;
              }
              if (sp3 < minCost) {
                sp3 += (uniform ? (labA[lF] === labB[lG] ? 0 : renUniform) : renMat[rlA[lF] * sA + rlB[lG] * sB]);
                if (sp3 < minCost) minCost = sp3;
              }
            }
            s[writeRow + lG - it2PreLoff] = minCost;
            lG = ft[lG];
            counter++;
          }
        }
        if (rGminus1_in_preL === parent_of_rG_in_preL) {
          if (!rightPart) {
            if (leftPart) {
              setDist(D, dRow, DT, dRowT, endPathNode, parent_of_rG_in_preL, s[(lFlast + 1 - it1PreLoff) * SW + rGminus1_in_preL + 1 - it2PreLoff]);
            }
            if (endPathNode > 0 && endPathNode === parent_of_endPathNode + 1 && endPathNode_in_preR === parent_of_endPathNode_in_preR + 1) {
              setDist(D, dRow, DT, dRowT, parent_of_endPathNode, parent_of_rG_in_preL, s[(lFlast - it1PreLoff) * SW + rGminus1_in_preL + 1 - it2PreLoff]);
            }
          }
          for (let lF = lFfirst; lF >= lFlast; lF--) {
            q[lF] = s[(lF - it1PreLoff) * SW + parent_of_rG_in_preL + 1 - it2PreLoff];
          }
        }
        const lastRowL = (lFlast - it1PreLoff) * SW;
        for (let lG = lGfirst; lG >= lGlast; lG = ft[lG]) {
          const x = s[lastRowL + lG - it2PreLoff];
          t[(lG - it2PreLoff) * SW + rG - it2PreRoff] = x;
          tT[tTRow + lG - it2PreLoff] = x;
        }
      }
    }

    // Nodes to the right of the path.
    if (pathType === LEFT || (pathType === INNER && rightPart) || (pathType === INNER && !leftPart && !rightPart)) {
      let lFfirst: number, rFfirst: number;
      if (startPathNode === -1) {
        lFfirst = endPathNode;
        rFfirst = ApreL_to_preR[endPathNode];
      } else {
        rFfirst = ApreL_to_preR[startPathNode] - 1;
        lFfirst = endPathNode + 1;
      }
      lFlast = endPathNode;
      const lGlast = b0;
      const lGfirst = lGlast + subtreeSize2 - 1;
      rFlast = ApreL_to_preR[endPathNode];
      fn[FNL] = -1;
      for (let i = b0; i < b0 + subtreeSize2; i++) {
        fn[i] = -1;
        ft[i] = -1;
      }
      tmpForestSize1 = currentForestSize1;
      tmpForestCost1 = currentForestCost1;
      // Loop B': for all nodes of G, in decreasing preL.
      for (let lG = lGfirst; lG >= lGlast; lG--) {
        const rGfirst = BpreL_to_preR[lG];
        updateFn(fn, FNL, B.preR_to_ln[rGfirst], rGfirst, BpreL_to_preR[b0]);
        updateFt(fn, ft, B.preR_to_ln[rGfirst], rGfirst);
        let lF = lFfirst;
        const lGminus1_in_preR = lG <= b0 ? MAXINT : BpreL_to_preR[lG - 1];
        const parent_of_lG = Bparents[lG];
        const parent_of_lG_in_preR = parent_of_lG === -1 ? -1 : BpreL_to_preR[parent_of_lG];
        currentForestSize1 = tmpForestSize1;
        currentForestCost1 = tmpForestCost1;
        let rGlast: number;
        if (pathType === LEFT) {
          if (lG === b0) rGlast = rGfirst;
          else if (B.childList[B.childStart[parent_of_lG]] !== lG) rGlast = rGfirst;
          else rGlast = BpreL_to_preR[parent_of_lG] + 1;
        } else {
          rGlast = rGfirst === BpreL_to_preR[b0] ? rGfirst : BpreL_to_preR[b0];
        }
        const tRow = (lG - it2PreLoff) * SW;
        // Loop C': for all nodes right of the path node.
        for (let rF = rFfirst; rF >= rFlast; rF--) {
          if (rF === rFlast) lF = lFlast;
          const rF_in_preL = ApreR_to_preL[rF];
          const delRF = costA[rF_in_preL];
          currentForestSize1++;
          currentForestCost1 += delRF;
          currentForestSize2 = Bsizes[lG];
          currentForestCost2 = sumB[lG];
          const rFSubtreeSize = Asizes[rF_in_preL];
          let rFIsConsecutiveNodeOfCurrentPathNode = false;
          let rFIsRightSiblingOfCurrentPathNode = false;
          if (startPathNode > 0) {
            rFIsConsecutiveNodeOfCurrentPathNode = startPathNode_in_preR - rF === 1;
            rFIsRightSiblingOfCurrentPathNode = rF + rFSubtreeSize === startPathNode_in_preR;
          }
          const fForestIsTree = rF_in_preL === lF;
          const sp1row = (rF + 1 - it1PreRoff) * SW;
          const sp2row = (rF - it1PreRoff) * SW;
          let sp3row = 0;
          const writeRow = (rF - it1PreRoff) * SW;
          const deltaRowRF = rF_in_preL * dRow;
          let sp1source = 1;
          let sp3source = 1;
          if (fForestIsTree) {
            if (rFSubtreeSize === 1) sp1source = 3;
            else if (rFIsConsecutiveNodeOfCurrentPathNode) sp1source = 2;
            sp3 = 0;
            sp3source = 2;
          } else {
            if (rFIsConsecutiveNodeOfCurrentPathNode) sp1source = 2;
            sp3 = currentForestCost1 - sumA[rF_in_preL];
            if (rFIsRightSiblingOfCurrentPathNode) sp3source = 3;
          }
          if (sp3source === 1) sp3row = (rF + rFSubtreeSize - it1PreRoff) * SW;
          sp2 = currentForestSize2 === 1 ? currentForestCost1 : q[rF];
          let rG = rGfirst;
          const rGfirst_in_preL = BpreR_to_preL[rGfirst];
          currentForestSize2++;
          switch (sp1source) {
            case 1: sp1 = s[sp1row + rG - it2PreRoff]; break;
            case 2: sp1 = t[tRow + rG - it2PreRoff]; break;
            case 3: sp1 = currentForestCost2; break;
          }
          sp1 += delRF;
          minCost = sp1;
          sp2 += costB[rGfirst_in_preL];
          if (sp2 < minCost) minCost = sp2;
          if (sp3 < minCost) {
            sp3 += D[deltaRowRF + rGfirst_in_preL];
            if (sp3 < minCost) {
              sp3 += (uniform ? (labA[rF_in_preL] === labB[rGfirst_in_preL] ? 0 : renUniform) : renMat[rlA[rF_in_preL] * sA + rlB[rGfirst_in_preL] * sB]);
              if (sp3 < minCost) minCost = sp3;
            }
          }
          s[writeRow + rG - it2PreRoff] = minCost;
          rG = ft[rG];
          counter++;
          // Loop D': for all nodes of G right of lG.
          while (rG >= rGlast) {
            const rG_in_preL = BpreR_to_preL[rG];
            currentForestSize2++;
            currentForestCost2 += costB[rG_in_preL];
            switch (sp1source) {
              case 1: sp1 = s[sp1row + rG - it2PreRoff] + delRF; break;
              case 2: sp1 = t[tRow + rG - it2PreRoff] + delRF; break;
              case 3: sp1 = currentForestCost2 + delRF; break;
            }
            sp2 = s[sp2row + fn[rG] - it2PreRoff] + costB[rG_in_preL];
            minCost = sp1;
            if (sp2 < minCost) minCost = sp2;
            sp3 = D[deltaRowRF + rG_in_preL];
            if (sp3 < minCost) {
              switch (sp3source) {
                case 1: sp3 += s[sp3row + fn[rG + Bsizes[rG_in_preL] - 1] - it2PreRoff]; break;
                case 2: sp3 += currentForestCost2 - sumB[rG_in_preL]; break;
                case 3: sp3 += t[tRow + fn[rG + Bsizes[rG_in_preL] - 1] - it2PreRoff]; break;
              }
              if (sp3 < minCost) {
                sp3 += (uniform ? (labA[rF_in_preL] === labB[rG_in_preL] ? 0 : renUniform) : renMat[rlA[rF_in_preL] * sA + rlB[rG_in_preL] * sB]);
                if (sp3 < minCost) minCost = sp3;
              }
            }
            s[writeRow + rG - it2PreRoff] = minCost;
            rG = ft[rG];
            counter++;
          }
        }
        if (lG > b0 && lG - 1 === parent_of_lG) {
          if (rightPart) {
            setDist(D, dRow, DT, dRowT, endPathNode, parent_of_lG, s[(rFlast + 1 - it1PreRoff) * SW + lGminus1_in_preR + 1 - it2PreRoff]);
          }
          if (endPathNode > 0 && endPathNode === parent_of_endPathNode + 1 && endPathNode_in_preR === parent_of_endPathNode_in_preR + 1) {
            setDist(D, dRow, DT, dRowT, parent_of_endPathNode, parent_of_lG, s[(rFlast - it1PreRoff) * SW + lGminus1_in_preR + 1 - it2PreRoff]);
          }
          for (let rF = rFfirst; rF >= rFlast; rF--) {
            q[rF] = s[(rF - it1PreRoff) * SW + parent_of_lG_in_preR + 1 - it2PreRoff];
          }
        }
        const lastRowR = (rFlast - it1PreRoff) * SW;
        for (let rG = rGfirst; rG >= rGlast; rG = ft[rG]) {
          const x = s[lastRowR + rG - it2PreRoff];
          t[tRow + rG - it2PreRoff] = x;
          tT[(rG - it2PreRoff) * SW + lG - it2PreLoff] = x;
        }
      }
    }
    // Walk up the path by one node.
    startPathNode = endPathNode;
    endPathNode = Aparents[endPathNode];
  }
  ctx.counter += counter;
  return minCost;
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

/** Stores a distance in delta and in its transpose. */
function setDist(D: FloatArray, dRow: number, DT: FloatArray, dRowT: number, a: number, b: number, value: number): void {
  D[a * dRow + b] = value;
  DT[b * dRowT + a] = value;
}
