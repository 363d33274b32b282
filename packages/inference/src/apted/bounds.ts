/**
 * Cheap exact bounds on the tree edit distance, so that most pairs of consecutive program
 * versions never need the full APTED run:
 *
 * - Lower bound, O(n1·n2) time and O(n2) memory: the string edit distance of the preorder label
 *   sequences, and likewise of the postorder ones. Any tree edit mapping keeps preorder and
 *   postorder order, so it is also an alignment of those strings with the same cost (Guha et
 *   al., "Approximate XML joins", SIGMOD 2002).
 * - Upper bound, O(Σ deg(v)·deg(w)) time over the pairs it visits and a bounded table (at most
 *   `upperBoundBudget(n1, n2)` pairs: never more memory than APTED's own matrices): Selkow's
 *   top-down distance, the cheapest mapping that maps a node only together with its parent
 *   (subtrees are inserted or deleted whole), here further restricted so that two children are
 *   mapped only when their labels are equal, when both are leaves (a field value changed), or
 *   when they stand at the same position from the start or from the end of their lists (a block
 *   changed in place); over the budget, equal labels count only near the diagonal, and past
 *   that only leaves are mapped. It is always a valid edit mapping, so its cost is at least the
 *   distance; the restrictions only keep the pair table small.
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
 * The most pairs the upper bound keeps in its table by default: at most one eighth of n1·n2
 * (the table costs 24 bytes a pair, about twice that while it grows: at most 6 bytes per node
 * pair, below the 8 of APTED's own two 4-byte matrices), at least 4·(n1 + n2) (small trees never
 * feel the cap), and never more than 2^20 pairs (about 50 MB at worst).
 */
export function upperBoundBudget(n1: number, n2: number): number {
  return Math.min(1 << 20, Math.max(4 * (n1 + n2), Math.floor((n1 * n2) / 8)));
}

/** What `upperBoundStats` reports: the bound, the pairs it kept, and how often it had to restrict. */
export type UpperBoundStats = { upper: number; pairs: number; banded: number; unmapped: number };

/**
 * Selkow's top-down distance (restricted) >= TED. Pairs are visited level by level from the
 * roots; only the pairs whose parents are both mapped are ever computed, then resolved
 * bottom-up, iteratively. At most `budget` pairs are kept (see `upperBoundBudget`), so the
 * memory is O(budget + n1 + n2) and the time O(Σ deg(v)·deg(w)) <= O(n1·n2) over the pairs
 * kept, whatever the shapes (two flat 5,000-block scripts: 25 million child pairs, none kept).
 */
export function upperBound(t1: IndexedTree, t2: IndexedTree, c: CostTables, budget?: number): number {
  return upperBoundStats(t1, t2, c, budget).upper;
}

/** Candidate modes of a pair's children (see `candidate` below). */
const FULL = 0x7fffffff;
const NONE = -1;

/**
 * `upperBound` with what it did. Why every result is a valid mapping's cost (hence >= TED):
 *
 * The table resolves, bottom-up, dist(v, w) = min(sum1(v) + sum2(w), ren(v, w) + A(v, w)),
 * where A(v, w) is the cheapest order-preserving alignment of the children of v with those of
 * w in which an aligned child pair (x, y) costs dist(x, y) when (x, y) is a *candidate* (a pair
 * in the table), ren(x, y) when x and y are both leaves, and cannot be aligned otherwise; an
 * unaligned child is deleted or inserted with its whole subtree. By induction from the leaves,
 * dist(v, w) is the cost of an edit mapping between the subtrees of v and w: either nothing is
 * mapped, or v -> w plus, for each aligned child pair, its own mapping (a leaf pair: the
 * one-node mapping x -> y). The union is one-to-one, keeps ancestry (every mapped pair's
 * parents are mapped) and sibling order (the alignment is order-preserving), so it is a valid
 * tree edit mapping, whose cost is at least the distance. Which child pairs are candidates only
 * decides which mappings the minimum ranges over, never whether they are valid, so any rule
 * (including "none", below) gives an upper bound; the budget only chooses the rule:
 *
 * - FULL: two children are candidates when their labels are equal, or they stand at the same
 *   position from the start or from the end of their lists (a block changed in place);
 * - a band of k: the same, but equal labels only within k positions of the start diagonal;
 * - NONE: no candidates (only leaf pairs can be renamed in place).
 *
 * Two leaves are never put in the table: their mapping is a rename, priced on the spot (the
 * alignment also offers deleting one and inserting the other, so min(ren, del + ins) is implied).
 * Each pair's children get FULL if their candidates fit in what is left of the budget, else the
 * widest band that fits, else NONE, so the table never exceeds the budget.
 */
