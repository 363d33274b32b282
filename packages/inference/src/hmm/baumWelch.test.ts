import { describe, expect, test } from 'bun:test';
import { fitBaumWelch, sequenceCounts, sequenceCounts3 } from './baumWelch.ts';
import { defaultModel } from './defaultModel.ts';
import { forwardBackward } from './forwardBackward.ts';
import { labelStates } from './labelStates.ts';
import { HmmError, cloneModel, encodeSequence, modelTables } from './model.ts';
import type { HmmModel } from './model.ts';
import { mulberry32, randomModel, sampleHmm } from './sample.ts';
import type { Rng } from './sample.ts';

/** Each row nudged by up to `eps` per entry and renormalised. */
function perturb(m: HmmModel, rng: Rng, eps: number): HmmModel {
  const p = (r: number[]) => {
    const x = r.map((v) => v + eps * rng());
    const s = x.reduce((a, b) => a + b, 0);
    return x.map((v) => v / s);
  };
  return { states: m.states.map((_, k) => `s${k}`), startProb: p(m.startProb), transProb: m.transProb.map(p), emitProb: m.emitProb.map(p) };
}

/** States reordered: new state k is old state perm[k]. */
function permute(m: HmmModel, perm: number[]): HmmModel {
  return {
    states: perm.map((o) => m.states[o]),
    startProb: perm.map((o) => m.startProb[o]),
    transProb: perm.map((i) => perm.map((j) => m.transProb[i][j])),
    emitProb: perm.map((o) => [...m.emitProb[o]]),
  };
}

/** A well-separated strategy model: sticky states, distinct emission profiles. */
const truth: HmmModel = {
  states: ['iterator', 'explorer', 'stuck'],
  startProb: [0.6, 0.25, 0.15],
  transProb: [
    [0.85, 0.08, 0.07],
    [0.1, 0.85, 0.05],
    [0.1, 0.05, 0.85],
  ],
  emitProb: [
    [0.05, 0.45, 0.4, 0.08, 0.02],
    [0.02, 0.03, 0.15, 0.4, 0.4],
    [0.7, 0.25, 0.03, 0.01, 0.01],
  ],
};

