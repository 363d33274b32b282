// The multi-feature HMM against a brute-force oracle that enumerates all K^T paths, and
// against the categorical HMM it generalises.
import { describe, expect, test } from 'bun:test';
import { fitBaumWelch } from './baumWelch.ts';
import { defaultModel } from './defaultModel.ts';
import { fitFeatureBaumWelch } from './featureBaumWelch.ts';
import { featureForwardBackward } from './featureForwardBackward.ts';
import { cloneFeatureModel, isFeatureModel, toFeatureModel, validateFeatureModel } from './featureModel.ts';
import type { FeatureModel } from './featureModel.ts';
import { featureViterbi } from './featureViterbi.ts';
import { forwardBackward } from './forwardBackward.ts';
import { HmmError } from './model.ts';
import { mulberry32, randomModel, sampleHmm } from './sample.ts';
import type { Rng } from './sample.ts';
import { viterbi } from './viterbi.ts';

type Obs = number[][];

/** log P(path, obs) from the definition: start, transitions, and every present feature's emission. */
function pathLogProb(m: FeatureModel, path: number[], obs: Obs): number {
  let lp = 0;
  for (let t = 0; t < obs.length; t++) {
    lp += Math.log(t === 0 ? m.startProb[path[0]] : m.transProb[path[t - 1]][path[t]]);
    obs[t].forEach((s, f) => {
      if (s !== -1) lp += Math.log(m.features[f].emitProb[path[t]][s]);
    });
  }
  return lp;
}

function enumerate(m: FeatureModel, obs: Obs): { paths: number[][]; scores: number[] } {
  const K = m.states.length;
  const paths: number[][] = [];
  const scores: number[] = [];
  for (let code = 0; code < K ** obs.length; code++) {
    const path: number[] = [];
    for (let t = 0, c = code; t < obs.length; t++, c = Math.floor(c / K)) path.push(c % K);
    paths.push(path);
    scores.push(pathLogProb(m, path, obs));
  }
  return { paths, scores };
}

function thin(rng: Rng, r: number[]): number[] {
  const keep = r.map((v, i) => (i === 0 || rng() > 0.3 ? v : 0));
  const s = keep.reduce((a, b) => a + b, 0);
  return keep.map((v) => v / s);
}

/** A random model: K ≤ 3 states, 1–3 features of 1–4 symbols; with `sparse`, some zero entries. */
function randomFeatureModel(rng: Rng, sparse: boolean): FeatureModel {
  const K = 1 + Math.floor(rng() * 3);
  const F = 1 + Math.floor(rng() * 3);
  const base = randomModel(K, 2, rng);
  const features = Array.from({ length: F }, (_, f) => {
    const M = 1 + Math.floor(rng() * 4);
    const e = randomModel(K, M, rng).emitProb;
    return { name: `f${f}`, symbols: Array.from({ length: M }, (_, m) => `m${m}`), emitProb: sparse ? e.map((r) => thin(rng, r)) : e };
  });
  return {
    states: base.states,
    startProb: sparse ? thin(rng, base.startProb) : base.startProb,
    transProb: sparse ? base.transProb.map((r) => thin(rng, r)) : base.transProb,
    features,
  };
}

/** Random probabilities in the shape of `m`. */
function randomLike(m: FeatureModel, rng: Rng): FeatureModel {
  const K = m.states.length;
  const base = randomModel(K, 1, rng);
  return { states: m.states, startProb: base.startProb, transProb: base.transProb, features: m.features.map((f) => ({ ...f, emitProb: randomModel(K, f.symbols.length, rng).emitProb })) };
}

function randomObs(rng: Rng, m: FeatureModel, maxT = 6): Obs {
  const T = Math.floor(rng() * (maxT + 1));
  return Array.from({ length: T }, () => m.features.map((f) => (rng() < 0.2 ? -1 : Math.floor(rng() * f.symbols.length))));
}

