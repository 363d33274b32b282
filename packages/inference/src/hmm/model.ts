/**
 * O(K·(K+M)) to validate a model; O(T) to check an observation sequence.
 *
 * The categorical HMM shared by every algorithm in this folder: K hidden states, M symbols,
 * probabilities as plain rows so models round-trip through JSON and notebooks unchanged.
 * Observations are symbol ids 0..M-1; `MISSING` (-1) marks a run whose change is unknown and
 * has emission probability 1 in every state, so it carries no evidence either way.
 */

/** A categorical HMM. K = `states.length`, M = `emitProb[0].length`; every row sums to 1. */
export type HmmModel = {
  /** State names, length K. */
  states: string[];
  /** Optional symbol names, length M. */
  symbols?: string[];
  /** P(first state = k), length K. */
  startProb: number[];
  /** transProb[i][j] = P(next state = j | state = i), K×K. */
  transProb: number[][];
  /** emitProb[k][m] = P(symbol m | state k), K×M. */
  emitProb: number[][];
};

/** Why an `HmmError` was thrown; stable, so callers can branch on it. */
export type HmmErrorCode =
  | 'BAD_SHAPE' // arrays of the wrong length or nesting
  | 'BAD_VALUE' // negative, NaN or infinite probability
  | 'NOT_NORMALISED' // a row does not sum to 1
  | 'BAD_SYMBOL' // an observation that is neither a symbol id nor MISSING
  | 'BAD_OPTION' // an option out of range
  | 'BAD_FORMAT' // imported JSON that is not an hmmlearn export
  | 'ZERO_LIKELIHOOD'; // the observations are impossible under the model

/** Thrown by every function of the HMM module on bad input. */
export class HmmError extends Error {
  override readonly name = 'HmmError';
  constructor(
    readonly code: HmmErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/** The observation value for a missing symbol (e.g. a run whose program failed to parse). */
export const MISSING = -1;

/** How far a probability row may sum from 1 and still be valid. */
export const ROW_SUM_TOLERANCE = 1e-6;

/**
 * Throws an `HmmError` unless `model` is a well-formed HmmModel: K ≥ 1 states, M ≥ 1 symbols,
 * shapes K, K×K and K×M, entries finite and ≥ 0, each row summing to 1 within 1e-6.
 */
export function validateModel(model: unknown): asserts model is HmmModel {
  if (typeof model !== 'object' || model === null) throw new HmmError('BAD_SHAPE', 'model must be an object');
  const m = model as Record<string, unknown>;
  if (!Array.isArray(m.states) || m.states.length === 0 || !m.states.every((s) => typeof s === 'string')) {
    throw new HmmError('BAD_SHAPE', 'model.states must be a non-empty array of strings');
  }
  const K = m.states.length;
  checkRow(m.startProb, K, 'startProb');
  checkMatrix(m.transProb, K, K, 'transProb');
  if (!Array.isArray(m.emitProb) || !Array.isArray(m.emitProb[0]) || m.emitProb[0].length === 0) {
    throw new HmmError('BAD_SHAPE', `emitProb must be a ${K}×M array with M ≥ 1`);
  }
  const M = m.emitProb[0].length;
  checkMatrix(m.emitProb, K, M, 'emitProb');
  if (m.symbols !== undefined) {
    if (!Array.isArray(m.symbols) || m.symbols.length !== M || !m.symbols.every((s) => typeof s === 'string')) {
      throw new HmmError('BAD_SHAPE', `model.symbols must be ${M} strings (one per emitProb column) when given`);
    }
  }
}

function checkMatrix(x: unknown, rows: number, cols: number, name: string): void {
  if (!Array.isArray(x) || x.length !== rows) {
    throw new HmmError('BAD_SHAPE', `${name} must have ${rows} rows (got ${Array.isArray(x) ? x.length : typeof x})`);
  }
  for (let i = 0; i < rows; i++) checkRow(x[i], cols, `${name}[${i}]`);
}

function checkRow(x: unknown, n: number, name: string): void {
  if (!Array.isArray(x) || x.length !== n) {
    throw new HmmError('BAD_SHAPE', `${name} must have ${n} entries (got ${Array.isArray(x) ? x.length : typeof x})`);
  }
  let sum = 0;
  for (let j = 0; j < n; j++) {
    const v = x[j];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) {
      throw new HmmError('BAD_VALUE', `${name}[${j}] = ${String(v)} is not a finite probability ≥ 0`);
    }
    sum += v;
  }
  if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) {
    throw new HmmError('NOT_NORMALISED', `${name} sums to ${sum}, expected 1 (±${ROW_SUM_TOLERANCE})`);
  }
}

