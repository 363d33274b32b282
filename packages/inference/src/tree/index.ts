export { BracketError, node, parseBracket, toBracket, treeDepth, treeEquals, treeSize } from './tree.ts';
export type { Tree } from './tree.ts';
