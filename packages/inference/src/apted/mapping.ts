/**
 * An optimal edit mapping, traced back from APTED's distance matrix with Zhang–Shasha forest
 * distances: O(n1·n2) memory, O(n1·n2·depth) time on top of the distance [reference:
 * computeEditMapping]. Iterative throughout.
 */
import type { Tree } from '../tree/tree.ts';
import { computeDistances } from './apted.ts';
import { renameCost, releaseRun } from './context.ts';
import type { TedCosts } from './costs.ts';

/** One edit operation. Nodes are named by their left-to-right preorder index (root = 0). */
export type EditOperation =
  | { op: 'match'; from: number; to: number; fromLabel: string; toLabel: string; cost: number }
  | { op: 'rename'; from: number; to: number; fromLabel: string; toLabel: string; cost: number }
  | { op: 'delete'; from: number; fromLabel: string; cost: number }
  | { op: 'insert'; to: number; toLabel: string; cost: number };

export type EditMapping = {
  distance: number;
  /** Sum of the operations' costs; equals `distance` (within float rounding for custom costs). */
  cost: number;
  /** In postorder of the trees. `match` is a rename to an equal label, cost 0 under unit costs. */
  operations: EditOperation[];
};

/**
 * The tree edit distance and an edit mapping that achieves it.
 * @example tedMapping(parseBracket('{a{b}}'), parseBracket('{a{c}}')).operations
 *   // [{ op: 'rename', from: 1, to: 1, fromLabel: 'b', toLabel: 'c', cost: 1 }, { op: 'match', from: 0, ... }]
 */
export function tedMapping(a: Tree, b: Tree, costs?: TedCosts): EditMapping {
  const run = computeDistances(a, b, costs);
  const { t1, t2, n1, n2, delta } = run;
  const cost1 = run.costs.cost1;
  const cost2 = run.costs.cost2;
  const lld1 = t1.postL_to_lld;
  const lld2 = t2.postL_to_lld;
  const pre1 = t1.postL_to_preL;
  const pre2 = t2.postL_to_preL;
  // fd[i * W + j]: forest distance of postorder prefixes, 1-based postorder ids.
  const W = n2 + 1;
  const fd = new Float64Array((n1 + 1) * W);
  const ren = (i: number, j: number) => renameCost(run, pre1[i - 1], pre2[j - 1]);
  const del = (i: number) => cost1[pre1[i - 1]];
  const ins = (j: number) => cost2[pre2[j - 1]];
  // Costs are compared after float arithmetic: allow rounding slack for custom costs.
  const eq = (x: number, y: number) => Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(y));

  const forestDist = (i: number, j: number): void => {
    const li = lld1[i - 1];
    const lj = lld2[j - 1];
    fd[li * W + lj] = 0;
    for (let dj = lj + 1; dj <= j; dj++) fd[li * W + dj] = fd[li * W + dj - 1] + ins(dj);
    for (let di = li + 1; di <= i; di++) {
      fd[di * W + lj] = fd[(di - 1) * W + lj] + del(di);
      for (let dj = lj + 1; dj <= j; dj++) {
        const r = ren(di, dj);
        const x = fd[(di - 1) * W + dj] + del(di);
        const y = fd[di * W + dj - 1] + ins(dj);
        const z = lld1[di - 1] === li && lld2[dj - 1] === lj
          ? fd[(di - 1) * W + dj - 1] + r
          : fd[lld1[di - 1] * W + lld2[dj - 1]] + delta[pre1[di - 1] * n2 + pre2[dj - 1]] + r;
        fd[di * W + dj] = Math.min(x, y, z);
      }
    }
  };

  const ops: EditOperation[] = [];
  const pairs: [number, number][] = [[n1, n2]];
  let rootPair = true;
  forestDist(n1, n2);
  while (pairs.length > 0) {
    const [lastRow, lastCol] = pairs.pop()!;
    if (!rootPair) forestDist(lastRow, lastCol);
    rootPair = false;
    const firstRow = lld1[lastRow - 1];
    const firstCol = lld2[lastCol - 1];
    let row = lastRow;
    let col = lastCol;
    while (row > firstRow || col > firstCol) {
      if (row > firstRow && eq(fd[(row - 1) * W + col] + del(row), fd[row * W + col])) {
        ops.push({ op: 'delete', from: pre1[row - 1], fromLabel: '', cost: del(row) });
        row--;
      } else if (col > firstCol && eq(fd[row * W + col - 1] + ins(col), fd[row * W + col])) {
        ops.push({ op: 'insert', to: pre2[col - 1], toLabel: '', cost: ins(col) });
        col--;
      } else if (lld1[row - 1] === lld1[lastRow - 1] && lld2[col - 1] === lld2[lastCol - 1]) {
        const from = pre1[row - 1];
        const to = pre2[col - 1];
        const c = ren(row, col);
        ops.push({ op: t1.label[from] === t2.label[to] ? 'match' : 'rename', from, to, fromLabel: '', toLabel: '', cost: c });
        row--;
        col--;
      } else {
        pairs.push([row, col]);
        row = lld1[row - 1];
        col = lld2[col - 1];
      }
    }
  }
  // Labels filled in at the end, from the trees in preorder.
  const labels1 = preorderLabels(a);
  const labels2 = preorderLabels(b);
  let cost = 0;
  for (const o of ops) {
    if (o.op !== 'insert') o.fromLabel = labels1[o.from];
    if (o.op !== 'delete') o.toLabel = labels2[o.to];
    cost += o.cost;
  }
  ops.reverse();
  releaseRun(run);
  return { distance: run.result, cost, operations: ops };
}

function preorderLabels(t: Tree): string[] {
  const out: string[] = [];
  const stack: Tree[] = [t];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n.label);
    for (let c = n.children.length - 1; c >= 0; c--) stack.push(n.children[c]);
  }
  return out;
}
