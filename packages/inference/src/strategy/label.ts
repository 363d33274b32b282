/**
 * O(K² + K·ΣM_f): constant for a strategy model.
 *
 * Names the states of a learned 3-state FeatureModel by what they emit and puts them in the
 * public order iterator (0), explorer (1), stuck (2), as `labelStates` does for bucket-only
 * models, reading the `edit` feature (else `change`, whose first two symbols also mean "no
 * change" and "one or two nodes"):
 *
 *  1. stuck    = argmax P(symbol 0) + ½·P(symbol 1): re-running, or flipping one value;
 *  2. explorer = of the other two, the larger expected symbol (bigger changes);
 *  3. iterator = the remaining state. Ties go to the lower index.
 */
import { HmmError } from '../hmm/model.ts';
import { validateFeatureModel } from '../hmm/featureModel.ts';
import type { FeatureModel } from '../hmm/featureModel.ts';
import { STRATEGY_STATES } from '../hmm/labelStates.ts';

/**
 * Relabels a 3-state strategy FeatureModel; `permutation[new] = old`. Throws `BAD_SHAPE`
 * without 3 states or without an `edit` or `change` feature.
 * @example labelStrategyStates(fit.model).model.states // ['iterator', 'explorer', 'stuck']
 */
export function labelStrategyStates(model: FeatureModel): { model: FeatureModel; permutation: number[] } {
  validateFeatureModel(model);
  const f = model.features.find((x) => x.name === 'edit') ?? model.features.find((x) => x.name === 'change');
  if (model.states.length !== 3 || !f) throw new HmmError('BAD_SHAPE', 'labelStrategyStates needs 3 states and an edit or change feature');
  const e = f.emitProb;
  const still = (k: number) => e[k][0] + 0.5 * (e[k][1] ?? 0);
  let stuck = 0;
  for (let k = 1; k < 3; k++) if (still(k) > still(stuck)) stuck = k;
  const [a, b] = [0, 1, 2].filter((k) => k !== stuck);
  const mean = (k: number) => e[k].reduce((s, p, m) => s + m * p, 0);
  const explorer = mean(b) > mean(a) ? b : a;
  const iterator = explorer === a ? b : a;
  const permutation = [iterator, explorer, stuck];
  const out: FeatureModel = {
    ...model,
    states: [...STRATEGY_STATES],
    startProb: permutation.map((o) => model.startProb[o]),
    transProb: permutation.map((oi) => permutation.map((oj) => model.transProb[oi][oj])),
    features: model.features.map((x) => ({ name: x.name, symbols: [...x.symbols], emitProb: permutation.map((o) => [...x.emitProb[o]]) })),
  };
  return { model: out, permutation };
}