/** A deep copy, so callers can edit a model (e.g. the frozen `defaultModel`) without aliasing. */
export function cloneModel(model: HmmModel): HmmModel {
  const out: HmmModel = {
    states: [...model.states],
    startProb: [...model.startProb],
    transProb: model.transProb.map((r) => [...r]),
    emitProb: model.emitProb.map((r) => [...r]),
  };
  if (model.symbols) out.symbols = [...model.symbols];
  return out;
}

/**
 * Flat typed copies of a model for the inner loops. `emit` has M+1 columns: column M is the
 * MISSING symbol with probability 1 (log 0), so the loops index it without a branch.
 * @internal
 */
export type ModelTables = {
  K: number;
  M: number;
  /** start[k] = P(first state k), or its log. */
  start: Float64Array;
  /** trans[i*K+j] = P(j | i), or its log. */
  trans: Float64Array;
  /** emit[k*(M+1)+m] = P(symbol m | k), or its log; m = M is MISSING. */
  emit: Float64Array;
};

/** @internal Validates `model` and copies it into typed arrays, optionally in log space. */
export function modelTables(model: HmmModel, log: boolean): ModelTables {
  validateModel(model);
  const K = model.states.length;
  const M = model.emitProb[0].length;
  const f = log ? Math.log : (x: number) => x;
  const start = new Float64Array(K);
  const trans = new Float64Array(K * K);
  const emit = new Float64Array(K * (M + 1));
  for (let i = 0; i < K; i++) {
    start[i] = f(model.startProb[i]);
    for (let j = 0; j < K; j++) trans[i * K + j] = f(model.transProb[i][j]);
    for (let m = 0; m < M; m++) emit[i * (M + 1) + m] = f(model.emitProb[i][m]);
    emit[i * (M + 1) + M] = f(1);
  }
  return { K, M, start, trans, emit };
}

/**
 * @internal Checks `obs` and writes it into `out` from `offset`, with MISSING recoded as M (the
 * extra emission column). Throws `BAD_SYMBOL` naming the first bad position.
 */
export function encodeObservations(obs: ArrayLike<number>, M: number, out: Int32Array, offset: number, where = 'obs'): void {
  checkArrayLike(obs, where);
  for (let t = 0; t < obs.length; t++) {
    const o = obs[t];
    if (o === MISSING) out[offset + t] = M;
    else if (Number.isInteger(o) && o >= 0 && o < M) out[offset + t] = o;
    else throw new HmmError('BAD_SYMBOL', `${where}[${t}] = ${String(o)} is not a symbol id 0..${M - 1} or ${MISSING} (missing)`);
  }
}

/** @internal `encodeObservations` into a fresh array. */
export function encodeSequence(obs: ArrayLike<number>, M: number, where = 'obs'): Int32Array {
  checkArrayLike(obs, where);
  const out = new Int32Array(obs.length);
  encodeObservations(obs, M, out, 0, where);
  return out;
}

/** @internal Throws unless `obs` is an array or typed array (a string is array-like but wrong). */
export function checkArrayLike(obs: unknown, where: string): asserts obs is ArrayLike<number> {
  if (obs === null || typeof obs !== 'object' || typeof (obs as ArrayLike<number>).length !== 'number') {
    throw new HmmError('BAD_SYMBOL', `${where} must be an array of symbol ids`);
  }
}
