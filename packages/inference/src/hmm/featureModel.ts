/**
 * O(K·(K + ΣM_f)) to validate a model; O(T·F·K) to build an emission table.
 *
 * An HMM whose observation at each step is a vector of F categorical features, independent
 * given the state: P(o_t | k) = Π_f P_f(o_t[f] | k). Each feature has its own alphabet and
 * its own K×M_f emission matrix; `MISSING` (-1) in a feature means that feature says nothing
 * at that step (probability 1 in every state), the others still count. A categorical
 * `HmmModel` is the special case F = 1 (`toFeatureModel`).
 */
import { HmmError, MISSING, ROW_SUM_TOLERANCE, checkArrayLike, validateModel } from './model.ts';
import type { HmmModel } from './model.ts';

/** One categorical feature of a `FeatureModel`: its name, its symbols and P(symbol | state). */
export type FeatureEmission = {
  /** The feature's name, unique within the model (e.g. `change`, `pace`). */
  name: string;
  /** Symbol names, length M_f. */
  symbols: string[];
  /** emitProb[k][m] = P(symbol m of this feature | state k), K×M_f; rows sum to 1. */
  emitProb: number[][];
};

/** A multi-feature HMM. K = `states.length`. */
export type FeatureModel = {
  /** State names, length K. */
  states: string[];
  /** P(first state = k), length K. */
  startProb: number[];
  /** transProb[i][j] = P(next state = j | state = i), K×K. */
  transProb: number[][];
  /** The features, in the order of each observation vector. */
  features: FeatureEmission[];
  /**
   * How `computeStrategyStates` picks each run's state: `viterbi` (the default) the most probable
   * path as a whole, `posterior` each step's most probable state given the whole sequence
   * (forward-backward). The algorithms of this module ignore it.
   */
  decode?: 'viterbi' | 'posterior';
  /** A short name for people (shown by the dashboard); not part of the model's identity. */
  name?: string;
  /** Free-form provenance (how and on what it was fitted); never read by the algorithms. */
  about?: Record<string, unknown>;
};

/** One step's observation: one symbol id (or MISSING) per feature, in the model's feature order. */
export type FeatureObservation = ArrayLike<number>;

/** Whether `x` has the shape of a FeatureModel (a `features` array) rather than an HmmModel. */
export function isFeatureModel(x: unknown): x is FeatureModel {
  return typeof x === 'object' && x !== null && Array.isArray((x as { features?: unknown }).features);
}

/**
 * Throws an `HmmError` unless `model` is a well-formed FeatureModel: K ≥ 1 states, F ≥ 1
 * features with distinct names, each with M_f ≥ 1 symbol names and a K×M_f emission matrix;
 * every probability finite and ≥ 0, every row summing to 1 within 1e-6.
 */
export function validateFeatureModel(model: unknown): asserts model is FeatureModel {
  if (typeof model !== 'object' || model === null) throw new HmmError('BAD_SHAPE', 'model must be an object');
  const m = model as Record<string, unknown>;
  if (!Array.isArray(m.features) || m.features.length === 0) throw new HmmError('BAD_SHAPE', 'model.features must be a non-empty array');
  if (m.decode !== undefined && m.decode !== 'viterbi' && m.decode !== 'posterior') throw new HmmError('BAD_VALUE', `model.decode must be 'viterbi' or 'posterior' (got ${JSON.stringify(m.decode)})`);
  // The states, start and transitions are checked by the categorical validator (with a neutral one-symbol emission).
  const K0 = Array.isArray(m.states) ? m.states.length : 0;
  validateModel({ states: m.states, startProb: m.startProb, transProb: m.transProb, emitProb: Array.from({ length: K0 }, () => [1]) });
  const K = (m.states as string[]).length;
  const names = new Set<string>();
  m.features.forEach((f: unknown, i: number) => {
    if (typeof f !== 'object' || f === null) throw new HmmError('BAD_SHAPE', `features[${i}] must be an object`);
    const g = f as Record<string, unknown>;
    if (typeof g.name !== 'string' || g.name === '') throw new HmmError('BAD_SHAPE', `features[${i}].name must be a non-empty string`);
    if (names.has(g.name)) throw new HmmError('BAD_SHAPE', `features[${i}].name '${g.name}' is used twice`);
    names.add(g.name);
    if (!Array.isArray(g.symbols) || g.symbols.length === 0 || !g.symbols.every((s) => typeof s === 'string')) {
      throw new HmmError('BAD_SHAPE', `features[${i}].symbols must be a non-empty array of strings`);
    }
    const M = g.symbols.length;
    if (!Array.isArray(g.emitProb) || g.emitProb.length !== K) throw new HmmError('BAD_SHAPE', `features[${i}].emitProb must have ${K} rows`);
    g.emitProb.forEach((row: unknown, k: number) => {
      const where = `features[${i}].emitProb[${k}]`;
      if (!Array.isArray(row) || row.length !== M) throw new HmmError('BAD_SHAPE', `${where} must have ${M} entries (one per symbol)`);
      let sum = 0;
      row.forEach((v: unknown, j: number) => {
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new HmmError('BAD_VALUE', `${where}[${j}] = ${String(v)} is not a finite probability ≥ 0`);
        sum += v;
      });
      if (Math.abs(sum - 1) > ROW_SUM_TOLERANCE) throw new HmmError('NOT_NORMALISED', `${where} sums to ${sum}, expected 1 (±${ROW_SUM_TOLERANCE})`);
    });
  });
}