describe('FeatureModel against brute-force enumeration', () => {
  const rng = mulberry32(14);
  const cases = Array.from({ length: 400 }, (_, i) => {
    const m = randomFeatureModel(rng, i % 4 === 3);
    return { m, obs: randomObs(rng, m) };
  });

  test('Viterbi finds an argmax over all K^T paths (the same path when the argmax is unique)', () => {
    let unique = 0;
    for (const { m, obs } of cases) {
      const v = featureViterbi(m, obs);
      const { paths, scores } = enumerate(m, obs);
      const best = Math.max(...scores);
      expect(v.path.length).toBe(obs.length);
      if (best === -Infinity) {
        expect(v.logProb).toBe(-Infinity);
        continue;
      }
      expect(v.logProb).toBeCloseTo(best, 9);
      expect(pathLogProb(m, v.path, obs)).toBeCloseTo(best, 9);
      const sorted = [...scores].sort((a, b) => b - a);
      if (sorted.length === 1 || sorted[0] - sorted[1] > 1e-9) {
        expect(v.path).toEqual(paths[scores.indexOf(best)]);
        unique++;
      }
    }
    expect(unique).toBeGreaterThan(200);
  });

  test('the forward log-likelihood and the posteriors equal sums over all paths', () => {
    let checked = 0;
    for (const { m, obs } of cases) {
      const { paths, scores } = enumerate(m, obs);
      const max = Math.max(...scores);
      if (max === -Infinity) {
        expect(() => featureForwardBackward(m, obs)).toThrow(HmmError);
        continue;
      }
      const w = scores.map((s) => Math.exp(s - max));
      const sum = w.reduce((a, b) => a + b, 0);
      const fb = featureForwardBackward(m, obs);
      expect(fb.logLikelihood).toBeCloseTo(max + Math.log(sum), 9);
      for (let t = 0; t < obs.length; t++) {
        for (let k = 0; k < m.states.length; k++) {
          let p = 0;
          paths.forEach((path, i) => {
            if (path[t] === k) p += w[i];
          });
          expect(fb.posteriors[t][k]).toBeCloseTo(p / sum, 9);
        }
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });

  test('one Baum-Welch update equals the MAP update from expected counts summed over all paths', () => {
    const rng2 = mulberry32(99);
    for (let c = 0; c < 40; c++) {
      const m = randomFeatureModel(rng2, false);
      const p = randomLike(m, rng2);
      const data = Array.from({ length: 3 }, () => randomObs(rng2, m, 5)).filter((o) => o.length > 0);
      if (data.length === 0) continue;
      const K = m.states.length;
      const w = 2.5;
      const pc = 0.01;
      // Expected counts by enumeration: each path weighted by its posterior probability.
      const start = new Array(K).fill(0);
      const trans = Array.from({ length: K }, () => new Array(K).fill(0));
      const emit = m.features.map((f) => Array.from({ length: K }, () => new Array(f.symbols.length).fill(0)));
      for (const obs of data) {
        const { paths, scores } = enumerate(m, obs);
        const max = Math.max(...scores);
        const wts = scores.map((s) => Math.exp(s - max));
        const sum = wts.reduce((a, b) => a + b, 0);
        paths.forEach((path, i) => {
          const g = wts[i] / sum;
          start[path[0]] += g;
          for (let t = 0; t < obs.length; t++) {
            if (t > 0) trans[path[t - 1]][path[t]] += g;
            obs[t].forEach((s, f) => {
              if (s !== -1) emit[f][path[t]][s] += g;
            });
          }
        });
      }
      const update = (count: number[], priorRow: number[]) => {
        const a = priorRow.map((x) => w * x + pc);
        const total = count.reduce((s, x, j) => s + x + a[j], 0);
        return count.map((x, j) => (x + a[j]) / total);
      };
      const fit = fitFeatureBaumWelch(data, m, { prior: p, priorWeight: w, pseudoCount: pc, maxIter: 1, tol: 0 });
      const close = (a: number[], b: number[]) => a.forEach((x, j) => expect(x).toBeCloseTo(b[j], 9));
      close(fit.model.startProb, update(start, p.startProb));
      for (let i = 0; i < K; i++) close(fit.model.transProb[i], update(trans[i], p.transProb[i]));
      m.features.forEach((_, f) => {
        for (let k = 0; k < K; k++) close(fit.model.features[f].emitProb[k], update(emit[f][k], p.features[f].emitProb[k]));
      });
    }
  });
});

describe('fitFeatureBaumWelch', () => {
  test('the objective (log-likelihood + log-prior) never decreases', () => {
    const rng = mulberry32(3);
    for (let c = 0; c < 30; c++) {
      const m = randomFeatureModel(rng, false);
      const start = randomLike(m, rng);
      const data = Array.from({ length: 20 }, () => randomObs(rng, m, 12));
      if (data.every((o) => o.length === 0)) continue;
      const fit = fitFeatureBaumWelch(data, start, { prior: m, priorWeight: [0, 1, 10][c % 3], pseudoCount: [0, 1e-3, 0.5][c % 3], maxIter: 60, tol: 0, fixStates: c % 5 === 0 ? [0] : [] });
      for (let i = 1; i < fit.history.length; i++) expect(fit.history[i]).toBeGreaterThanOrEqual(fit.history[i - 1] - 1e-9 * Math.abs(fit.history[i - 1]));
      expect(fit.history.at(-1)).toBeCloseTo(fit.logLikelihood + fit.logPrior, 8);
    }
  });

  test('fixed states keep their emissions; the prior pulls a row with no data to the prior', () => {
    const m = toFeatureModel(defaultModel);
    const obs = [[[0], [0], [1], [4], [3]]];
    const fit = fitFeatureBaumWelch(obs, m, { fixStates: [2], maxIter: 5 });
    expect(fit.model.features[0].emitProb[2]).toEqual(m.features[0].emitProb[2]);
    // Feature 1 is always missing: its rows get only the prior's pseudo-counts, i.e. the prior itself.
    const two: FeatureModel = { ...cloneFeatureModel(m), features: [...m.features, { name: 'x', symbols: ['a', 'b'], emitProb: [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]] }] };
    const prior = cloneFeatureModel(two);
    prior.features[1].emitProb = [[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]];
    const fit2 = fitFeatureBaumWelch([[[0, -1], [1, -1], [3, -1]]], two, { prior, priorWeight: 10, pseudoCount: 0, maxIter: 3 });
    fit2.model.features[1].emitProb.forEach((r, k) => r.forEach((x, j) => expect(x).toBeCloseTo(prior.features[1].emitProb[k][j], 12)));
  });

  test('recovers a known two-feature model from its samples, after relabelling', () => {
    const truth: FeatureModel = {
      states: ['a', 'b', 'c'],
      startProb: [0.5, 0.3, 0.2],
      transProb: [
        [0.8, 0.1, 0.1],
        [0.1, 0.8, 0.1],
        [0.1, 0.1, 0.8],
      ],
      features: [
        { name: 'x', symbols: ['0', '1', '2'], emitProb: [[0.8, 0.1, 0.1], [0.1, 0.8, 0.1], [0.1, 0.1, 0.8]] },
        { name: 'y', symbols: ['0', '1'], emitProb: [[0.9, 0.1], [0.5, 0.5], [0.1, 0.9]] },
      ],
    };
    const rng = mulberry32(5);
    const asHmm = (f: number) => ({ states: truth.states, startProb: truth.startProb, transProb: truth.transProb, emitProb: truth.features[f].emitProb });
    // Sample states from the chain, then each feature given the state.
    const data: number[][][] = [];
    for (let s = 0; s < 300; s++) {
      const { states } = sampleHmm(asHmm(0), 40, rng);
      data.push(states.map((k) => truth.features.map((f) => {
        let u = rng();
        const row = f.emitProb[k];
        for (let m = 0; m < row.length; m++) if ((u -= row[m]) < 0 || m === row.length - 1) return m;
        return 0;
      })));
    }
    const init = cloneFeatureModel(truth);
    init.transProb = [[0.6, 0.2, 0.2], [0.2, 0.6, 0.2], [0.2, 0.2, 0.6]];
    init.features[0].emitProb = [[0.5, 0.25, 0.25], [0.25, 0.5, 0.25], [0.25, 0.25, 0.5]];
    init.features[1].emitProb = [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]];
    const fit = fitFeatureBaumWelch(data, init, { maxIter: 300 });
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(Math.abs(fit.model.transProb[i][j] - truth.transProb[i][j])).toBeLessThan(0.05);
    truth.features.forEach((f, fi) => f.emitProb.forEach((r, k) => r.forEach((x, m) => expect(Math.abs(fit.model.features[fi].emitProb[k][m] - x)).toBeLessThan(0.05))));
  });
});

