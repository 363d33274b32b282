/**
 * O(K·(K+M)).
 *
 * Interchange with Python's hmmlearn: a `CategoricalHMM` (or the older `MultinomialHMM`)
 * exported as JSON `{ startprob_, transmat_, emissionprob_ }` (see HMM.md for the three lines of
 * Python). Rows that sum to 1 only up to float drift (hmmlearn may hold float32 parameters)
 * are renormalised; anything further off is rejected rather than silently repaired.
 */
import { HmmError, validateModel } from './model.ts';
import type { HmmModel } from './model.ts';

/** The JSON shape written by the export snippet in HMM.md. */
export type HmmlearnJson = {
  startprob_: number[];
  transmat_: number[][];
  emissionprob_: number[][];
  /** Number of symbols, if exported; must match emissionprob_'s columns. */
  n_features?: number;
  /** Number of states, if exported; must match startprob_'s length. */
  n_components?: number;
  /** State names (either key); default `state0..`. */
  states?: string[];
  labels?: string[];
  /** Symbol names; optional. */
  symbols?: string[];
};

export type FromHmmlearnOptions = {
  /** How far a row may sum from 1 and still be renormalised. Default 1e-4. */
  driftTolerance?: number;
};

/**
 * Loads an hmmlearn export (the parsed object, or its JSON text) as a validated HmmModel.
 * Throws `HmmError('BAD_FORMAT')` naming the offending field on anything else.
 * @example fromHmmlearn(JSON.parse(text)).emitProb
 */
export function fromHmmlearn(json: unknown, opts: FromHmmlearnOptions = {}): HmmModel {
  const tolerance = opts.driftTolerance ?? 1e-4;
  let j = json;
  if (typeof j === 'string') {
    try {
      j = JSON.parse(j) as unknown;
    } catch (err) {
      throw new HmmError('BAD_FORMAT', `fromHmmlearn: not valid JSON (${(err as Error).message})`);
    }
  }
  if (typeof j !== 'object' || j === null || Array.isArray(j)) {
    throw new HmmError('BAD_FORMAT', 'fromHmmlearn: expected an object with startprob_, transmat_ and emissionprob_');
  }
  const o = j as Record<string, unknown>;
  const fail = (msg: string): never => {
    throw new HmmError('BAD_FORMAT', `fromHmmlearn: ${msg}`);
  };
  if (!Array.isArray(o.startprob_) || o.startprob_.length === 0) fail('startprob_ must be a non-empty array of numbers');
  const K = (o.startprob_ as unknown[]).length;
  const start = row(o.startprob_, K, 'startprob_', tolerance, fail);
  const trans = matrix(o.transmat_, K, K, 'transmat_', tolerance, fail);
  const emitRows = o.emissionprob_;
  if (!Array.isArray(emitRows) || !Array.isArray(emitRows[0]) || emitRows[0].length === 0) {
    fail(`emissionprob_ must be a ${K}×n_features array (one row per state)`);
  }
  const M = (emitRows as unknown[][])[0].length;
  const emit = matrix(emitRows, K, M, 'emissionprob_', tolerance, fail);
  if (o.n_features !== undefined && o.n_features !== M) {
    fail(`n_features = ${String(o.n_features)} but emissionprob_ has ${M} columns`);
  }
  if (o.n_components !== undefined && o.n_components !== K) {
    fail(`n_components = ${String(o.n_components)} but startprob_ has ${K} entries`);
  }
  const names = o.states ?? o.labels;
  if (names !== undefined && (!Array.isArray(names) || names.length !== K || !names.every((s) => typeof s === 'string'))) {
    fail(`states/labels must be ${K} strings`);
  }
  if (o.symbols !== undefined && (!Array.isArray(o.symbols) || o.symbols.length !== M || !o.symbols.every((s) => typeof s === 'string'))) {
    fail(`symbols must be ${M} strings`);
  }
  const model: HmmModel = {
    states: names ? [...(names as string[])] : Array.from({ length: K }, (_, k) => `state${k}`),
    startProb: start,
    transProb: trans,
    emitProb: emit,
  };
  if (o.symbols) model.symbols = [...(o.symbols as string[])];
  validateModel(model);
  return model;
}

function matrix(x: unknown, rows: number, cols: number, name: string, tol: number, fail: (m: string) => never): number[][] {
  if (!Array.isArray(x) || x.length !== rows) {
    fail(`${name} must have ${rows} rows, one per state (got ${Array.isArray(x) ? x.length : typeof x})`);
  }
  return (x as unknown[]).map((r, i) => row(r, cols, `${name}[${i}]`, tol, fail));
}

/** Checks a probability row and renormalises float drift of at most `tol`. */
function row(x: unknown, n: number, name: string, tol: number, fail: (m: string) => never): number[] {
  if (!Array.isArray(x) || x.length !== n) {
    fail(`${name} must have ${n} entries (got ${Array.isArray(x) ? x.length : typeof x})`);
  }
  const r = x as unknown[];
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const v = r[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(`${name}[${i}] = ${JSON.stringify(v)} is not a probability`);
    sum += v as number;
  }
  if (!(Math.abs(sum - 1) <= tol)) fail(`${name} sums to ${sum}, not 1 (tolerance ${tol})`);
  return (r as number[]).map((v) => v / sum);
}

/**
 * The inverse: a JSON-ready object that hmmlearn can load back, e.g. in Python
 * `m = hmm.CategoricalHMM(n_components=3); m.startprob_ = np.array(d["startprob_"]); ...`.
 */
export function toHmmlearn(model: HmmModel): HmmlearnJson {
  validateModel(model);
  const out: HmmlearnJson = {
    startprob_: [...model.startProb],
    transmat_: model.transProb.map((r) => [...r]),
    emissionprob_: model.emitProb.map((r) => [...r]),
    n_features: model.emitProb[0].length,
    n_components: model.states.length,
    states: [...model.states],
  };
  if (model.symbols) out.symbols = [...model.symbols];
  return out;
}
