/**
 * O(T·K²) time, O(T·K) memory.
 *
 * Viterbi decoding: the single most probable hidden-state path for one observation sequence,
 * computed in log space so long sequences cannot underflow. MISSING (-1) observations emit
 * with probability 1 in every state, so the path there follows the transitions alone.
 */
import { encodeSequence, modelTables } from './model.ts';
import type { HmmModel } from './model.ts';

/** The most probable path and its joint log-probability log P(path, obs). */
export type ViterbiResult = { path: number[]; logProb: number };

/**
 * Most probable state path. Ties go to the lower state index, so results are deterministic.
 * Empty `obs` gives `{ path: [], logProb: 0 }`; observations impossible under the model give
 * `logProb: -Infinity` (the path is then arbitrary).
 * @example viterbi(defaultModel, [0, 0, 0, 0]).path // [2, 2, 2, 2] (stuck)
 */
export function viterbi(model: HmmModel, obs: ArrayLike<number>): ViterbiResult {
  const { K, M, start, trans, emit } = modelTables(model, true);
  const o = encodeSequence(obs, M);
  const T = o.length;
  if (T === 0) return { path: [], logProb: 0 };
  // The log emission of each step, then the shared recursion (`viterbiTable`).
  const M1 = M + 1;
  const logB = new Float64Array(T * K);
  for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) logB[t * K + k] = emit[k * M1 + o[t]];
  return viterbiTable(K, start, trans, logB, T);
}

/**
 * @internal Viterbi over a log emission table logB[t*K+k] with log start and flattened log
 * transitions; shared by `viterbi` and `featureViterbi`.
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
