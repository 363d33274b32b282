/**
 * O(I·N·K²) time for I iterations over N observations in all; O(N + T_max·K + K·M) memory.
 *
 * Baum-Welch (EM) for a categorical HMM over many independent sequences, with a symmetric
 * Dirichlet prior: `pseudoCount` is added to every expected count of start, transition and
 * emission, which makes this MAP-EM. The quantity EM never decreases is therefore the
 * log-posterior up to a constant,
 *
 *   objective(θ) = Σ_sequences log P(seq | θ) + pseudoCount · Σ log θ  (over re-estimated entries),
 *
 * and that is what `history` records (with pseudoCount 0 it is the plain log-likelihood).
 * MISSING (-1) observations count toward state occupancy and transitions, never toward
 * emissions. Each iteration runs, per sequence, the scaled forward pass and a backward pass
 * that accumulates expected counts as it goes, into buffers allocated once: the loops
 * allocate nothing. K = 3 (the strategy model) has an unrolled fast path.
 */
import { scaledForward } from './forwardBackward.ts';
import { HmmError, checkArrayLike, encodeObservations, modelTables } from './model.ts';
import type { HmmModel } from './model.ts';

export type BaumWelchOptions = {
  /**
   * Stop when an iteration improves the objective by at most `tol · |objective|` (relative, so
   * the criterion does not depend on how much data there is). Default 1e-6.
   */
  tol?: number;
  /** Maximum number of EM updates. Default 200; 0 just scores `init`. */
  maxIter?: number;
  /** Dirichlet pseudo-count added to every expected count. Default 1e-3; 0 gives plain ML-EM. */
  pseudoCount?: number;
  /**
   * States whose emission rows stay at their `init` values, so they keep their meaning (e.g.
   * pin 'stuck' to the default model's emissions). Their transitions are still learned.
   */
  fixStates?: number[];
};

export type BaumWelchResult = {
  /** The fitted model, with `init`'s state and symbol names. */
  model: HmmModel;
  /** Σ log P(seq | model) of the returned model: the data term only. */
  logLikelihood: number;
  /** pseudoCount · Σ log θ of the returned model (0 when pseudoCount is 0). */
  logPrior: number;
  /** EM updates performed. */
  iterations: number;
  /** Whether the `tol` criterion was met before `maxIter`. */
  converged: boolean;
  /**
   * objective = logLikelihood + logPrior of `init` and of each update in turn (length
   * iterations + 1). Non-decreasing up to rounding; the last entry belongs to `model`.
   */
  history: number[];
};

/**
 * Fits an HMM to many sequences, starting from `init` (which is not modified).
 * Empty sequences are ignored; at least one must be non-empty. Throws
 * `HmmError('ZERO_LIKELIHOOD')` if a sequence is impossible under `init`.
 * @example fitBaumWelch(sequences, defaultModel, { maxIter: 100 }).model
 */
