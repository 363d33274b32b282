/**
 * Two strategy models judged on the same observed log: how well each explains runs it was not
 * fitted on (students split into folds; each model refitted from itself on the other folds,
 * as `model fit` would, and scored on the held-out students), how often they decode the same
 * state, how they spread runs over the states, and — given hidden states — how often each is
 * right. O(folds · fit + runs).
 */
import { decodeStates, featureForwardBackward, type StrategyModel } from '@lmdash/inference';
import { addPairs, emptyConfusion, overall, recallOf, type Confusion } from './agreement.ts';
import { asFeatureModel, featuresOf, fitStrategyModel, DEFAULT_PRIOR_WEIGHT } from './fit.ts';
import { selectFeatures, type LogObservations } from './observe.ts';

export type NamedModel = { name: string; model: StrategyModel };

export type ModelSummary = {
  name: string;
  features: string[];
  /** Log-likelihood per run of the model as given, over all runs (its own features). */
  logLikelihood: number;
  /** Held-out log-likelihood per run: refitted on the other folds, scored on each fold (its own features). */
  heldOut: number;
  /** The same on the features both models observe (null when they observe the same, or none in common). */
  heldOutShared: number | null;
  /** Share of runs decoded in each state (iterator, explorer, stuck), as given. */
  occupancy: [number, number, number];
  /** Against hidden states, when given: per-state agreement, overall, confusion (rows hidden). */
  truth: { perState: [number, number, number]; overall: number; confusion: Confusion; runs: number } | null;
};

export type Comparison = {
  students: number;
  runs: number;
  folds: number;
  /** Features both models observe. */
  shared: string[];
  /** Share of runs the two decode to the same state. */
  same: number;
  a: ModelSummary;
  b: ModelSummary;
};

export type CompareOptions = {
  /** Folds of students (default 5; at most the number of students). */
  folds?: number;
  /** Hidden state by source event id (`readTruth`). */
  truth?: ReadonlyMap<string, number>;
  priorWeight?: number;
  onProgress?: (line: string) => void;
};

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** log P of each sequence (0 for an empty one) under `model`, over the columns given. */
function logLikelihoods(model: StrategyModel, seqs: readonly number[][][]): number[] {
  const m = asFeatureModel(model);
  return seqs.map((s) => (s.length === 0 ? 0 : featureForwardBackward(m, s).logLikelihood));
}

/** The columns of `names` in `seqs` (observed with `all`), the others MISSING: the marginal over them. */
function keepOnly(seqs: readonly number[][][], features: readonly string[], keep: readonly string[]): number[][][] {
  return seqs.map((s) => s.map((o) => o.map((v, f) => (keep.includes(features[f]) ? v : -1))));
}

/**
 * Compares `a` and `b` on `data`, which must hold the features of both.
 * @example compareModels(observeLog(db, [...featuresOf(a), ...featuresOf(b)]), { name: 'a', model: a }, { name: 'b', model: b })
 */