describe('fitBaumWelch', () => {
  test('the objective never decreases (many random inits, data, K, M, options)', () => {
    const rng = mulberry32(123);
    let steps = 0;
    for (let run = 0; run < 60; run++) {
      const K = 2 + (run % 3);
      const M = 2 + (run % 4);
      const gen = randomModel(K, M, rng);
      const seqs = Array.from({ length: 5 + (run % 10) }, () => sampleHmm(gen, Math.floor(rng() * 40), rng, { missingRate: 0.1 }).obs);
      seqs.push([]); // ignored
      const pseudoCount = [0, 1e-3, 0.5][run % 3];
      const fixStates = run % 5 === 0 ? [0] : undefined;
      const r = fitBaumWelch(seqs, randomModel(K, M, rng), { tol: 0, maxIter: 60, pseudoCount, fixStates });
      expect(r.history.length).toBe(r.iterations + 1);
      for (let i = 1; i < r.history.length; i++) {
        const [prev, next] = [r.history[i - 1], r.history[i]];
        expect(next).toBeGreaterThanOrEqual(prev - 1e-9 * Math.abs(prev));
        steps++;
      }
      expect(r.history.at(-1)).toBeCloseTo(r.logLikelihood + r.logPrior, 9);
    }
    expect(steps).toBeGreaterThan(1000);
  });

  test('the objective never decreases: one data set, 30 random 3-state inits', () => {
    const rng = mulberry32(321);
    const seqs = Array.from({ length: 50 }, () => sampleHmm(truth, 30, rng, { missingRate: 0.05 }).obs);
    for (let run = 0; run < 30; run++) {
      const r = fitBaumWelch(seqs, randomModel(3, 5, rng), { tol: 0, maxIter: 100 });
      for (let i = 1; i < r.history.length; i++) {
        expect(r.history[i]).toBeGreaterThanOrEqual(r.history[i - 1] - 1e-9 * Math.abs(r.history[i - 1]));
      }
    }
  });

  test('recovers a known model: 300 sequences × 50 steps, every parameter within 0.05 (start 0.1)', () => {
    const worst = { start: 0, trans: 0, emit: 0 };
    for (const seed of [1, 2, 3]) {
      const rng = mulberry32(seed);
      const seqs = Array.from({ length: 300 }, () => sampleHmm(truth, 50, rng, { missingRate: 0.05 }).obs);
      // Perturbed, and the states shuffled, so EM must also find which state is which.
      const init = permute(perturb(truth, rng, 0.3), [2, 0, 1]);
      const r = fitBaumWelch(seqs, init);
      expect(r.converged).toBe(true);
      const { model: fit, permutation } = labelStates(r.model);
      expect(permutation).toEqual([1, 2, 0]);
      for (let i = 0; i < 3; i++) {
        worst.start = Math.max(worst.start, Math.abs(fit.startProb[i] - truth.startProb[i]));
        for (let j = 0; j < 3; j++) worst.trans = Math.max(worst.trans, Math.abs(fit.transProb[i][j] - truth.transProb[i][j]));
        for (let m = 0; m < 5; m++) worst.emit = Math.max(worst.emit, Math.abs(fit.emitProb[i][m] - truth.emitProb[i][m]));
        // Start probabilities rest on only 300 first steps (binomial SD ≈ 0.028): looser bound.
        expect(Math.abs(fit.startProb[i] - truth.startProb[i])).toBeLessThan(0.1);
        for (let j = 0; j < 3; j++) expect(Math.abs(fit.transProb[i][j] - truth.transProb[i][j])).toBeLessThan(0.05);
        for (let m = 0; m < 5; m++) expect(Math.abs(fit.emitProb[i][m] - truth.emitProb[i][m])).toBeLessThan(0.05);
      }
    }
    console.log(`recovery, worst abs error: start ${worst.start.toFixed(3)}, trans ${worst.trans.toFixed(3)}, emit ${worst.emit.toFixed(3)}`);
  });

  test('expected counts equal brute-force path enumeration; the K = 3 fast path equals the general one', () => {
    const rng = mulberry32(5);
    for (let run = 0; run < 60; run++) {
      const K = run < 30 ? 3 : 1 + (run % 4);
      const M = 1 + (run % 5);
      const m = randomModel(K, M, rng);
      const obs = Array.from({ length: 1 + Math.floor(rng() * 6) }, () => (rng() < 0.2 ? -1 : Math.floor(rng() * M)));
      const T = obs.length;
      const { start, trans, emit } = modelTables(m, false);
      const o = encodeSequence(obs, M);
      const M1 = M + 1;
      const counts = new Float64Array(K + K * K + K * M1);
      const ll = sequenceCounts(K, M1, start, trans, emit, o, 0, T, new Float64Array(T * K), new Float64Array(T), new Float64Array(2 * K), new Float64Array(K), counts);
      for (let i = 0; i < K * K; i++) counts[K + i] *= trans[i];

      // Oracle: weight every path by P(path, obs) and count its start, transitions, emissions.
      const expected = new Float64Array(counts.length);
      let total = 0;
      for (let code = 0; code < K ** T; code++) {
        const path = Array.from({ length: T }, (_, t) => Math.floor(code / K ** t) % K);
        let p = m.startProb[path[0]];
        for (let t = 0; t < T; t++) {
          if (t > 0) p *= m.transProb[path[t - 1]][path[t]];
          if (obs[t] !== -1) p *= m.emitProb[path[t]][obs[t]];
        }
        total += p;
        expected[path[0]] += p;
        for (let t = 0; t + 1 < T; t++) expected[K + path[t] * K + path[t + 1]] += p;
        for (let t = 0; t < T; t++) expected[K + K * K + path[t] * M1 + (obs[t] === -1 ? M : obs[t])] += p;
      }
      expect(ll).toBeCloseTo(Math.log(total), 10);
      for (let i = 0; i < counts.length; i++) expect(counts[i]).toBeCloseTo(expected[i] / total, 10);

      if (K === 3) {
        const fast = new Float64Array(counts.length);
        const ll3 = sequenceCounts3(M1, start, trans, emit, o, 0, T, new Float64Array(T * 3), new Float64Array(T), fast);
        for (let i = 0; i < 9; i++) fast[3 + i] *= trans[i];
        expect(ll3).toBeCloseTo(ll, 12);
        for (let i = 0; i < counts.length; i++) expect(fast[i]).toBeCloseTo(counts[i], 12);
      }
    }
  });

  test('reports the returned model exactly; maxIter 0 scores init; init is not modified', () => {
    const rng = mulberry32(8);
    const seqs = Array.from({ length: 20 }, () => sampleHmm(defaultModel, 30, rng).obs);
    const init = perturb(defaultModel, rng, 0.2);
    const copy = cloneModel(init);
    const r = fitBaumWelch(seqs, init, { maxIter: 5, tol: 0 });
    expect(init).toEqual(copy);
    expect(r.iterations).toBe(5);
    expect(r.converged).toBe(false);
    const sum = seqs.reduce((a, s) => a + forwardBackward(r.model, s).logLikelihood, 0);
    expect(r.logLikelihood).toBeCloseTo(sum, 8);
    const zero = fitBaumWelch(seqs, init, { maxIter: 0 });
    expect(zero.model).toEqual(init);
    expect(zero.iterations).toBe(0);
    expect(zero.history).toEqual([zero.logLikelihood + zero.logPrior]);
    expect(zero.logLikelihood).toBeCloseTo(seqs.reduce((a, s) => a + forwardBackward(init, s).logLikelihood, 0), 8);
  });

  test('pseudoCount 0 is plain maximum likelihood; fixStates pins emission rows', () => {
    const rng = mulberry32(9);
    const seqs = Array.from({ length: 30 }, () => sampleHmm(truth, 40, rng).obs);
    const ml = fitBaumWelch(seqs, perturb(truth, rng, 0.3), { pseudoCount: 0 });
    expect(ml.logPrior).toBe(0);
    expect(ml.history.at(-1)).toBe(ml.logLikelihood);
    const init = perturb(truth, rng, 0.3);
    const pinned = fitBaumWelch(seqs, init, { fixStates: [2] });
    expect(pinned.model.emitProb[2]).toEqual(init.emitProb[2]);
    expect(pinned.model.emitProb[0]).not.toEqual(init.emitProb[0]);
    expect(pinned.model.transProb[2]).not.toEqual(init.transProb[2]);
  });

  test('a zero in init stays zero without pseudo-counts (EM cannot leave a zero)', () => {
    const rng = mulberry32(10);
    const seqs = Array.from({ length: 20 }, () => sampleHmm(truth, 30, rng).obs);
    const init = cloneModel(truth);
    init.transProb[0] = [0.9, 0.1, 0];
    const r = fitBaumWelch(seqs, init, { pseudoCount: 0 });
    expect(r.model.transProb[0][2]).toBe(0);
    expect(fitBaumWelch(seqs, init).model.transProb[0][2]).toBeGreaterThan(0);
  });

  test('input errors', () => {
    const code = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(HmmError);
        return (e as HmmError).code;
      }
      return 'no error';
    };
    expect(code(() => fitBaumWelch([[0, 1]], defaultModel, { tol: -1 }))).toBe('BAD_OPTION');
    expect(code(() => fitBaumWelch([[0, 1]], defaultModel, { maxIter: 1.5 }))).toBe('BAD_OPTION');
    expect(code(() => fitBaumWelch([[0, 1]], defaultModel, { pseudoCount: NaN }))).toBe('BAD_OPTION');
    expect(code(() => fitBaumWelch([[0, 1]], defaultModel, { fixStates: [3] }))).toBe('BAD_OPTION');
    expect(code(() => fitBaumWelch([[], []], defaultModel))).toBe('BAD_SHAPE');
    expect(code(() => fitBaumWelch([[0], [0, 9]], defaultModel))).toBe('BAD_SYMBOL');
    expect(() => fitBaumWelch([[0], [0, 9]], defaultModel)).toThrow(/sequences\[1\]\[1\] = 9/);
    const strict: HmmModel = { states: ['a'], startProb: [1], transProb: [[1]], emitProb: [[1, 0]] };
    expect(() => fitBaumWelch([[0], [0, 1]], strict)).toThrow(/sequences\[1\] is impossible under the initial model/);
    expect(code(() => fitBaumWelch([[0], [0, 1]], strict))).toBe('ZERO_LIKELIHOOD');
  });

  // Its speed is measured by `bun run bench` (bench/hmm.ts), not asserted here.
  test('1,000 sequences × 100 symbols from a random init converge', () => {
    const rng = mulberry32(11);
    const seqs = Array.from({ length: 1000 }, () => sampleHmm(defaultModel, 100, rng, { missingRate: 0.02 }).obs);
    const r = fitBaumWelch(seqs, randomModel(3, 5, rng));
    expect(r.converged).toBe(true);
    expect(r.iterations).toBeLessThan(200);
  });
});
