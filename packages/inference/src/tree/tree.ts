/**
 * Ordered labelled trees, the common currency of the package, and the bracket notation
 * (`{a{b}{c}}`) used by the APTED reference tests. Every walk here is iterative, so a
 * 10,000-deep tree (a long `next` chain of blocks) never overflows the call stack.
 */

/** An ordered, labelled tree. `children` are in left-to-right order. */
export type Tree = { label: string; children: Tree[] };

/** Thrown by `parseBracket` on text that is not bracket notation; `offset` is where it went wrong. */
export class BracketError extends Error {
  override readonly name = 'BracketError';
  constructor(message: string, readonly offset: number) {
    super(`${message} at offset ${offset}`);
  }
}

/** Builds a tree node; `children` defaults to none. */
export function node(label: string, children: Tree[] = []): Tree {
  return { label, children };
}

/**
 * Parses bracket notation: `{label child1 child2 ...}`, each child again bracketed.
 * A label is the text between `{` and the next `{` or `}`; `\{`, `\}` and `\\` escape
 * those characters inside a label. Whitespace between nodes is ignored.
 * @example parseBracket('{a{b}{c}}') // a with children b, c
 */
export function parseBracket(text: string): Tree {
  let i = skipSpace(text, 0);
  if (text[i] !== '{') throw new BracketError("expected '{'", i);
  const stack: Tree[] = [];
  let root: Tree | undefined;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '{') {
      if (root && stack.length === 0) throw new BracketError('text after the root node', i);
      i++;
      let label = '';
      while (i < text.length && text[i] !== '{' && text[i] !== '}') {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        label += text[i++];
      }
      const n: Tree = { label, children: [] };
      if (stack.length > 0) stack[stack.length - 1].children.push(n);
      else root = n;
      stack.push(n);
    } else if (ch === '}') {
      if (stack.length === 0) throw new BracketError("unbalanced '}'", i);
      stack.pop();
      i++;
      i = skipSpace(text, i);
    } else {
      throw new BracketError(`unexpected '${ch}'`, i);
    }
  }
  if (stack.length > 0) throw new BracketError(`${stack.length} unclosed '{'`, text.length);
  return root!;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && /\s/.test(text[i])) i++;
  return i;
}

const SPECIAL = /[\\{}]/;

/** Most labels have nothing to escape: the test first (a replace with a callback costs more). */
function escapeLabel(label: string): string {
  return SPECIAL.test(label) ? label.replace(/[\\{}]/g, '\\$&') : label;
}

/** Prints a tree in bracket notation; `parseBracket(toBracket(t))` gives `t` back. */
export function toBracket(tree: Tree): string {
  const out: string[] = [];
  // Stack of pending work: a node to open, or a closing brace.
  const stack: (Tree | null)[] = [tree];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n === null) {
      out.push('}');
      continue;
    }
    out.push('{', escapeLabel(n.label));
    stack.push(null);
    for (let c = n.children.length - 1; c >= 0; c--) stack.push(n.children[c]);
  }
  return out.join('');
}

// Remembered by identity, like treeHash: trees are values.
const sizes = new WeakMap<Tree, number>();

/** The number of nodes in a tree. Do not mutate a tree after measuring it. */
export function treeSize(tree: Tree): number {
  const hit = sizes.get(tree);
  if (hit !== undefined) return hit;
  let size = 0;
  const stack: Tree[] = [tree];
  while (stack.length > 0) {
    const n = stack.pop()!;
    size++;
    for (const c of n.children) stack.push(c);
  }
  sizes.set(tree, size);
  return size;
}

/** The number of nodes on the longest root-to-leaf path (a single node has depth 1). */
export function treeDepth(tree: Tree): number {
  let max = 0;
  const stack: [Tree, number][] = [[tree, 1]];
  while (stack.length > 0) {
    const [n, d] = stack.pop()!;
    if (d > max) max = d;
    for (const c of n.children) stack.push([c, d + 1]);
  }
  return max;
}

/** Structural equality of two trees (labels and child order), iterative. */
export function treeEquals(a: Tree, b: Tree): boolean {
  const stack: [Tree, Tree][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x.label !== y.label || x.children.length !== y.children.length) return false;
    for (let i = 0; i < x.children.length; i++) stack.push([x.children[i], y.children[i]]);
  }
  return true;
}
