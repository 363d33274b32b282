/**
 * O(n) indexing of a tree into the flat arrays APTED works on (Pawlik & Augsten, TODS 2015,
 * Section 8; Information Systems 2016, Section 5.3). All traversals are iterative.
 *
 * Node ids are left-to-right preorder ids (`preL`) unless a name says otherwise. Labels are
 * interned to integers through a dictionary shared by both trees of a pair, so the algorithms
 * compare integers, never strings.
 */
import type { Tree } from '../tree/tree.ts';

export type IndexedTree = {
  readonly size: number;
  /** preL -> interned label id. */
  readonly label: Int32Array;
  /** preL -> size of the subtree rooted there. */
  readonly sizes: Int32Array;
  /** preL -> parent's preL (-1 for the root). */
  readonly parents: Int32Array;
  /** Children in CSR form: the children of v are childList[childStart[v] .. childStart[v+1]). */
  readonly childStart: Int32Array;
  readonly childList: Int32Array;
  readonly preL_to_preR: Int32Array;
  readonly preR_to_preL: Int32Array;
  readonly preL_to_postL: Int32Array;
  readonly postL_to_preL: Int32Array;
  readonly preL_to_postR: Int32Array;
  readonly postR_to_preL: Int32Array;
  /** postL -> postL of the leftmost leaf descendant. */
  readonly postL_to_lld: Int32Array;
  /** postR -> postR of the rightmost leaf descendant. */
  readonly postR_to_rld: Int32Array;
  /** preL -> preL of the first leaf to the left (in preL order), -1 if none. */
  readonly preL_to_ln: Int32Array;
  /** preR -> preR of the first leaf to the right (in preR order), -1 if none. */
  readonly preR_to_ln: Int32Array;
  /** preL -> 1 if the node is the leftmost child of its parent. */
  readonly nodeType_L: Uint8Array;
  /** preL -> 1 if the node is the rightmost child of its parent. */
  readonly nodeType_R: Uint8Array;
  /** preL -> cost of spfL (left-path keyroot subproblem count) for the subtree. */
  readonly krSum: Float64Array;
  /** preL -> cost of spfR for the subtree. */
  readonly revKrSum: Float64Array;
  /** preL -> cost of spfA for the subtree. */
  readonly descSum: Float64Array;
  /** Number of leaves that are leftmost / rightmost children (picks the strategy traversal). */
  readonly lchl: number;
  readonly rchl: number;
};

/** Interns labels to dense integer ids; one dictionary serves both trees of a pair. */
export class LabelDictionary {
  private readonly ids = new Map<string, number>();
  readonly labels: string[] = [];
  id(label: string): number {
    let id = this.ids.get(label);
    if (id === undefined) {
      id = this.labels.length;
      this.ids.set(label, id);
      this.labels.push(label);
    }
    return id;
  }
  get size(): number {
    return this.labels.length;
  }
}