export function fitBaumWelch(
  sequences: readonly ArrayLike<number>[],
  init: HmmModel,
  opts: BaumWelchOptions = {},
): BaumWelchResult {
  const { K, M, start, trans, emit } = modelTables(init, false);
  const M1 = M + 1;
  const tol = opts.tol ?? 1e-6;
  const maxIter = opts.maxIter ?? 200;
  const pc = opts.pseudoCount ?? 1e-3;
  if (!(tol >= 0) || tol === Infinity) throw new HmmError('BAD_OPTION', `tol must be a finite number ≥ 0 (got ${tol})`);
  if (!Number.isInteger(maxIter) || maxIter < 0) throw new HmmError('BAD_OPTION', `maxIter must be an integer ≥ 0 (got ${maxIter})`);
  if (!(pc >= 0) || pc === Infinity) throw new HmmError('BAD_OPTION', `pseudoCount must be a finite number ≥ 0 (got ${pc})`);
  const fixed = new Uint8Array(K);
  for (const k of opts.fixStates ?? []) {
    if (!Number.isInteger(k) || k < 0 || k >= K) throw new HmmError('BAD_OPTION', `fixStates: ${k} is not a state index 0..${K - 1}`);
    fixed[k] = 1;
  }

  // Concatenate the non-empty sequences so the loops read one Int32Array.
  if (!Array.isArray(sequences)) throw new HmmError('BAD_SHAPE', 'sequences must be an array of observation sequences');
  let total = 0;
  let maxT = 0;
  for (let s = 0; s < sequences.length; s++) {
    checkArrayLike(sequences[s], `sequences[${s}]`);
    total += sequences[s].length;
    maxT = Math.max(maxT, sequences[s].length);
  }
  if (total === 0) throw new HmmError('BAD_SHAPE', 'fitBaumWelch needs at least one non-empty sequence');
  const obs = new Int32Array(total);
  const offsets: number[] = [];
  const lengths: number[] = [];
  const origin: number[] = []; // index into `sequences`, for error messages
  for (let s = 0, off = 0; s < sequences.length; s++) {
    const seq = sequences[s];
    if (seq.length === 0) continue;
    encodeObservations(seq, M, obs, off, `sequences[${s}]`);
    offsets.push(off);
    lengths.push(seq.length);
    origin.push(s);
    off += seq.length;
  }

  // alpha[t*K+k] = P(state_t = k | obs[0..t]) for the current sequence, scale[t] its forward
  // row sum (see scaledForward); sized for the longest sequence and reused for all.
  const alpha = new Float64Array(maxT * K);
  const scale = new Float64Array(maxT);
  // beta2[r*K+k], r = 0/1: two alternating rows of the scaled backward variable (t+1 and t);
  // the counts are accumulated during the backward pass, so no full beta trellis is needed.
  const beta2 = new Float64Array(2 * K);
  const work = new Float64Array(K);
  // Expected counts, layout [start (K) | transitions i→j (K·K) | emissions (K·(M+1))]. The
  // transition block lacks the trans[i][j] factor until the end of the E-step; the emission
  // column M (MISSING) is ignored by the M-step.
  const counts = new Float64Array(K + K * K + K * M1);
  const TR = K;
  const EM = K + K * K;
  const startC = counts.subarray(0, TR);
  const transC = counts.subarray(TR, EM);
  const emitC = counts.subarray(EM);

  const eStep = (first: boolean): number => {
    counts.fill(0);
    let logL = 0;
    for (let s = 0; s < offsets.length; s++) {
      const ll =
        K === 3
          ? sequenceCounts3(M1, start, trans, emit, obs, offsets[s], lengths[s], alpha, scale, counts)
          : sequenceCounts(K, M1, start, trans, emit, obs, offsets[s], lengths[s], alpha, scale, beta2, work, counts);
      if (ll === -Infinity) {
        throw new HmmError(
          'ZERO_LIKELIHOOD',
          `sequences[${origin[s]}] is impossible under the ${first ? 'initial' : 'current'} model (likelihood 0)`,
        );
      }
      logL += ll;
    }
    for (let i = 0; i < K * K; i++) transC[i] *= trans[i];
    return logL;
  };

  const logPrior = (): number => {
    if (pc === 0) return 0; // avoids 0 · log 0
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.log(start[k]);
    for (let i = 0; i < K * K; i++) s += Math.log(trans[i]);
    for (let k = 0; k < K; k++) {
      if (fixed[k]) continue;
      for (let m = 0; m < M; m++) s += Math.log(emit[k * M1 + m]);
    }
    return pc * s;
  };

  // MAP re-estimation: θ = (count + pc) / (row total + n·pc). A row with no expected counts
  // (possible only when pc = 0) keeps its value: the objective does not depend on it.
  const mStep = (): void => {
    normaliseInto(startC, 0, K, pc, start, 0);
    for (let i = 0; i < K; i++) normaliseInto(transC, i * K, K, pc, trans, i * K);
    for (let k = 0; k < K; k++) if (!fixed[k]) normaliseInto(emitC, k * M1, M, pc, emit, k * M1);
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
    const gain = next - objective;
    objective = next;
    if (!(gain > tol * Math.abs(next))) {
      converged = true;
      break;
    }
  }

  const model: HmmModel = {
    states: [...init.states],
    startProb: Array.from(start),
    transProb: Array.from({ length: K }, (_, i) => Array.from(trans.subarray(i * K, i * K + K))),
    emitProb: Array.from({ length: K }, (_, k) => Array.from(emit.subarray(k * M1, k * M1 + M))),
  };
  if (init.symbols) model.symbols = [...init.symbols];
  return { model, logLikelihood: logL, logPrior: logPrior(), iterations, converged, history };
}