describe('a categorical HmmModel as a one-feature model', () => {
  const rng = mulberry32(8);
  test('decodes, scores and fits exactly as the categorical algorithms', () => {
    for (let c = 0; c < 50; c++) {
      const m = randomModel(3, 5, rng);
      const obs = Array.from({ length: 1 + Math.floor(rng() * 30) }, () => (rng() < 0.1 ? -1 : Math.floor(rng() * 5)));
      const fm = toFeatureModel(m);
      const rows = obs.map((o) => [o]);
      expect(featureViterbi(fm, rows).path).toEqual(viterbi(m, obs).path);
      expect(featureForwardBackward(fm, rows).logLikelihood).toBeCloseTo(forwardBackward(m, obs).logLikelihood, 9);
      const a = fitBaumWelch([obs, obs.slice(3)], m, { maxIter: 5, tol: 0, pseudoCount: 0.01 });
      const b = fitFeatureBaumWelch([rows, rows.slice(3)], fm, { maxIter: 5, tol: 0, pseudoCount: 0.01 });
      a.model.emitProb.forEach((r, k) => r.forEach((x, j) => expect(b.model.features[0].emitProb[k][j]).toBeCloseTo(x, 9)));
      a.model.transProb.forEach((r, i) => r.forEach((x, j) => expect(b.model.transProb[i][j]).toBeCloseTo(x, 9)));
      expect(b.history.at(-1)).toBeCloseTo(a.history.at(-1)!, 6);
    }
  });
});

