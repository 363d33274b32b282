/**
 * O(T·(K² + K·F)) time, O(T·K) memory.
 *
 * Forward-backward for a `FeatureModel`: log P(obs) and the posterior of every state at every
 * step, with Rabiner scaling over the emission table (each forward row renormalised, the
 * backward rows divided by the same constants), so long sequences cannot underflow.
 */
import { HmmError } from './model.ts';
import { emissionTable, encodeFeatureSequence, validateFeatureModel } from './featureModel.ts';
import type { FeatureModel, FeatureObservation } from './featureModel.ts';

export type FeatureForwardBackwardResult = {
  /** log P(obs | model); 0 for an empty sequence. */
  logLikelihood: number;
  /** posteriors[t][k] = P(state_t = k | obs), T×K. */
  posteriors: number[][];
};

/**
 * Log-likelihood and posteriors. Throws `HmmError('ZERO_LIKELIHOOD')` when the observations
 * are impossible under the model.
 * @example featureForwardBackward(model, [[0, 1], [2, -1]]).posteriors[1]
 */
export function featureForwardBackward(model: FeatureModel, obs: ArrayLike<FeatureObservation>): FeatureForwardBackwardResult {
  validateFeatureModel(model);
  const o = encodeFeatureSequence(obs, model);
  const T = obs.length;
  if (T === 0) return { logLikelihood: 0, posteriors: [] };
  const K = model.states.length;
  const b = emissionTable(model, o, T, false);
  const trans = flatTrans(model);
  const alpha = new Float64Array(T * K);
  const beta = new Float64Array(T * K);
  const scale = new Float64Array(T);
  const logLikelihood = forwardTable(K, model.startProb, trans, b, T, alpha, scale);
  if (logLikelihood === -Infinity) throw new HmmError('ZERO_LIKELIHOOD', `obs[${scale.findIndex((c) => !(c > 0))}] is impossible under the model (likelihood 0)`);
  backwardTable(K, trans, b, T, scale, beta);
  const posteriors: number[][] = new Array(T);
  for (let t = 0; t < T; t++) {
    const row = new Array<number>(K);
    for (let k = 0; k < K; k++) row[k] = alpha[t * K + k] * beta[t * K + k];
    posteriors[t] = row;
  }
  return { logLikelihood, posteriors };
}

/** @internal transProb flattened: trans[i*K+j]. */
export function flatTrans(model: { states: string[]; transProb: number[][] }): Float64Array {
  const K = model.states.length;
  const trans = new Float64Array(K * K);
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) trans[i * K + j] = model.transProb[i][j];
  return trans;
}

/**
 * @internal The scaled forward pass over an emission table b[t*K+k] into `alpha` (rows
 * summing to 1: P(state_t | obs[0..t])) and `scale` (scale[t] = P(obs[t] | obs[0..t-1])).
 * Returns log P(obs), or -Infinity when impossible (scale is 0 at the first impossible step).
 */
export function forwardTable(K: number, start: ArrayLike<number>, trans: Float64Array, b: Float64Array, T: number, alpha: Float64Array, scale: Float64Array): number {
  let logL = 0;
  for (let t = 0; t < T; t++) {
    const cur = t * K;
    let c = 0;
    for (let j = 0; j < K; j++) {
      let v: number;
      if (t === 0) v = start[j];
      else {
        v = 0;
        const prev = cur - K;
        for (let i = 0; i < K; i++) v += alpha[prev + i] * trans[i * K + j];
      }
      v *= b[cur + j];
      alpha[cur + j] = v;
      c += v;
    }
    scale[t] = c;
    if (!(c > 0)) return -Infinity;
    const inv = 1 / c;
    for (let j = 0; j < K; j++) alpha[cur + j] *= inv;
    logL += Math.log(c);
  }
  return logL;
}

/** @internal The backward pass with the forward pass's scaling: beta[t*K+k] = P(obs[t+1..] | k) / Π_{s>t} scale[s]. */
export function backwardTable(K: number, trans: Float64Array, b: Float64Array, T: number, scale: Float64Array, beta: Float64Array): void {
  for (let k = 0; k < K; k++) beta[(T - 1) * K + k] = 1;
  for (let t = T - 2; t >= 0; t--) {
    const cur = t * K;
    const nxt = cur + K;
    const inv = 1 / scale[t + 1];
    for (let i = 0; i < K; i++) {
      let v = 0;
      for (let j = 0; j < K; j++) v += trans[i * K + j] * b[nxt + j] * beta[nxt + j];
      beta[cur + i] = v * inv;
    }
  }
}
