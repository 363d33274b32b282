/**
 * Edit-operation costs for the tree edit distance. The default is the unit cost model of the
 * APTED reference (delete 1, insert 1, rename 0 for equal labels and 1 otherwise).
 */
import type { IndexedTree, LabelDictionary } from './indexedTree.ts';

/**
 * Custom costs. A number applies to every node (rename: to every pair of different labels;
 * renaming to an equal label then costs 0). A function is called once per distinct label
 * (or label pair) of the two trees and must return a finite cost >= 0.
 * @example ted(a, b, { rename: (x, y) => (x.split('=')[0] === y.split('=')[0] ? 0.5 : 1) })
 */
export type TedCosts = {
  delete?: number | ((label: string) => number);
  insert?: number | ((label: string) => number);
  rename?: number | ((from: string, to: string) => number);
};

/** The costs resolved against one pair of indexed trees. */
export type CostTables = {
  /** preL of tree 1 -> cost of deleting it; subtree sums. */
  readonly cost1: Float64Array;
  readonly sum1: Float64Array;
  /** preL of tree 2 -> cost of inserting it; subtree sums. */
  readonly cost2: Float64Array;
  readonly sum2: Float64Array;
  /** Rename cost of two different labels when it is uniform; -1 when `renM` holds the costs. */
  readonly renUniform: number;
  /** Rename costs by local label index: renM[rl1[v] * L2 + rl2[w]]. */
  readonly renM: Float64Array | null;
  readonly rl1: Int32Array;
  readonly rl2: Int32Array;
  readonly L2: number;
  /** Every cost is an integer: float32 scratch arrays stay exact (below 2^24). */
  readonly integral: boolean;
};

function checkCost(what: string, value: number, label: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`ted: ${what} cost must be a finite number >= 0, got ${value} for ${JSON.stringify(label)}`);
  }
  return value;
}

function nodeCosts(t: IndexedTree, dict: LabelDictionary, spec: TedCosts['delete'], what: string): [Float64Array, Float64Array] {
  const n = t.size;
  const cost = new Float64Array(n);
  if (spec === undefined || typeof spec === 'number') {
    cost.fill(checkCost(what, spec ?? 1, ''));
  } else {
    const byLabel = new Map<number, number>();
    for (let v = 0; v < n; v++) {
      const l = t.label[v];
      let c = byLabel.get(l);
      if (c === undefined) {
        c = checkCost(what, spec(dict.labels[l]), dict.labels[l]);
        byLabel.set(l, c);
      }
      cost[v] = c;
    }
  }
  const sum = cost.slice();
  for (let v = n - 1; v > 0; v--) sum[t.parents[v]] += sum[v];
  return [cost, sum];
}

function localLabels(t: IndexedTree): [Int32Array, number[]] {
  const local = new Map<number, number>();
  const distinct: number[] = [];
  const rl = new Int32Array(t.size);
  for (let v = 0; v < t.size; v++) {
    let i = local.get(t.label[v]);
    if (i === undefined) {
      i = distinct.length;
      local.set(t.label[v], i);
      distinct.push(t.label[v]);
    }
    rl[v] = i;
  }
  return [rl, distinct];
}

const EMPTY = new Int32Array(0);

export function resolveCosts(t1: IndexedTree, t2: IndexedTree, dict: LabelDictionary, costs: TedCosts = {}): CostTables {
  const [cost1, sum1] = nodeCosts(t1, dict, costs.delete, 'delete');
  const [cost2, sum2] = nodeCosts(t2, dict, costs.insert, 'insert');
  let integral = Number.isInteger(cost1[0]) && Number.isInteger(cost2[0]);
  if (typeof costs.delete === 'function') integral &&= cost1.every(Number.isInteger);
  if (typeof costs.insert === 'function') integral &&= cost2.every(Number.isInteger);
  const rename = costs.rename;
  if (rename === undefined || typeof rename === 'number') {
    const r = checkCost('rename', rename ?? 1, '');
    return { cost1, sum1, cost2, sum2, renUniform: r, renM: null, rl1: EMPTY, rl2: EMPTY, L2: 0, integral: integral && Number.isInteger(r) };
  }
  const [rl1, d1] = localLabels(t1);
  const [rl2, d2] = localLabels(t2);
  const L2 = d2.length;
  const renM = new Float64Array(d1.length * L2);
  for (let i = 0; i < d1.length; i++) {
    for (let j = 0; j < L2; j++) {
      const a = dict.labels[d1[i]];
      const b = dict.labels[d2[j]];
      const c = checkCost('rename', rename(a, b), `${a} -> ${b}`);
      renM[i * L2 + j] = c;
      integral &&= Number.isInteger(c);
    }
  }
  return { cost1, sum1, cost2, sum2, renUniform: -1, renM, rl1, rl2, L2, integral };
}
