/**
 * O(1): validated once at import.
 *
 * The default strategy model, shipped as `strategy-model.json` (also exported as
 * `@lmdash/inference/strategy-model.json`): three states over the strategy features, fitted by
 * `scripts/fit-default-model.ts` (HMM.md says how and what each feature means). Deep-frozen
 * because it is shared: use `cloneFeatureModel` to edit it.
 */
import data from './strategy-model.json' with { type: 'json' };
import { HmmError } from '../hmm/model.ts';
import type { FeatureModel } from '../hmm/featureModel.ts';
import { validateStrategyModel } from './decode.ts';

function deepFreeze<T>(x: T): T {
  if (x && typeof x === 'object') {
    for (const v of Object.values(x)) deepFreeze(v);
    Object.freeze(x);
  }
  return x;
}

function load(raw: unknown): FeatureModel {
  validateStrategyModel(raw);
  if (!('features' in raw) || raw.states.join() !== 'iterator,explorer,stuck') {
    throw new HmmError('BAD_SHAPE', 'strategy-model.json: a FeatureModel with states iterator, explorer, stuck');
  }
  return deepFreeze(raw);
}

/** What `computeStrategyStates` decodes with when given no model; deep-frozen. */
export const defaultStrategyModel: FeatureModel = load(data);
