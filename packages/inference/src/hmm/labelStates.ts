/**
 * O(K·(K+M)) with K = 3, M = 5: constant time.
 *
 * Names the states of a learned 3-state model over the change alphabet by what they emit, and
 * permutes them into the fixed public order iterator (0), explorer (1), stuck (2). EM finds
 * states in an arbitrary order; this makes its output comparable with `defaultModel`.
 *
 *  1. stuck    = argmax P(identical) + ½·P(tweak): re-running unchanged code is the clearest
 *                sign; flipping one value counts half, because iterators tweak a lot too.
 *  2. explorer = of the other two, the larger expected change symbol Σ m·P(m), i.e. the one
 *                with more mass on restructure/rewrite.
 *  3. iterator = the remaining state.
 * Ties go to the lower state index, so the result is deterministic.
 */
import { BUCKETS } from '../change/bucket.ts';
import { HmmError, validateModel } from './model.ts';
import type { HmmModel } from './model.ts';

/** The fixed state names, indexed by the public state ids. */
export const STRATEGY_STATES = ['iterator', 'explorer', 'stuck'] as const;

export type LabelledModel = {
  /** The model with states reordered to iterator, explorer, stuck and named so. */
  model: HmmModel;
  /** permutation[newIndex] = old index in the input model. */
  permutation: number[];
};

/**
 * Relabels a 3-state, 5-symbol model; throws `HmmError('BAD_SHAPE')` for any other shape.
 * @example labelStates(fitted).model.states // ['iterator', 'explorer', 'stuck']
 */
export function labelStates(model: HmmModel): LabelledModel {
  validateModel(model);
  const K = model.states.length;
  const M = model.emitProb[0].length;
  if (K !== 3 || M !== BUCKETS.length) {
    throw new HmmError(
      'BAD_SHAPE',
      `labelStates needs 3 states over the ${BUCKETS.length}-symbol change alphabet (got ${K} states, ${M} symbols)`,
    );
  }
  const e = model.emitProb;
  let stuck = 0;
  const stuckScore = (k: number) => e[k][0] + 0.5 * e[k][1];
  for (let k = 1; k < K; k++) if (stuckScore(k) > stuckScore(stuck)) stuck = k;
  const [a, b] = [0, 1, 2].filter((k) => k !== stuck);
  const meanSymbol = (k: number) => e[k].reduce((s, p, m) => s + m * p, 0);
  const explorer = meanSymbol(b) > meanSymbol(a) ? b : a;
  const iterator = explorer === a ? b : a;

  const permutation = [iterator, explorer, stuck];
  const out: HmmModel = {
    states: [...STRATEGY_STATES],
    symbols: model.symbols ? [...model.symbols] : [...BUCKETS],
    startProb: permutation.map((o) => model.startProb[o]),
    transProb: permutation.map((oi) => permutation.map((oj) => model.transProb[oi][oj])),
    emitProb: permutation.map((o) => [...model.emitProb[o]]),
  };
  return { model: out, permutation };
}