export function upperBoundStats(t1: IndexedTree, t2: IndexedTree, c: CostTables, budgetPairs = upperBoundBudget(t1.size, t2.size)): UpperBoundStats {
  const budget = Math.max(1, Math.floor(budgetPairs));
  const { childStart: cs1, childList: cl1 } = t1;
  const { childStart: cs2, childList: cl2 } = t2;
  const lab1 = t1.label, lab2 = t2.label;
  const uniform = c.renM === null;
  const ren = (v: number, w: number): number =>
    uniform ? (lab1[v] === lab2[w] ? 0 : c.renUniform) : c.renM![c.rl1[v] * c.L2 + c.rl2[w]];
  // leafC1[i]: the node at position i of cl1 is a leaf (likewise leafC2 for cl2).
  const leafC1 = new Uint8Array(cl1.length);
  for (let i = 0; i < cl1.length; i++) leafC1[i] = cs1[cl1[i]] === cs1[cl1[i] + 1] ? 1 : 0;
  const leafC2 = new Uint8Array(cl2.length);
  for (let j = 0; j < cl2.length; j++) leafC2[j] = cs2[cl2[j]] === cs2[cl2[j] + 1] ? 1 : 0;
  // Child i of [a0, a1) and child j of [b0, b1) may be a table pair under `mode` (NONE is -1,
  // FULL is larger than any list). Two leaves never are: `scan` never offers them, and the
  // resolve loop prices them before it asks.
  const candidate = (i: number, a0: number, a1: number, j: number, b0: number, b1: number, mode: number): boolean => {
    if (mode < 0) return false;
    const di = i - a0, dj = j - b0;
    return di === dj || a1 - i === b1 - j || (lab1[cl1[i]] === lab2[cl2[j]] && di - dj <= mode && dj - di <= mode);
  };
  // Discover the needed pairs, parents before children. The candidate child pairs of pair k are
  // pushed together, in (i, j) order, starting at its first child index; each has one parent
  // pair. Pair k is 4 ints of `tab`: v, w, first child, mode.
  let tab = new Int32Array(4 * Math.max(1, Math.min(budget, t1.size + t2.size + 64)));
  let count = 0;
  let banded = 0;
  let unmapped = 0;
  const push = (v: number, w: number): void => {
    if (4 * count === tab.length) {
      const grown = new Int32Array(4 * Math.min(2 * count, budget));
      grown.set(tab);
      tab = grown;
    }
    tab[4 * count] = v;
    tab[4 * count + 1] = w;
    count++;
  };
  // The children of w that are not leaves (positions in cl2): a leaf child of v can only be a
  // table pair with one of these, so lists of leaves cost O(m1 + m2) here, not O(m1·m2).
  let inner2 = new Int32Array(16);
  let innerCount = 0;
  // The table pairs of [a0, a1) x [b0, b1) under `mode`, in (i, j) order: pushed when `store`,
  // else counted, stopping past `limit`.
  const scan = (a0: number, a1: number, b0: number, b1: number, mode: number, store: boolean, limit: number): number => {
    let n = 0;
    for (let i = a0; i < a1; i++) {
      const leaf = leafC1[i] === 1;
      const jn = leaf ? innerCount : b1 - b0;
      const di = i - a0, fromEnd = a1 - i, lv = lab1[cl1[i]];
      for (let x = 0; x < jn; x++) {
        const j = leaf ? inner2[x] : b0 + x;
        const dj = j - b0;
        // candidate(i, a0, a1, j, b0, b1, mode), inlined (mode >= 0 here).
        if (di !== dj && fromEnd !== b1 - j && (lv !== lab2[cl2[j]] || di - dj > mode || dj - di > mode)) continue;
        if (store) push(cl1[i], cl2[j]);
        else if (++n > limit) return n;
      }
    }
    return n;
  };
  push(0, 0);
  for (let k = 0; k < count; k++) {
    const v = tab[4 * k], w = tab[4 * k + 1];
    tab[4 * k + 2] = count;
    const a0 = cs1[v], a1 = cs1[v + 1], b0 = cs2[w], b1 = cs2[w + 1];
    const m1 = a1 - a0, m2 = b1 - b0;
    if (inner2.length < m2) inner2 = new Int32Array(m2);
    innerCount = 0;
    for (let j = b0; j < b1; j++) if (leafC2[j] === 0) inner2[innerCount++] = j;
    const left = budget - count;
    let mode = FULL;
    if (m1 * m2 > left && scan(a0, a1, b0, b1, FULL, false, left) > left) {
      // A band of k holds at most (2k + 1) label matches per child of the shorter list, plus the
      // end diagonal: at most (2k + 2)·min(m1, m2) pairs.
      const short = Math.min(m1, m2);
      mode = Math.floor(left / short / 2) - 1;
      if (mode < 0) {
        mode = NONE;
        unmapped++;
      } else banded++;
    }
    tab[4 * k + 3] = mode;
    if (mode !== NONE) scan(a0, a1, b0, b1, mode, true, 0);
  }
  // Resolve bottom-up (children pairs come later in discovery order): a pair's cost is its
  // rename plus the best alignment of the children, or deleting and inserting both whole.
  const dist = new Float64Array(count);
  let row = new Float64Array(16);
  let prevRow = new Float64Array(16);
  for (let k = count - 1; k >= 0; k--) {
    const v = tab[4 * k], w = tab[4 * k + 1];
    const a0 = cs1[v], a1 = cs1[v + 1], b0 = cs2[w], b1 = cs2[w + 1];
    const m = b1 - b0;
    const mode = tab[4 * k + 3];
    if (prevRow.length < m + 1) {
      prevRow = new Float64Array(m + 1);
      row = new Float64Array(m + 1);
    }
    prevRow[0] = 0;
    for (let j = 0; j < m; j++) prevRow[j + 1] = prevRow[j] + c.sum2[cl2[b0 + j]];
    let next = tab[4 * k + 2];
    const sum2 = c.sum2;
    for (let i = a0; i < a1; i++) {
      const cv = cl1[i];
      const del = c.sum1[cv];
      const leafV = leafC1[i] === 1;
      const di = i - a0, fromEnd = a1 - i, lv = lab1[cv];
      row[0] = prevRow[0] + del;
      for (let j = 0; j < m; j++) {
        const cw = cl2[b0 + j];
        const x = prevRow[j + 1] + del;
        const y = row[j] + sum2[cw];
        // A table pair: its own distance; two leaves: a rename; else no mapping here. (The
        // second test is candidate(i, a0, a1, b0 + j, b0, b1, mode), inlined.)
        const pair = leafV && leafC2[b0 + j] === 1 ? ren(cv, cw)
          : mode >= 0 && (di === j || fromEnd === m - j || (lv === lab2[cw] && di - j <= mode && j - di <= mode)) ? dist[next++]
          : Infinity;
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
  return { upper: dist[0], pairs: count, banded, unmapped };
}
