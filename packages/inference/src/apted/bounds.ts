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

/**
 * String edit distance of two node sequences (ids into t1 / t2) under the pair's costs, computed
 * only within `band` cells of the diagonal (Ukkonen): exact whenever the distance is at most
 * band × the cheapest insertion or deletion, which the caller guarantees.
 */
function sequenceDistance(t1: IndexedTree, t2: IndexedTree, seq1: Int32Array, seq2: Int32Array, c: CostTables, band: number): number {
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
  let prev = new Float64Array(n2 + 1).fill(Infinity);
  let cur = new Float64Array(n2 + 1).fill(Infinity);
  prev[0] = 0;
  for (let j = 1; j <= Math.min(n2, band); j++) prev[j] = prev[j - 1] + cost2[j - 1];
  for (let i = 1; i <= n1; i++) {
    const v = seq1[i - 1];
    const del = c.cost1[v];
    const lo = Math.max(1, i - band);
    const hi = Math.min(n2, i + band);
    // Cells just outside the band read as unreachable.
    cur[lo - 1] = lo === 1 ? prev[0] + del : Infinity;
    if (hi < n2) cur[hi + 1] = Infinity;
    if (uniform) sedRowUniform(prev, cur, lo, hi, del, t1.label[v], c.renUniform, cost2, lab2);
    else sedRowMatrix(prev, cur, lo, hi, del, c.rl1[v] * c.L2, renM, cost2, lab2);
    const t = prev;
    prev = cur;
    cur = t;
  }
  return prev[n2];
}

function sedRowUniform(prev: Float64Array, cur: Float64Array, lo: number, hi: number, del: number, lv: number, ren: number, cost2: Float64Array, lab2: Int32Array): void {
  let left = cur[lo - 1];
  for (let j = lo; j <= hi; j++) {
    const a = prev[j] + del;
    const b = left + cost2[j - 1];
    const d = prev[j - 1] + (lv === lab2[j - 1] ? 0 : ren);
    left = Math.min(Math.min(a, b), d);
    cur[j] = left;
  }
}

function sedRowMatrix(prev: Float64Array, cur: Float64Array, lo: number, hi: number, del: number, row: number, renM: Float64Array, cost2: Float64Array, lab2: Int32Array): void {
  let left = cur[lo - 1];
  for (let j = lo; j <= hi; j++) {
    const a = prev[j] + del;
    const b = left + cost2[j - 1];
    const d = prev[j - 1] + renM[row + lab2[j - 1]];
    left = Math.min(Math.min(a, b), d);
    cur[j] = left;
  }
}

/**
 * max(SED of preorders, SED of postorders) <= TED. Given an upper bound on the distance, the
 * string distances are computed in a band around the diagonal, O(n·band) instead of O(n1·n2).
 */
export function lowerBound(t1: IndexedTree, t2: IndexedTree, c: CostTables, upper = Infinity): number {
  let minIndel = Infinity;
  for (let i = 0; i < c.cost1.length; i++) if (c.cost1[i] < minIndel) minIndel = c.cost1[i];
  for (let i = 0; i < c.cost2.length; i++) if (c.cost2[i] < minIndel) minIndel = c.cost2[i];
  const full = Math.max(t1.size, t2.size);
  // A path that strays k cells off the diagonal pays k insertions or deletions.
  const band = minIndel > 0 && Number.isFinite(upper) ? Math.min(full, Math.floor(upper / minIndel) + 1) : full;
  const byPre = sequenceDistance(t1, t2, identity(t1.size), identity(t2.size), c, band);
  const byPost = sequenceDistance(t1, t2, t1.postL_to_preL, t2.postL_to_preL, c, band);
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
  const { childStart: cs1, childList: cl1 } = t1;
  const { childStart: cs2, childList: cl2 } = t2;
  const lab1 = t1.label, lab2 = t2.label;
  const uniform = c.renM === null;
  const ren = (v: number, w: number): number =>
    uniform ? (lab1[v] === lab2[w] ? 0 : c.renUniform) : c.renM![c.rl1[v] * c.L2 + c.rl2[w]];
  const candidate = (i: number, a0: number, a1: number, j: number, b0: number, b1: number): boolean =>
    lab1[cl1[i]] === lab2[cl2[j]] || i - a0 === j - b0 || a1 - i === b1 - j;
  // Discover the needed pairs, parents before children. The candidate child pairs of pair k are
  // pushed together, in (i, j) order, starting at firstChild[k]; each has one parent pair.
  let pv = new Int32Array(64);
  let pw = new Int32Array(64);
  let firstChild = new Int32Array(64);
  let count = 0;
  const push = (v: number, w: number): void => {
    if (count === pv.length) {
      const grow = (a: Int32Array) => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      pv = grow(pv);
      pw = grow(pw);
      firstChild = grow(firstChild);
    }
    pv[count] = v;
    pw[count] = w;
    count++;
  };
  push(0, 0);
  for (let k = 0; k < count; k++) {
    const v = pv[k], w = pw[k];
    firstChild[k] = count;
    const a0 = cs1[v], a1 = cs1[v + 1], b0 = cs2[w], b1 = cs2[w + 1];
    for (let i = a0; i < a1; i++) {
      for (let j = b0; j < b1; j++) if (candidate(i, a0, a1, j, b0, b1)) push(cl1[i], cl2[j]);
    }
  }
  // Resolve bottom-up (children pairs come later in discovery order): a pair's cost is its
  // rename plus the best alignment of the children, or deleting and inserting both whole.
  const dist = new Float64Array(count);
  let row = new Float64Array(16);
  let prevRow = new Float64Array(16);
  for (let k = count - 1; k >= 0; k--) {
    const v = pv[k], w = pw[k];
    const a0 = cs1[v], a1 = cs1[v + 1], b0 = cs2[w], b1 = cs2[w + 1];
    const m = b1 - b0;
    if (prevRow.length < m + 1) {
      prevRow = new Float64Array(m + 1);
      row = new Float64Array(m + 1);
    }
    prevRow[0] = 0;
    for (let j = 0; j < m; j++) prevRow[j + 1] = prevRow[j] + c.sum2[cl2[b0 + j]];
    let next = firstChild[k];
    for (let i = a0; i < a1; i++) {
      const cv = cl1[i];
      const del = c.sum1[cv];
      const leafV = cs1[cv] === cs1[cv + 1];
      row[0] = prevRow[0] + del;
      for (let j = 0; j < m; j++) {
        const cw = cl2[b0 + j];
        const x = prevRow[j + 1] + del;
        const y = row[j] + c.sum2[cw];
        // A candidate pair: its own distance; two leaves: a rename; else no mapping here.
        const pair = candidate(i, a0, a1, b0 + j, b0, b1) ? dist[next++] : leafV && cs2[cw] === cs2[cw + 1] ? ren(cv, cw) : Infinity;
        row[j + 1] = Math.min(Math.min(x, y), prevRow[j] + pair);
      }
      const t = prevRow;
      prevRow = row;
      row = t;
    }
    const mapped = ren(v, w) + prevRow[m];
    const replaced = c.sum1[v] + c.sum2[w];
    dist[k] = mapped < replaced ? mapped : replaced;
  }
  return dist[0];
}
