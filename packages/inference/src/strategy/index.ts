export { EXPLORER, ITERATOR, STATE_NAMES, STUCK, computeStrategyStates, decodeInto } from './computeStrategyStates.ts';
export type { StrategyOptions, StrategyResult, StrategyRow, StrategyRun, StrategyStateId } from './computeStrategyStates.ts';
