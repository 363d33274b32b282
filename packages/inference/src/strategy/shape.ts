/**
 * O(n) in the tree size.
 *
 * A program's *shape*: its control structure without its contents. Of the canonical tree
 * (README, "Canonical form") it keeps, per script, the first block (the hat), then every
 * C-block (a block with a statement input: loops, ifs, waits with a body) with its nesting and
 * every My Block definition or call (a block with a `proccode`), and drops values, dropdowns
 * and simple statements. So changing a value or a field, adding, removing or moving a simple
 * statement leaves the shape as it was; wrapping blocks in a loop, unwrapping them, swapping a
 * loop for another, rewriting a script's control flow, extracting a My Block, adding or deleting
 * a script change it. The `structure` strategy feature compares consecutive shapes.
 */
import { textHash } from '../change/hash.ts';
import type { Tree } from '../tree/tree.ts';

/**
 * Statement inputs by name (README rule 5: VEX and Scratch `SUBSTACK…`, Blockly `DO…`, `ELSE`,
 * `STACK`, `HANDLER`); an input holding two blocks or more is a statement input whatever its
 * name (a value input holds exactly one).
 */
const STATEMENT_INPUT = /^(SUBSTACK.*|DO\d*|ELSE|STACK|HANDLER)$/;

const isLeaf = (n: Tree) => n.children.length === 0;

/** The shape text of a block node: empty for a simple statement. Depth is bounded by `maxDepth` (256). */
function blockShape(n: Tree): string {
  let inner = '';
  for (const c of n.children) {
    if (isLeaf(c) || !(STATEMENT_INPUT.test(c.label) || c.children.length > 1)) continue;
    inner += `${c.label}[${c.children.map(blockShape).join('')}]`;
  }
  if (inner !== '') return `${n.label}{${inner}}`;
  const proc = n.children.find((c) => isLeaf(c) && c.label.startsWith('proccode='));
  return proc ? `${n.label}:${proc.label};` : '';
}

/** The shape text of any node above the blocks (program, Scratch targets, scripts). */
function containerShape(n: Tree): string {
  if (n.label === 'script') return `S(${n.children[0]?.label ?? ''}|${n.children.map(blockShape).join('')})`;
  return `${n.label}<${n.children.map(containerShape).join('')}>`;
}

/**
 * A hash of the program's shape: equal for two programs that differ only in values, dropdowns
 * and simple statements.
 * @example programShape(extractAst(a).tree) === programShape(extractAst(b).tree) // b only changed a number
 */
export function programShape(tree: Tree): string {
  return textHash(containerShape(tree));
}

/** The shape text itself, for tests and for people. */
export function programShapeText(tree: Tree): string {
  return containerShape(tree);
}
