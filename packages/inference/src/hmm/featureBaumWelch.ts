/**
 * O(I·N·(K² + K·F)) time for I iterations over N steps in all; O(T_max·K + K·ΣM_f) memory.
 *
 * Baum-Welch (EM) for a `FeatureModel` over many independent sequences, as MAP estimation
 * under Dirichlet priors centred on a prior model: every row θ (start, each transition row,
 * each state's emission row of each feature) gets pseudo-counts
 *
 *   a_j = priorWeight · prior_j + pseudoCount,   θ_j = (expected count_j + a_j) / (row total + Σ a),
 *
 * i.e. the prior model counts as `priorWeight` observations per row, plus a small symmetric
 * `pseudoCount` that keeps every probability off 0. EM then never decreases the log-posterior
 * (up to a constant)
 *
 *   objective(θ) = Σ_sequences log P(seq | θ) + Σ_rows Σ_j a_j · log θ_j   (re-estimated rows),
 *
 * which `history` records. A missing feature (-1) counts toward occupancy and transitions,
 * never toward that feature's emissions.
 */
import { HmmError, MISSING, checkArrayLike } from './model.ts';
import { cloneFeatureModel, emissionTable, encodeFeatureSequence, validateFeatureModel } from './featureModel.ts';
import type { FeatureModel, FeatureObservation } from './featureModel.ts';
import { backwardTable, flatTrans, forwardTable } from './featureForwardBackward.ts';

export type FeatureBaumWelchOptions = {
  /** Stop when an update improves the objective by at most `tol · |objective|`. Default 1e-6. */
  tol?: number;
  /** Most EM updates. Default 200; 0 scores `init`. */
  maxIter?: number;
  /** The model the Dirichlet priors are centred on; same states and features as `init`. Default `init`. */
  prior?: FeatureModel;
  /** How many observations the prior counts for, per row. Default 0 (no prior but `pseudoCount`). */
  priorWeight?: number;
  /** Symmetric pseudo-count added to every expected count. Default 1e-3. */
  pseudoCount?: number;
  /** States whose emission rows (every feature) keep their `init` values. Transitions are still learned. */
  fixStates?: number[];
  /** Called after each update with its number and objective (e.g. a progress line). */
  onIteration?: (iteration: number, objective: number) => void;
};

export type FeatureBaumWelchResult = {
  model: FeatureModel;
  /** Σ log P(seq | model) of the returned model. */
  logLikelihood: number;
  /** Σ a_j · log θ_j of the returned model. */
  logPrior: number;
  iterations: number;
  converged: boolean;
  /** objective of `init` and after each update; non-decreasing up to rounding. */
  history: number[];
};

/**
 * Fits a FeatureModel to many sequences of observation vectors, from `init` (not modified).
 * Empty sequences are ignored; at least one must be non-empty. Names, `name` and `about` are
 * copied from `init`.
 * @example fitFeatureBaumWelch(sequences, model, { prior: model, priorWeight: 20 }).model
 */
