/**
 * O(R·(K² + K·F)) for R runs and F features.
 *
 * Decoding a student's analysed runs with a multi-feature strategy model: the observation
 * vectors (`strategyObservations`), forward-backward for the posteriors, and for the states
 * Viterbi or, with `decode: 'posterior'`, each run's most probable state. A categorical
 * (bucket-only) model goes through `decodeInto` instead.
 */
import { featureForwardBackward } from '../hmm/featureForwardBackward.ts';
import { isFeatureModel, validateFeatureModel } from '../hmm/featureModel.ts';
import type { FeatureModel } from '../hmm/featureModel.ts';
import { featureViterbi } from '../hmm/featureViterbi.ts';
import { HmmError, validateModel } from '../hmm/model.ts';
import type { HmmModel } from '../hmm/model.ts';
import type { StrategyRow, StrategyStateId } from './computeStrategyStates.ts';
import { STRATEGY_FEATURES, isStrategyFeature, strategyObservations, type ObservationInput } from './features.ts';

/**
 * A model `computeStrategyStates` decodes with: a categorical HMM over the change buckets (the
 * original kind: `fitBaumWelch` output, hmmlearn exports), or a FeatureModel over strategy features.
 */
export type StrategyModel = HmmModel | FeatureModel;

/**
 * Throws an `HmmError` unless `model` is a usable strategy model: 3 states, and for a
 * FeatureModel only known strategy features, each with its own number of symbols.
 * @example validateStrategyModel(JSON.parse(text))
 */
export function validateStrategyModel(model: unknown): asserts model is StrategyModel {
  if (isFeatureModel(model)) {
    validateFeatureModel(model);
    for (const [i, f] of model.features.entries()) {
      if (!isStrategyFeature(f.name)) throw new HmmError('BAD_SHAPE', `features[${i}]: unknown strategy feature '${f.name}' (known: ${Object.keys(STRATEGY_FEATURES).join(', ')})`);
      const M = STRATEGY_FEATURES[f.name].symbols.length;
      if (f.symbols.length !== M) throw new HmmError('BAD_SHAPE', `features[${i}] '${f.name}' has ${f.symbols.length} symbols; the feature has ${M}`);
    }
  } else validateModel(model);
  if (model.states.length !== 3) throw new HmmError('BAD_SHAPE', `a strategy model has 3 states (iterator, explorer, stuck); got ${model.states.length}`);
}

/** The observation vectors of a student's runs for `model`'s features. */
export function observationsFor(model: FeatureModel, x: ObservationInput): number[][] {
  return strategyObservations(
    x,
    model.features.map((f) => f.name),
  );
}

/** The most probable state; ties go to the lower index (as in Viterbi). */
function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let k = 1; k < p.length; k++) if (p[k] > p[best]) best = k;
  return best;
}

/**
 * The states `computeStrategyStates` gives a sequence of observation vectors under `model`: the
 * Viterbi path, or each step's most probable state when `model.decode` is `posterior`.
 * @example decodeStates(defaultStrategyModel, obs) // [0, 0, 2, 2, 1]
 */
export function decodeStates(model: FeatureModel, obs: readonly (readonly number[])[]): number[] {
  if (obs.length === 0) return [];
  if (model.decode !== 'posterior') return featureViterbi(model, obs).path;
  return featureForwardBackward(model, obs).posteriors.map(argmax);
}

/**
 * Decodes states and posteriors (forward-backward) of `model` into `x.rows`. The states are the
 * Viterbi path, or with `model.decode === 'posterior'` each run's most probable state given the
 * whole sequence (posterior decoding: HMM.md, "Decoding").
 */
export function decodeFeaturesInto(x: ObservationInput & { rows: StrategyRow[] }, model: FeatureModel): void {
  const { rows } = x;
  if (rows.length === 0) return;
  const obs = observationsFor(model, x);
  // Posterior decoding needs no Viterbi pass: each run's state is its most probable one.
  const path = model.decode === 'posterior' ? null : featureViterbi(model, obs).path;
  const { posteriors } = featureForwardBackward(model, obs);
  for (let i = 0; i < rows.length; i++) {
    const p = posteriors[i];
    rows[i].state = (path ? path[i] : argmax(p)) as StrategyStateId;
    rows[i].posterior = [p[0], p[1], p[2]];
  }
}

export { isFeatureModel };
