/**
 * @lmdash/inference: pure, dependency-free learning analytics for block programs.
 *
 * Block AST extraction, the APTED tree edit distance, change scores, a categorical HMM of
 * strategy states (iterator 0, explorer 1, stuck 2), episode segmentation, playground
 * prompts, and the CSV reader for collection manifests. Runs unchanged in Bun, Node >= 20, Deno
 * and browsers.
 * @module
 */
export * from './tree/index.ts';
export * from './apted/index.ts';
export * from './blocks/index.ts';
export * from './change/index.ts';
export * from './hmm/index.ts';
export * from './strategy/index.ts';
export * from './episodes/index.ts';
export * from './prompt/index.ts';
export * from './csv/index.ts';