function normaliseInto(counts: Float64Array, from: number, n: number, pc: number, out: Float64Array, to: number): void {
  let sum = 0;
  for (let j = 0; j < n; j++) sum += counts[from + j];
  const denom = sum + n * pc;
  if (!(denom > 0)) return;
  for (let j = 0; j < n; j++) out[to + j] = (counts[from + j] + pc) / denom;
}

/**
 * @internal Adds one sequence's expected counts to `counts` (layout as in `fitBaumWelch`, the
 * transition block without its trans[i][j] factor) and returns its log-likelihood, or -Infinity
 * if it is impossible (counts then untouched). Any K: the scaled forward pass, then a backward
 * pass that accumulates as it goes, using
 *   gamma_t(i) = alpha_t(i)·beta_t(i),
 *   xi_t(i,j)  = alpha_t(i) · trans[i][j] · P(obs[t+1] | j) · beta_{t+1}(j) / scale[t+1].
 */
export function sequenceCounts(
  K: number,
  M1: number,
  start: Float64Array,
  trans: Float64Array,
  emit: Float64Array,
  o: Int32Array,
  off: number,
  T: number,
  alpha: Float64Array,
  scale: Float64Array,
  beta2: Float64Array,
  work: Float64Array,
  counts: Float64Array,
): number {
  const logL = scaledForward(K, M1, start, trans, emit, o, off, T, alpha, scale);
  if (logL === -Infinity) return logL;
  const TR = K;
  const EM = K + K * K;
  let nb = 0; // beta2 row holding beta_{t+1}
  const last = (T - 1) * K;
  const oLast = o[off + T - 1];
  for (let k = 0; k < K; k++) {
    beta2[k] = 1;
    counts[EM + k * M1 + oLast] += alpha[last + k]; // gamma_{T-1} = alpha_{T-1}
  }
  for (let t = T - 2; t >= 0; t--) {
    const cur = t * K;
    const on = o[off + t + 1];
    const ot = o[off + t];
    const ic = 1 / scale[t + 1];
    const cb = K - nb; // the other row, receiving beta_t
    // work[j] = P(obs[t+1] | j) · beta_{t+1}(j) / scale[t+1]: shared by beta_t and xi_t
    for (let j = 0; j < K; j++) work[j] = emit[j * M1 + on] * beta2[nb + j] * ic;
    for (let i = 0; i < K; i++) {
      const a = alpha[cur + i];
      const r = i * K;
      let b = 0;
      for (let j = 0; j < K; j++) {
        const w = work[j];
        b += trans[r + j] * w;
        counts[TR + r + j] += a * w;
      }
      beta2[cb + i] = b;
      counts[EM + i * M1 + ot] += a * b;
    }
    nb = cb;
  }
  for (let k = 0; k < K; k++) counts[k] += alpha[k] * beta2[nb + k];
  return logL;
}

/**
 * @internal `sequenceCounts` unrolled for K = 3, the strategy model: the state lives in locals
 * instead of typed-array slots, about twice as fast. Must stay equal to `sequenceCounts`
 * (tested to 1e-12).
 */
