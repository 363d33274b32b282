/**
 * O(R) parses and comparisons (through the caches) plus O(R·F) for the features.
 *
 * A student's runs as observation vectors of chosen strategy features, without decoding: what
 * Baum-Welch fits on and what log-likelihoods are computed over (the model lab, notebooks).
 */
import { defaultModel } from '../hmm/defaultModel.ts';
import { computeStrategyStates, programFacts, type StrategyOptions, type StrategyRow, type StrategyRun } from './computeStrategyStates.ts';
import { strategyObservations } from './features.ts';

export type ObservedRuns = {
  /** obs[t][f]: run t's symbol of feature `features[f]`, or MISSING (-1). */
  obs: number[][];
  /** The analysed rows (their `state` and `posterior` are those of the bucket-only default model). */
  rows: StrategyRow[];
  /** Pairs whose distance was not available yet (`onMiss`); when > 0, `obs` is not final. */
  pending: number;
};

/**
 * The observation vectors of a student's runs for `features`.
 * @example observeRuns(runsFromEvents(events), ['edit', 'stop']).obs
 */
export function observeRuns(runs: readonly StrategyRun[], features: readonly string[], opts: Omit<StrategyOptions, 'model' | 'keepTrees' | 'keepPrograms' | 'pendingBounds'> = {}): ObservedRuns {
  const { rows, programs, pending } = computeStrategyStates(runs, { ...opts, model: defaultModel, keepPrograms: true });
  const obs = strategyObservations({ rows, runs, programs: programFacts(programs!, features.includes('structure')) }, features);
  return { obs, rows, pending };
}