export function fitFeatureBaumWelch(
  sequences: readonly ArrayLike<FeatureObservation>[],
  init: FeatureModel,
  opts: FeatureBaumWelchOptions = {},
): FeatureBaumWelchResult {
  validateFeatureModel(init);
  const prior = opts.prior ?? init;
  validateFeatureModel(prior);
  const K = init.states.length;
  const F = init.features.length;
  if (prior.states.length !== K || prior.features.length !== F || prior.features.some((f, i) => f.name !== init.features[i].name || f.symbols.length !== init.features[i].symbols.length)) {
    throw new HmmError('BAD_OPTION', 'prior must have the same states and features (names and symbol counts) as init');
  }
  const tol = opts.tol ?? 1e-6;
  const maxIter = opts.maxIter ?? 200;
  const w = opts.priorWeight ?? 0;
  const pc = opts.pseudoCount ?? 1e-3;
  if (!(tol >= 0) || tol === Infinity) throw new HmmError('BAD_OPTION', `tol must be a finite number ≥ 0 (got ${tol})`);
  if (!Number.isInteger(maxIter) || maxIter < 0) throw new HmmError('BAD_OPTION', `maxIter must be an integer ≥ 0 (got ${maxIter})`);
  if (!(w >= 0) || w === Infinity) throw new HmmError('BAD_OPTION', `priorWeight must be a finite number ≥ 0 (got ${w})`);
  if (!(pc >= 0) || pc === Infinity) throw new HmmError('BAD_OPTION', `pseudoCount must be a finite number ≥ 0 (got ${pc})`);
  const fixed = new Uint8Array(K);
  for (const k of opts.fixStates ?? []) {
    if (!Number.isInteger(k) || k < 0 || k >= K) throw new HmmError('BAD_OPTION', `fixStates: ${k} is not a state index 0..${K - 1}`);
    fixed[k] = 1;
  }
  if (!Array.isArray(sequences)) throw new HmmError('BAD_SHAPE', 'sequences must be an array of observation sequences');
  const encoded: { o: Int32Array; T: number; origin: number }[] = [];
  let maxT = 0;
  sequences.forEach((seq: ArrayLike<FeatureObservation>, s) => {
    if (seq === null || typeof seq !== 'object') checkArrayLike(seq, `sequences[${s}]`);
    if (seq.length === 0) return;
    encoded.push({ o: encodeFeatureSequence(seq, init, `sequences[${s}]`), T: seq.length, origin: s });
    maxT = Math.max(maxT, seq.length);
  });
  if (encoded.length === 0) throw new HmmError('BAD_SHAPE', 'fitFeatureBaumWelch needs at least one non-empty sequence');

  const model = cloneFeatureModel(init);
  // Pseudo-counts a_j of every row, from the prior model.
  const a = (p: number) => w * p + pc;
  // Expected counts, shaped like the model's rows.
  const startC = new Float64Array(K);
  const transC = new Float64Array(K * K);
  const emitC = init.features.map((f) => new Float64Array(K * f.symbols.length));
  // alpha, beta: scaled forward/backward rows of the current sequence; scale[t] its forward sums.
  const alpha = new Float64Array(maxT * K);
  const beta = new Float64Array(maxT * K);
  const scale = new Float64Array(maxT);

  const eStep = (first: boolean): number => {
    startC.fill(0);
    transC.fill(0);
    for (const c of emitC) c.fill(0);
    const trans = flatTrans(model);
    let logL = 0;
    for (const { o, T, origin } of encoded) {
      const b = emissionTable(model, o, T, false);
      const ll = forwardTable(K, model.startProb, trans, b, T, alpha, scale);
      if (ll === -Infinity) throw new HmmError('ZERO_LIKELIHOOD', `sequences[${origin}] is impossible under the ${first ? 'initial' : 'current'} model (likelihood 0)`);
      logL += ll;
      backwardTable(K, trans, b, T, scale, beta);
      for (let t = 0; t < T; t++) {
        const cur = t * K;
        for (let k = 0; k < K; k++) {
          const g = alpha[cur + k] * beta[cur + k]; // P(state_t = k | seq)
          if (t === 0) startC[k] += g;
          for (let f = 0; f < F; f++) {
            const s = o[t * F + f];
            if (s !== MISSING) emitC[f][k * init.features[f].symbols.length + s] += g;
          }
        }
        if (t + 1 < T) {
          const nxt = cur + K;
          const inv = 1 / scale[t + 1];
          for (let i = 0; i < K; i++) {
            const ai = alpha[cur + i] * inv;
            for (let j = 0; j < K; j++) transC[i * K + j] += ai * trans[i * K + j] * b[nxt + j] * beta[nxt + j];
          }
        }
      }
    }
    return logL;
  };

  // Each re-estimated row: its values, its prior row and its counts.
  const rows = (): { value: number[]; prior: number[]; count: Float64Array; from: number }[] => {
    const out = [{ value: model.startProb, prior: prior.startProb, count: startC, from: 0 }];
    for (let i = 0; i < K; i++) out.push({ value: model.transProb[i], prior: prior.transProb[i], count: transC, from: i * K });
    init.features.forEach((feat, f) => {
      const M = feat.symbols.length;
      for (let k = 0; k < K; k++) if (!fixed[k]) out.push({ value: model.features[f].emitProb[k], prior: prior.features[f].emitProb[k], count: emitC[f], from: k * M });
    });
    return out;
  };

  const logPrior = (): number => {
    let s = 0;
    for (const r of rows()) {
      for (let j = 0; j < r.value.length; j++) {
        const aj = a(r.prior[j]);
        if (aj > 0) s += aj * Math.log(r.value[j]);
      }
    }
    return s;
  };

  const mStep = (): void => {
    for (const r of rows()) {
      const n = r.value.length;
      let total = 0;
      for (let j = 0; j < n; j++) total += r.count[r.from + j] + a(r.prior[j]);
      if (!(total > 0)) continue; // no counts and no prior: the objective does not depend on this row
      for (let j = 0; j < n; j++) r.value[j] = (r.count[r.from + j] + a(r.prior[j])) / total;
    }
  };

  let logL = eStep(true);
  let objective = logL + logPrior();
  const history = [objective];
  let iterations = 0;
  let converged = false;
  while (iterations < maxIter) {
    mStep();
    logL = eStep(false);
    const next = logL + logPrior();
    history.push(next);
    iterations++;
    opts.onIteration?.(iterations, next);
    const gain = next - objective;
    objective = next;
    if (!(gain > tol * Math.abs(next))) {
      converged = true;
      break;
    }
  }
  return { model, logLikelihood: logL, logPrior: logPrior(), iterations, converged, history };
}