/** Indexes `tree` for APTED. O(n) time and memory, no recursion. */
export function indexTree(tree: Tree, dict: LabelDictionary): IndexedTree {
  // Pass 1: preorder ids, labels, parents and child lists.
  const nodes: Tree[] = [];
  const parentList: number[] = [];
  {
    const stack: Tree[] = [tree];
    const parentStack: number[] = [-1];
    while (stack.length > 0) {
      const n = stack.pop()!;
      const p = parentStack.pop()!;
      const id = nodes.length;
      nodes.push(n);
      parentList.push(p);
      for (let c = n.children.length - 1; c >= 0; c--) {
        stack.push(n.children[c]);
        parentStack.push(id);
      }
    }
  }
  const n = nodes.length;
  const label = new Int32Array(n);
  const parents = new Int32Array(n);
  const childStart = new Int32Array(n + 1);
  for (let v = 0; v < n; v++) {
    label[v] = dict.id(nodes[v].label);
    parents[v] = parentList[v];
    childStart[v + 1] = childStart[v] + nodes[v].children.length;
  }
  const childList = new Int32Array(n - 1 > 0 ? n - 1 : 0);
  {
    const fill = childStart.slice(0, n);
    for (let v = 1; v < n; v++) childList[fill[parents[v]]++] = v;
  }

  // Pass 2 (children before parents = decreasing preL): sizes and strategy cost sums.
  const sizes = new Int32Array(n);
  const descTotal = new Float64Array(n); // D(v): sum of subtree sizes over v's subtree
  const kSum = new Float64Array(n); // K(v) before adding |F_v|
  const rSum = new Float64Array(n); // R(v) before adding |F_v|
  const krSum = new Float64Array(n);
  const revKrSum = new Float64Array(n);
  const descSum = new Float64Array(n);
  const nodeType_L = new Uint8Array(n);
  const nodeType_R = new Uint8Array(n);
  for (let v = n - 1; v >= 0; v--) {
    let size = 1;
    let d = 0;
    let k = 0;
    let r = 0;
    const from = childStart[v];
    const to = childStart[v + 1];
    for (let i = from; i < to; i++) {
      const c = childList[i];
      size += sizes[c];
      d += descTotal[c];
      k += i === from ? kSum[c] : kSum[c] + sizes[c];
      r += i === to - 1 ? rSum[c] : rSum[c] + sizes[c];
    }
    if (to > from) {
      nodeType_L[childList[from]] = 1;
      nodeType_R[childList[to - 1]] = 1;
    }
    sizes[v] = size;
    descTotal[v] = d + size;
    kSum[v] = k;
    rSum[v] = r;
    krSum[v] = k + size;
    revKrSum[v] = r + size;
    descSum[v] = (size * (size + 3)) / 2 - (d + size);
  }

  // Pass 3: left-to-right postorder, iteratively.
  const preL_to_postL = new Int32Array(n);
  const postL_to_preL = new Int32Array(n);
  {
    let post = 0;
    const stack = new Int32Array(n);
    const next = new Int32Array(n); // index of the next child to visit
    let top = 0;
    stack[top++] = 0;
    next[0] = childStart[0];
    while (top > 0) {
      const v = stack[top - 1];
      if (next[v] < childStart[v + 1]) {
        const c = childList[next[v]++];
        next[c] = childStart[c];
        stack[top++] = c;
      } else {
        top--;
        preL_to_postL[v] = post;
        postL_to_preL[post++] = v;
      }
    }
  }
  // Right-to-left preorder is reversed left-to-right postorder; right-to-left postorder is
  // reversed left-to-right preorder.
  const preL_to_preR = new Int32Array(n);
  const preR_to_preL = new Int32Array(n);
  const preL_to_postR = new Int32Array(n);
  const postR_to_preL = new Int32Array(n);
  for (let v = 0; v < n; v++) {
    const preR = n - 1 - preL_to_postL[v];
    preL_to_preR[v] = preR;
    preR_to_preL[preR] = v;
    preL_to_postR[v] = n - 1 - v;
    postR_to_preL[n - 1 - v] = v;
  }

  // Pass 4: leftmost / rightmost leaf descendants, leaves to the left / right, lchl and rchl.
  const postL_to_lld = new Int32Array(n);
  const postR_to_rld = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let v = postL_to_preL[i];
    postL_to_lld[i] = sizes[v] === 1 ? i : postL_to_lld[preL_to_postL[childList[childStart[v]]]];
    v = postR_to_preL[i];
    postR_to_rld[i] = sizes[v] === 1 ? i : postR_to_rld[preL_to_postR[childList[childStart[v + 1] - 1]]];
  }
  const preL_to_ln = new Int32Array(n);
  const preR_to_ln = new Int32Array(n);
  let lchl = 0;
  let rchl = 0;
  {
    let leaf = -1;
    for (let i = 0; i < n; i++) {
      preL_to_ln[i] = leaf;
      if (sizes[i] === 1) {
        leaf = i;
        const p = parents[i];
        if (p > -1) {
          if (p + 1 === i) lchl++;
          else if (preL_to_preR[p] + 1 === preL_to_preR[i]) rchl++;
        }
      }
    }
    leaf = -1;
    for (let i = 0; i < n; i++) {
      preR_to_ln[i] = leaf;
      if (sizes[preR_to_preL[i]] === 1) leaf = i;
    }
  }

  return {
    size: n, label, sizes, parents, childStart, childList,
    preL_to_preR, preR_to_preL, preL_to_postL, postL_to_preL, preL_to_postR, postR_to_preL,
    postL_to_lld, postR_to_rld, preL_to_ln, preR_to_ln, nodeType_L, nodeType_R,
    krSum, revKrSum, descSum, lchl, rchl,
  };
}

/** preL of the leftmost leaf descendant of v. */
export function preLToLld(t: IndexedTree, v: number): number {
  return t.postL_to_preL[t.postL_to_lld[t.preL_to_postL[v]]];
}

/** preL of the rightmost leaf descendant of v. */
export function preLToRld(t: IndexedTree, v: number): number {
  return t.postR_to_preL[t.postR_to_rld[t.preL_to_postR[v]]];
}
