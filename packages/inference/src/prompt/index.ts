export { renderPseudocode } from './pseudocode.ts';
export { MAX_LISTED_STATES, buildPlaygroundPrompt, summarizeStates } from './playground.ts';
export type { PlaygroundPromptInput, StrategyState } from './playground.ts';