/** A deep copy. */
export function cloneFeatureModel(model: FeatureModel): FeatureModel {
  const out: FeatureModel = {
    states: [...model.states],
    startProb: [...model.startProb],
    transProb: model.transProb.map((r) => [...r]),
    features: model.features.map((f) => ({ name: f.name, symbols: [...f.symbols], emitProb: f.emitProb.map((r) => [...r]) })),
  };
  if (model.decode !== undefined) out.decode = model.decode;
  if (model.name !== undefined) out.name = model.name;
  if (model.about !== undefined) out.about = JSON.parse(JSON.stringify(model.about)) as Record<string, unknown>;
  return out;
}

/**
 * A categorical HmmModel as a one-feature FeatureModel (feature `name`, default `change`), with
 * the same probabilities: every algorithm gives the same results on `obs.map((o) => [o])`.
 * @example toFeatureModel(defaultModel).features[0].name // 'change'
 */
export function toFeatureModel(model: HmmModel, name = 'change'): FeatureModel {
  validateModel(model);
  const M = model.emitProb[0].length;
  return {
    states: [...model.states],
    startProb: [...model.startProb],
    transProb: model.transProb.map((r) => [...r]),
    features: [{ name, symbols: model.symbols ? [...model.symbols] : Array.from({ length: M }, (_, m) => `s${m}`), emitProb: model.emitProb.map((r) => [...r]) }],
  };
}

/**
 * @internal Checks a sequence of observation vectors and flattens it to `o[t*F + f]`, MISSING
 * kept as -1. Throws `BAD_SYMBOL` naming the first bad position.
 */
export function encodeFeatureSequence(obs: ArrayLike<FeatureObservation>, model: FeatureModel, where = 'obs'): Int32Array {
  checkArrayLike(obs, where);
  const F = model.features.length;
  const out = new Int32Array(obs.length * F);
  for (let t = 0; t < obs.length; t++) {
    const row = obs[t];
    checkArrayLike(row, `${where}[${t}]`);
    if (row.length !== F) throw new HmmError('BAD_SYMBOL', `${where}[${t}] has ${row.length} values, expected ${F} (one per feature)`);
    for (let f = 0; f < F; f++) {
      const v = row[f];
      const M = model.features[f].symbols.length;
      if (v !== MISSING && !(Number.isInteger(v) && v >= 0 && v < M)) {
        throw new HmmError('BAD_SYMBOL', `${where}[${t}][${f}] = ${String(v)} is not a symbol id 0..${M - 1} of feature '${model.features[f].name}' or ${MISSING} (missing)`);
      }
      out[t * F + f] = v;
    }
  }
  return out;
}

/**
 * @internal The emission table b[t*K + k] = Π_f P_f(o[t*F+f] | k) (missing features skipped),
 * or its log with `log`. `o` as from `encodeFeatureSequence`.
 */
export function emissionTable(model: FeatureModel, o: Int32Array, T: number, log: boolean): Float64Array {
  const K = model.states.length;
  const F = model.features.length;
  const b = new Float64Array(T * K);
  for (let t = 0; t < T; t++) {
    for (let k = 0; k < K; k++) {
      let v = log ? 0 : 1;
      for (let f = 0; f < F; f++) {
        const s = o[t * F + f];
        if (s === MISSING) continue;
        const p = model.features[f].emitProb[k][s];
        if (log) v += Math.log(p);
        else v *= p;
      }
      b[t * K + k] = v;
    }
  }
  return b;
}
