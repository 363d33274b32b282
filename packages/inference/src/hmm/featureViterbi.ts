/**
 * O(T·(K² + K·F)) time, O(T·K) memory.
 *
 * Viterbi decoding for a `FeatureModel`: the most probable state path given a vector of
 * categorical features at each step, in log space. Same conventions as `viterbi`: ties go to
 * the lower state index; a missing feature (-1) carries no evidence.
 */
import { emissionTable, encodeFeatureSequence, validateFeatureModel } from './featureModel.ts';
import type { FeatureModel, FeatureObservation } from './featureModel.ts';
import type { ViterbiResult } from './viterbi.ts';

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

/**
 * @internal Viterbi over a log emission table logB[t*K+k] with log start and flattened log
 * transitions; shared by `featureViterbi` and `decodeStrategy`.
 */
export function viterbiTable(K: number, start: ArrayLike<number>, trans: Float64Array, logB: Float64Array, T: number): ViterbiResult {
  // delta[t*K+k] = max over paths ending in k at t of log P(path, obs[0..t])
  const delta = new Float64Array(T * K);
  // back[t*K+k] = the state at t-1 on that best path
  const back = new Int32Array(T * K);
  for (let k = 0; k < K; k++) delta[k] = start[k] + logB[k];
  for (let t = 1; t < T; t++) {
    const prev = (t - 1) * K;
    const cur = t * K;
    for (let j = 0; j < K; j++) {
      let best = delta[prev] + trans[j];
      let arg = 0;
      for (let i = 1; i < K; i++) {
        const v = delta[prev + i] + trans[i * K + j];
        if (v > best) {
          best = v;
          arg = i;
        }
      }
      delta[cur + j] = best + logB[cur + j];
      back[cur + j] = arg;
    }
  }
  const last = (T - 1) * K;
  let state = 0;
  for (let k = 1; k < K; k++) if (delta[last + k] > delta[last + state]) state = k;
  const logProb = delta[last + state];
  const path = new Array<number>(T);
  for (let t = T - 1; t >= 0; t--) {
    path[t] = state;
    state = back[t * K + state];
  }
  return { path, logProb };
}