describe('validateFeatureModel', () => {
  const good = toFeatureModel(defaultModel);
  test('accepts a well-formed model and tells it from a categorical one', () => {
    expect(() => validateFeatureModel(good)).not.toThrow();
    expect(isFeatureModel(good)).toBe(true);
    expect(isFeatureModel(defaultModel)).toBe(false);
  });
  test('names the bad field', () => {
    const bad = (edit: (m: FeatureModel) => void) => {
      const m = cloneFeatureModel(good);
      edit(m);
      return () => validateFeatureModel(m);
    };
    expect(bad((m) => (m.features[0].emitProb[1] = [0.5, 0.5, 0, 0, 0.1]))).toThrow(/features\[0\]\.emitProb\[1\] sums to/);
    expect(bad((m) => m.features.push({ ...m.features[0] }))).toThrow(/'change' is used twice/);
    expect(bad((m) => (m.features[0].symbols = ['a']))).toThrow(/must have 1 entries/);
    expect(bad((m) => (m.transProb[0] = [1, 0]))).toThrow(HmmError);
    expect(() => featureViterbi(good, [[7]])).toThrow(/obs\[0\]\[0\] = 7 is not a symbol id 0..4 of feature 'change'/);
    expect(() => featureViterbi(good, [[1, 2]])).toThrow(/has 2 values, expected 1/);
  });
});
