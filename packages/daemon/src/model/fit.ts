/**
 * Fitting a strategy model to observed runs: Baum-Welch MAP with the starting model as the
 * prior (it counts for `priorWeight` observations per row), then the states put back in the
 * order iterator, explorer, stuck. A bucket-only model is fitted as a one-feature model over
 * `change`. O(iterations · runs).
 */
import { fitFeatureBaumWelch, isFeatureModel, labelStrategyStates, toFeatureModel, type FeatureBaumWelchResult, type FeatureModel, type StrategyModel } from '@lmdash/inference';

/** The prior's weight in `lmdash model fit` and the folds of `compare`, per row of the model. */
export const DEFAULT_PRIOR_WEIGHT = 10;

export type FitOptions = {
  priorWeight?: number;
  maxIter?: number;
  tol?: number;
  onIteration?: (iteration: number, objective: number) => void;
};

export type FitOutcome = {
  model: FeatureModel;
  fit: FeatureBaumWelchResult;
  /** Whether EM's states had to be reordered to keep their meaning. */
  relabelled: boolean;
};

/** Any strategy model as a FeatureModel (a bucket-only one over the `change` feature). */
export function asFeatureModel(model: StrategyModel): FeatureModel {
  return isFeatureModel(model) ? model : toFeatureModel(model, 'change');
}

/** The feature names a model observes. */
export const featuresOf = (model: StrategyModel): string[] => asFeatureModel(model).features.map((f) => f.name);

/**
 * Fits `init` to `sequences` (observation vectors in `init`'s feature order).
 * @example fitStrategyModel(selectFeatures(data, featuresOf(init)), init).model
 */
export function fitStrategyModel(sequences: readonly number[][][], init: StrategyModel, opts: FitOptions = {}): FitOutcome {
  const start = asFeatureModel(init);
  const fit = fitFeatureBaumWelch(sequences, start, {
    prior: start,
    priorWeight: opts.priorWeight ?? DEFAULT_PRIOR_WEIGHT,
    maxIter: opts.maxIter ?? 500,
    tol: opts.tol ?? 1e-7,
    onIteration: opts.onIteration,
  });
  const { model, permutation } = labelStrategyStates(fit.model);
  return { model, fit, relabelled: permutation.join() !== '0,1,2' };
}
