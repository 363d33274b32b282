/**
 * Cheap exact bounds on the tree edit distance, so that most pairs of consecutive program
 * versions never need the full APTED run:
 *
 * - Lower bound, O(n1·n2) time and O(n2) memory: the string edit distance of the preorder label
 *   sequences, and likewise of the postorder ones. Any tree edit mapping keeps preorder and
 *   postorder order, so it is also an alignment of those strings with the same cost (Guha et
 *   al., "Approximate XML joins", SIGMOD 2002).
 * - Upper bound, O(Σ deg(v)·deg(w)) over the pairs it visits: Selkow's top-down distance, the
 *   cheapest mapping that maps a node only together with its parent (subtrees are inserted or
 *   deleted whole), here further restricted so that two children are mapped only when their
 *   labels are equal, when both are leaves (a field value changed), or when they stand at the
 *   same position from the start or from the end of their lists (a block changed in place). It is a valid edit mapping, so its cost is at least
 *   the distance; the restriction only keeps the pair table small.
 *
 * When the two bounds meet, their common value is the distance, exactly. For small edits (a
 * value changed, a block inserted or removed) they nearly always meet.
 */
import type { CostTables } from './costs.ts';
import type { IndexedTree } from './indexedTree.ts';

/** String edit distance of two node sequences (ids into t1 / t2) under the pair's costs. */
function sequenceDistance(t1: IndexedTree, t2: IndexedTree, seq1: Int32Array, seq2: Int32Array, c: CostTables): number {
  const n1 = seq1.length;
  const n2 = seq2.length;
  // Everything the inner loop needs, laid out in sequence order.
  const cost2 = new Float64Array(n2);
  const lab2 = new Int32Array(n2);
  const uniform = c.renM === null;
  for (let j = 0; j < n2; j++) {
    cost2[j] = c.cost2[seq2[j]];
    lab2[j] = uniform ? t2.label[seq2[j]] : c.rl2[seq2[j]];
  }
  const renM = c.renM ?? new Float64Array(0);
  let prev = new Float64Array(n2 + 1);
  let cur = new Float64Array(n2 + 1);
  for (let j = 1; j <= n2; j++) prev[j] = prev[j - 1] + cost2[j - 1];
  for (let i = 0; i < n1; i++) {
    const v = seq1[i];
    const del = c.cost1[v];
    cur[0] = prev[0] + del;
    if (uniform) sedRowUniform(prev, cur, n2, del, t1.label[v], c.renUniform, cost2, lab2);
    else sedRowMatrix(prev, cur, n2, del, c.rl1[v] * c.L2, renM, cost2, lab2);
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[n2];
}

function sedRowUniform(prev: Float64Array, cur: Float64Array, n2: number, del: number, lv: number, ren: number, cost2: Float64Array, lab2: Int32Array): void {
  let left = cur[0];
  for (let j = 1; j <= n2; j++) {
    const a = prev[j] + del;
    const b = left + cost2[j - 1];
    const d = prev[j - 1] + (lv === lab2[j - 1] ? 0 : ren);
    left = a < b ? (a < d ? a : d) : b < d ? b : d;
    cur[j] = left;
  }
}

function sedRowMatrix(prev: Float64Array, cur: Float64Array, n2: number, del: number, row: number, renM: Float64Array, cost2: Float64Array, lab2: Int32Array): void {
  let left = cur[0];
  for (let j = 1; j <= n2; j++) {
    const a = prev[j] + del;
    const b = left + cost2[j - 1];
    const d = prev[j - 1] + renM[row + lab2[j - 1]];
    left = a < b ? (a < d ? a : d) : b < d ? b : d;
    cur[j] = left;
  }
}

/** max(SED of preorders, SED of postorders) <= TED. */
export function lowerBound(t1: IndexedTree, t2: IndexedTree, c: CostTables): number {
  const byPre = sequenceDistance(t1, t2, identity(t1.size), identity(t2.size), c);
  const byPost = sequenceDistance(t1, t2, t1.postL_to_preL, t2.postL_to_preL, c);
  return byPre > byPost ? byPre : byPost;
}

function identity(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/**
 * Selkow's top-down distance >= TED. Pairs are visited level by level from the roots; only the
 * pairs whose parents are both mapped are ever computed, then resolved bottom-up, iteratively.
 * O(n1·n2) memory for the pair table, like APTED itself.
 */
export function upperBound(t1: IndexedTree, t2: IndexedTree, c: CostTables): number {
  const n2 = t2.size;
  const { childStart: cs1, childList: cl1 } = t1;
  const { childStart: cs2, childList: cl2 } = t2;
  const lab1 = t1.label, lab2 = t2.label;
  const uniform = c.renM === null;
  const ren = (v: number, w: number): number =>
    uniform ? (lab1[v] === lab2[w] ? 0 : c.renUniform) : c.renM![c.rl1[v] * c.L2 + c.rl2[w]];
  // dist[v * n2 + w]: top-down distance of a candidate pair (see `candidate`); NaN until discovered.
  const dist = new Float64Array(t1.size * n2).fill(Number.NaN);
  // Discover the needed pairs, parents before children: child pairs of needed pairs, with equal labels.
  let pairs = new Int32Array(64);
  let count = 0;
  const push = (v: number, w: number): void => {
    if (count * 2 + 2 > pairs.length) {
      const grown = new Int32Array(pairs.length * 2);
      grown.set(pairs);
      pairs = grown;
    }
    pairs[count * 2] = v;
    pairs[count * 2 + 1] = w;
    count++;
  };
  push(0, 0);
  dist[0] = 0;
  const candidate = (i: number, a0: number, a1: number, j: number, b0: number, b1: number): boolean =>
    lab1[cl1[i]] === lab2[cl2[j]] || i - a0 === j - b0 || a1 - i === b1 - j;
  for (let k = 0; k < count; k++) {
    const v = pairs[k * 2];
    const w = pairs[k * 2 + 1];
    const a0 = cs1[v], a1 = cs1[v + 1], b0 = cs2[w], b1 = cs2[w + 1];
    for (let i = a0; i < a1; i++) {
      for (let j = b0; j < b1; j++) {
        // Each child pair has exactly one parent pair, so it is discovered once.
        if (candidate(i, a0, a1, j, b0, b1)) push(cl1[i], cl2[j]);
      }
    }
  }
  // Resolve bottom-up: a pair's cost is its rename plus the best alignment of the children.
  let row = new Float64Array(16);
  let prevRow = new Float64Array(16);
  for (let k = count - 1; k >= 0; k--) {
    const v = pairs[k * 2];
    const w = pairs[k * 2 + 1];
    const a0 = cs1[v], a1 = cs1[v + 1];
    const b0 = cs2[w], b1 = cs2[w + 1];
    const m = b1 - b0;
    if (prevRow.length < m + 1) {
      prevRow = new Float64Array(m + 1);
      row = new Float64Array(m + 1);
    }
    prevRow[0] = 0;
    for (let j = 0; j < m; j++) prevRow[j + 1] = prevRow[j] + c.sum2[cl2[b0 + j]];
    for (let i = a0; i < a1; i++) {
      const cv = cl1[i];
      const del = c.sum1[cv];
      const base = cv * n2;
      row[0] = prevRow[0] + del;
      for (let j = 0; j < m; j++) {
        const cw = cl2[b0 + j];
        const x = prevRow[j + 1] + del;
        const y = row[j] + c.sum2[cw];
        // A candidate pair: its own distance; two leaves: a rename; else no mapping here.
        const z = prevRow[j] + (candidate(i, a0, a1, b0 + j, b0, b1) ? dist[base + cw] : cs1[cv] === cs1[cv + 1] && cs2[cw] === cs2[cw + 1] ? ren(cv, cw) : Infinity);
        row[j + 1] = x < y ? (x < z ? x : z) : y < z ? y : z;
      }
      const t = prevRow;
      prevRow = row;
      row = t;
    }
    // Map v to w (its rename plus the children's alignment), or delete one and insert the other whole.
    const mapped = ren(v, w) + prevRow[m];
    const replaced = c.sum1[v] + c.sum2[w];
    dist[v * n2 + w] = mapped < replaced ? mapped : replaced;
  }
  return dist[0];
}