export function sequenceCounts3(
  M1: number,
  start: Float64Array,
  trans: Float64Array,
  emit: Float64Array,
  o: Int32Array,
  off: number,
  T: number,
  alpha: Float64Array,
  scale: Float64Array,
  counts: Float64Array,
): number {
  const t00 = trans[0], t01 = trans[1], t02 = trans[2];
  const t10 = trans[3], t11 = trans[4], t12 = trans[5];
  const t20 = trans[6], t21 = trans[7], t22 = trans[8];
  const e1 = M1;
  const e2 = 2 * M1;

  const o0 = o[off];
  let a0 = start[0] * emit[o0];
  let a1 = start[1] * emit[e1 + o0];
  let a2 = start[2] * emit[e2 + o0];
  let c = a0 + a1 + a2;
  if (!(c > 0)) return -Infinity;
  let inv = 1 / c;
  a0 *= inv;
  a1 *= inv;
  a2 *= inv;
  alpha[0] = a0;
  alpha[1] = a1;
  alpha[2] = a2;
  scale[0] = c;
  // Σ log scale[t] with few logs, as in scaledForward.
  let logL = c < 1e-100 ? Math.log(c) : 0;
  let prod = c < 1e-100 ? 1 : c;
  for (let t = 1; t < T; t++) {
    const ot = o[off + t];
    const n0 = (a0 * t00 + a1 * t10 + a2 * t20) * emit[ot];
    const n1 = (a0 * t01 + a1 * t11 + a2 * t21) * emit[e1 + ot];
    const n2 = (a0 * t02 + a1 * t12 + a2 * t22) * emit[e2 + ot];
    c = n0 + n1 + n2;
    if (!(c > 0)) return -Infinity;
    inv = 1 / c;
    a0 = n0 * inv;
    a1 = n1 * inv;
    a2 = n2 * inv;
    const r = t * 3;
    alpha[r] = a0;
    alpha[r + 1] = a1;
    alpha[r + 2] = a2;
    scale[t] = c;
    if (c < 1e-100) logL += Math.log(c);
    else if ((prod *= c) < 1e-200) {
      logL += Math.log(prod);
      prod = 1;
    }
  }
  logL += Math.log(prod);

  const EM = 12; // 3 start + 9 transition counts
  const oLast = o[off + T - 1];
  counts[EM + oLast] += a0;
  counts[EM + e1 + oLast] += a1;
  counts[EM + e2 + oLast] += a2;
  let b0 = 1;
  let b1 = 1;
  let b2 = 1;
  for (let t = T - 2; t >= 0; t--) {
    const on = o[off + t + 1];
    const ot = o[off + t];
    const ic = 1 / scale[t + 1];
    const w0 = emit[on] * b0 * ic;
    const w1 = emit[e1 + on] * b1 * ic;
    const w2 = emit[e2 + on] * b2 * ic;
    const r = t * 3;
    const x0 = alpha[r];
    const x1 = alpha[r + 1];
    const x2 = alpha[r + 2];
    counts[3] += x0 * w0;
    counts[4] += x0 * w1;
    counts[5] += x0 * w2;
    counts[6] += x1 * w0;
    counts[7] += x1 * w1;
    counts[8] += x1 * w2;
    counts[9] += x2 * w0;
    counts[10] += x2 * w1;
    counts[11] += x2 * w2;
    b0 = t00 * w0 + t01 * w1 + t02 * w2;
    b1 = t10 * w0 + t11 * w1 + t12 * w2;
    b2 = t20 * w0 + t21 * w1 + t22 * w2;
    counts[EM + ot] += x0 * b0;
    counts[EM + e1 + ot] += x1 * b1;
    counts[EM + e2 + ot] += x2 * b2;
  }
  counts[0] += alpha[0] * b0;
  counts[1] += alpha[1] * b1;
  counts[2] += alpha[2] * b2;
  return logL;
}