export function compareModels(data: LogObservations, a: NamedModel, b: NamedModel, opts: CompareOptions = {}): Comparison {
  const n = data.students.length;
  const folds = Math.max(1, Math.min(opts.folds ?? 5, n));
  const runs = data.runs;
  const fa = featuresOf(a.model);
  const fb = featuresOf(b.model);
  const shared = fa.filter((f) => fb.includes(f));
  const paths = [a, b].map(({ model }) => {
    const seqs = selectFeatures(data, featuresOf(model));
    // As the daemon decodes: the Viterbi path, or each run's most probable state (`decode: 'posterior'`).
    return seqs.map((s) => decodeStates(asFeatureModel(model), s));
  });

  const summary = ({ name, model }: NamedModel, path: number[][]): ModelSummary => {
    const features = featuresOf(model);
    const seqs = selectFeatures(data, features);
    const sharedDiffers = shared.length > 0 && shared.length !== features.length;
    let heldOut = 0;
    let heldOutShared = 0;
    for (let f = 0; f < folds; f++) {
      const train = seqs.filter((_, i) => i % folds !== f);
      const test = seqs.filter((_, i) => i % folds === f);
      if (train.every((s) => s.length === 0) || test.length === 0) continue;
      const fitted = fitStrategyModel(train, model, { priorWeight: opts.priorWeight ?? DEFAULT_PRIOR_WEIGHT }).model;
      heldOut += sum(logLikelihoods(fitted, test));
      if (sharedDiffers) heldOutShared += sum(logLikelihoods(fitted, keepOnly(test, features, shared)));
      opts.onProgress?.(`${name}: fold ${f + 1}/${folds}`);
    }
    const occupancy: [number, number, number] = [0, 0, 0];
    for (const p of path) for (const k of p) occupancy[k]++;
    let truth: ModelSummary['truth'] = null;
    if (opts.truth) {
      const c = emptyConfusion();
      data.students.forEach((s, i) => addPairs(c, s.keys.map((k) => opts.truth!.get(k) ?? null), path[i]));
      const scored = sum(c.flat());
      truth = { perState: [recallOf(c, 0), recallOf(c, 1), recallOf(c, 2)], overall: overall(c), confusion: c, runs: scored };
    }
    return {
      name,
      features,
      logLikelihood: sum(logLikelihoods(model, seqs)) / runs,
      heldOut: heldOut / runs,
      heldOutShared: sharedDiffers ? heldOutShared / runs : null,
      occupancy: occupancy.map((x) => x / runs) as [number, number, number],
      truth,
    };
  };

  let same = 0;
  paths[0].forEach((p, i) => p.forEach((k, t) => (same += k === paths[1][i][t] ? 1 : 0)));
  return { students: n, runs, folds, shared, same: same / runs, a: summary(a, paths[0]), b: summary(b, paths[1]) };
}

const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(1)} %`);
const ll = (x: number | null) => (x === null ? '–' : x.toFixed(4));

/** The comparison as a plain-text report (what `lmdash model compare` prints). */
export function formatComparison(c: Comparison): string {
  const rows: [string, string, string][] = [
    ['features', c.a.features.join(', '), c.b.features.join(', ')],
    ['log-likelihood per run, as given', ll(c.a.logLikelihood), ll(c.b.logLikelihood)],
    [`held-out log-likelihood per run (${c.folds} folds)`, ll(c.a.heldOut), ll(c.b.heldOut)],
  ];
  if (c.a.heldOutShared !== null || c.b.heldOutShared !== null) {
    rows.push([`  on the shared features (${c.shared.join(', ')})`, ll(c.a.heldOutShared ?? c.a.heldOut), ll(c.b.heldOutShared ?? c.b.heldOut)]);
  }
  ['iterator', 'explorer', 'stuck'].forEach((s, k) => rows.push([`runs decoded ${s}`, pct(c.a.occupancy[k]), pct(c.b.occupancy[k])]));
  if (c.a.truth && c.b.truth) {
    ['iterator', 'explorer', 'stuck'].forEach((s, k) => rows.push([`agreement with the truth: ${s}`, pct(c.a.truth!.perState[k]), pct(c.b.truth!.perState[k])]));
    rows.push([`agreement with the truth: overall (${c.a.truth.runs} runs)`, pct(c.a.truth.overall), pct(c.b.truth.overall)]);
  }
  const w0 = Math.max(...rows.map((r) => r[0].length), 5);
  const w1 = Math.max(...rows.map((r) => r[1].length), c.a.name.length);
  const line = (r: readonly string[]) => `${r[0].padEnd(w0)}  ${r[1].padEnd(w1)}  ${r[2]}`.trimEnd();
  return [
    `${c.students} students, ${c.runs} runs; the two models decode the same state on ${pct(c.same)} of runs.`,
    '',
    line(['', c.a.name, c.b.name]),
    ...rows.map(line),
    '',
    'Held-out log-likelihood: each model refitted from itself (Baum-Welch MAP, as `model fit`) on the other folds of students, scored on the students left out; higher explains unseen students better.',
    c.shared.length === 0
      ? 'The two models observe no feature in common: their log-likelihoods are of different observations and cannot be compared; judge them by the decodings (and the truth, if any).'
      : c.shared.length < Math.max(c.a.features.length, c.b.features.length)
        ? 'The models observe different features: compare their log-likelihoods on the shared features only.'
        : '',
  ].join('\n').trimEnd() + '\n';
}
