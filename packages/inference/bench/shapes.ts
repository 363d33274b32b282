/** Tree shapes for the APTED benchmark: random trees and APTED's worst cases. */
import { node, type Tree } from '../src/tree/tree.ts';
export { randomTree, rng } from '../test/oracle.ts';

/** A spine of `n` nodes going down one side, each spine node also holding a leaf on the other. */
export function caterpillar(n: number, side: 'left' | 'right', label: (i: number) => string = (i) => (i % 2 ? 'a' : 'b')): Tree {
  const root = node(label(0));
  let spine = root;
  let count = 1;
  while (count + 2 <= n) {
    const next = node(label(count));
    const leaf = node(label(count + 1));
    spine.children = side === 'left' ? [next, leaf] : [leaf, next];
    spine = next;
    count += 2;
  }
  return root;
}

/** Like a caterpillar, but the spine switches side at every step: the strategy's hardest case. */
export function zigzag(n: number, label: (i: number) => string = (i) => (i % 2 ? 'a' : 'b')): Tree {
  const root = node(label(0));
  let spine = root;
  let count = 1;
  let left = true;
  while (count + 2 <= n) {
    const next = node(label(count));
    const leaf = node(label(count + 1));
    spine.children = left ? [next, leaf] : [leaf, next];
    left = !left;
    spine = next;
    count += 2;
  }
  return root;
}
