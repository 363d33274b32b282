// Viterbi and the forward pass against a brute-force oracle that enumerates all K^T paths.
import { describe, expect, test } from 'bun:test';
import { forwardBackward } from './forwardBackward.ts';
import { HmmError } from './model.ts';
import type { HmmModel } from './model.ts';
import { mulberry32, randomModel } from './sample.ts';
import type { Rng } from './sample.ts';
import { viterbi } from './viterbi.ts';

/** log P(path, obs), straight from the definition; -1 observations emit with probability 1. */
function pathLogProb(m: HmmModel, path: number[], obs: number[]): number {
  let lp = 0;
  for (let t = 0; t < obs.length; t++) {
    lp += Math.log(t === 0 ? m.startProb[path[0]] : m.transProb[path[t - 1]][path[t]]);
    if (obs[t] !== -1) lp += Math.log(m.emitProb[path[t]][obs[t]]);
  }
  return lp;
}

type Oracle = {
  best: number;
  bestPath: number[];
  secondBest: number; // to know whether the argmax is unique
  logSum: number;
  /** post[t][k] = Σ over paths through k at t of P(path, obs) / P(obs) */
  post: number[][];
};

function bruteForce(m: HmmModel, obs: number[]): Oracle {
  const K = m.states.length;
  const T = obs.length;
  const n = K ** T;
  const scores: number[] = [];
  const paths: number[][] = [];
  for (let code = 0; code < n; code++) {
    const path: number[] = [];
    for (let t = 0, c = code; t < T; t++, c = Math.floor(c / K)) path.push(c % K);
    paths.push(path);
    scores.push(pathLogProb(m, path, obs));
  }
  let bi = 0;
  for (let i = 1; i < n; i++) if (scores[i] > scores[bi]) bi = i;
  let second = -Infinity;
  for (let i = 0; i < n; i++) if (i !== bi && scores[i] > second) second = scores[i];
  const max = scores[bi];
  let sum = 0;
  const post = Array.from({ length: T }, () => new Array<number>(K).fill(0));
  for (let i = 0; i < n; i++) {
    const w = max === -Infinity ? 0 : Math.exp(scores[i] - max);
    sum += w;
    for (let t = 0; t < T; t++) post[t][paths[i][t]] += w;
  }
  for (const r of post) for (let k = 0; k < K; k++) r[k] /= sum;
  return { best: max, bestPath: paths[bi], secondBest: second, logSum: max + Math.log(sum), post };
}

/** A random model; with `sparse`, some entries are zeroed (rows renormalised). */
function model(rng: Rng, sparse: boolean): HmmModel {
  const K = 1 + Math.floor(rng() * 4);
  const M = 1 + Math.floor(rng() * 5);
  const m = randomModel(K, M, rng);
  if (sparse) {
    const thin = (r: number[]) => {
      const keep = r.map((v, i) => (i === 0 || rng() > 0.3 ? v : 0)); // one entry always survives
      const s = keep.reduce((a, b) => a + b, 0);
      return keep.map((v) => v / s);
    };
    m.startProb = thin(m.startProb);
    m.transProb = m.transProb.map(thin);
    m.emitProb = m.emitProb.map(thin);
  }
  return m;
}

function sequence(rng: Rng, M: number): number[] {
  const T = Math.floor(rng() * 8); // 0..7
  return Array.from({ length: T }, () => (rng() < 0.2 ? -1 : Math.floor(rng() * M)));
}

describe('brute-force oracle', () => {
  const cases: { m: HmmModel; obs: number[]; sparse: boolean }[] = [];
  const rng = mulberry32(20240601);
  for (let i = 0; i < 400; i++) {
    const sparse = i % 4 === 3;
    const m = model(rng, sparse);
    cases.push({ m, obs: sequence(rng, m.emitProb[0].length), sparse });
  }

  test('Viterbi finds an argmax path over all K^T paths (unique argmax: the same path)', () => {
    let unique = 0;
    for (const { m, obs } of cases) {
      const v = viterbi(m, obs);
      const o = bruteForce(m, obs);
      expect(v.path.length).toBe(obs.length);
      if (o.best === -Infinity) {
        expect(v.logProb).toBe(-Infinity);
        continue;
      }
      expect(v.logProb).toBeCloseTo(o.best, 9);
      expect(pathLogProb(m, v.path, obs)).toBeCloseTo(o.best, 9);
      if (o.best - o.secondBest > 1e-9) {
        expect(v.path).toEqual(o.bestPath);
        unique++;
      }
    }
    expect(unique).toBeGreaterThan(200); // the comparison was not vacuous
  });

  test('forward log-likelihood and posteriors equal the log-sum over all paths', () => {
    let checked = 0;
    for (const { m, obs } of cases) {
      const o = bruteForce(m, obs);
      if (o.logSum === -Infinity) {
        expect(() => forwardBackward(m, obs)).toThrow(HmmError);
        continue;
      }
      const fb = forwardBackward(m, obs);
      expect(fb.logLikelihood).toBeCloseTo(o.logSum, 9);
      for (let t = 0; t < obs.length; t++) {
        for (let k = 0; k < m.states.length; k++) expect(fb.posteriors[t][k]).toBeCloseTo(o.post[t][k], 9);
      }
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });

  test('sequences of only missing observations: likelihood 1, Viterbi follows the transitions', () => {
    const rng2 = mulberry32(7);
    for (let i = 0; i < 50; i++) {
      const m = model(rng2, false);
      const obs = new Array<number>(1 + (i % 6)).fill(-1);
      expect(forwardBackward(m, obs).logLikelihood).toBeCloseTo(0, 12);
      expect(viterbi(m, obs).logProb).toBeCloseTo(bruteForce(m, obs).best, 9);
    }
  });
});
