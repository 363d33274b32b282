/**
 * Content hashes of canonical trees: two independent 53-bit string hashes (cyrb53 with two
 * seeds) of the bracket text, so a cache keyed by them confuses two different programs with a
 * probability around 2^-100. O(n) in the tree size.
 */
import { toBracket, type Tree } from '../tree/tree.ts';

function cyrb53(text: string, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** A short content hash of a string (two seeds of cyrb53 and the length): equal texts, equal hashes. */
export function textHash(text: string): string {
  return cyrb53(text, 0).toString(36) + '.' + cyrb53(text, 0x9e3779b9).toString(36) + '.' + text.length.toString(36);
}

// Trees are values: once hashed, a tree object is not expected to change, so its hash is
// remembered by identity (a re-decode hashes the same cached trees again and again).
const memo = new WeakMap<Tree, string>();

/** A stable content hash of a tree, as a short string (equal trees, equal hashes). Do not mutate a tree after hashing it. */
export function treeHash(tree: Tree): string {
  const hit = memo.get(tree);
  if (hit !== undefined) return hit;
  const hash = textHash(toBracket(tree));
  memo.set(tree, hash);
  return hash;
}
