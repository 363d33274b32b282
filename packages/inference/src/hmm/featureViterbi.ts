/**
 * O(T·(K² + K·F)) time, O(T·K) memory.
 *
 * Viterbi decoding for a `FeatureModel`: the most probable state path given a vector of
 * categorical features at each step, in log space. Same conventions as `viterbi`: ties go to
 * the lower state index; a missing feature (-1) carries no evidence.
 */
import { emissionTable, encodeFeatureSequence, validateFeatureModel } from './featureModel.ts';
import type { FeatureModel, FeatureObservation } from './featureModel.ts';
import { viterbiTable, type ViterbiResult } from './viterbi.ts';

/**
 * Most probable path and its joint log-probability. Empty `obs` gives `{ path: [], logProb: 0 }`;
 * impossible observations give `logProb: -Infinity`.
 * @example featureViterbi(model, [[0, 1], [0, -1], [1, 1]]).path
 */
export function featureViterbi(model: FeatureModel, obs: ArrayLike<FeatureObservation>): ViterbiResult {
  validateFeatureModel(model);
  const o = encodeFeatureSequence(obs, model);
  const T = obs.length;
  if (T === 0) return { path: [], logProb: 0 };
  const K = model.states.length;
  const logB = emissionTable(model, o, T, true);
  const start = model.startProb.map(Math.log);
  const trans = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) trans[i * K + j] = Math.log(model.transProb[i][j]);
  return viterbiTable(K, start, trans, logB, T);
}
