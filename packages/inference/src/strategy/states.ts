/**
 * Strategy state ids and names; fixed, public. In a file of their own so that code which only
 * names a state (episodes, prompts) does not load the decoder and APTED with it.
 */
export const ITERATOR = 0;
export const EXPLORER = 1;
export const STUCK = 2;
export type StrategyStateId = 0 | 1 | 2;
export const STATE_NAMES = ['iterator', 'explorer', 'stuck'] as const;
