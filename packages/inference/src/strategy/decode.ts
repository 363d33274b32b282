/**
 * O(R·(K² + K·F)) for R runs and F features.
 *
 * Decoding a student's analysed runs with a multi-feature strategy model: the observation
 * vectors (`strategyObservations`), Viterbi for the states, forward-backward for the
 * posteriors. A categorical (bucket-only) model goes through `decodeInto` instead.
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

/** Decodes states (Viterbi) and posteriors (forward-backward) of `model` into `x.rows`. */
export function decodeFeaturesInto(x: ObservationInput & { rows: StrategyRow[] }, model: FeatureModel): void {
  const { rows } = x;
  if (rows.length === 0) return;
  const obs = observationsFor(model, x);
  const { path } = featureViterbi(model, obs);
  const { posteriors } = featureForwardBackward(model, obs);
  for (let i = 0; i < rows.length; i++) {
    rows[i].state = path[i] as StrategyStateId;
    const p = posteriors[i];
    rows[i].posterior = [p[0], p[1], p[2]];
  }
}

export { isFeatureModel };
