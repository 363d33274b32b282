// Exact values against brute force are in oracle.test.ts; these are the invariants.
import { describe, expect, test } from 'bun:test';
import { defaultModel } from './defaultModel.ts';
import { forwardBackward } from './forwardBackward.ts';
import { HmmError } from './model.ts';
import type { HmmModel } from './model.ts';
import { mulberry32, randomModel, sampleHmm } from './sample.ts';

function logSumExp(xs: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < xs.length; i++) max = Math.max(max, xs[i]);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.exp(xs[i] - max);
  return max + Math.log(s);
}

describe('forwardBackward', () => {
  test('empty sequence', () => {
    expect(forwardBackward(defaultModel, [])).toEqual({ logLikelihood: 0, posteriors: [] });
  });

  test('posteriors sum to 1 per step; forward and backward agree at every step', () => {
    const rng = mulberry32(99);
    for (let i = 0; i < 40; i++) {
      const K = 1 + (i % 4);
      const M = 2 + (i % 4);
      const m = randomModel(K, M, rng);
      const { obs } = sampleHmm(m, 1 + Math.floor(rng() * 60), rng, { missingRate: 0.15 });
      const fb = forwardBackward(m, obs, { trellis: true });
      const T = obs.length;
      const la = fb.logAlpha!;
      const lb = fb.logBeta!;
      expect(la.length).toBe(T * K);
      for (let t = 0; t < T; t++) {
        expect(fb.posteriors[t].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
        // Σ_k alpha_t(k)·beta_t(k) = P(obs) for every t.
        const joint = Array.from({ length: K }, (_, k) => la[t * K + k] + lb[t * K + k]);
        expect(logSumExp(joint)).toBeCloseTo(fb.logLikelihood, 8);
        for (let k = 0; k < K; k++) expect(Math.exp(joint[k] - fb.logLikelihood)).toBeCloseTo(fb.posteriors[t][k], 10);
      }
      // The forward pass alone: Σ_k alpha_{T-1}(k). The backward pass alone: Σ_k π_k b_k(o_0) beta_0(k).
      expect(logSumExp(la.subarray((T - 1) * K))).toBeCloseTo(fb.logLikelihood, 8);
      const fromBeta = Array.from(
        { length: K },
        (_, k) => Math.log(m.startProb[k]) + (obs[0] === -1 ? 0 : Math.log(m.emitProb[k][obs[0]])) + lb[k],
      );
      expect(logSumExp(fromBeta)).toBeCloseTo(fb.logLikelihood, 8);
    }
  });

  test('a 10,000-step sequence gives finite results (no underflow)', () => {
    const { obs } = sampleHmm(defaultModel, 10_000, mulberry32(3), { missingRate: 0.05 });
    const fb = forwardBackward(defaultModel, obs, { trellis: true });
    expect(Number.isFinite(fb.logLikelihood)).toBe(true);
    expect(fb.logLikelihood).toBeLessThan(-5000); // far below what a plain product could represent
    expect(fb.posteriors.length).toBe(10_000);
    for (const row of fb.posteriors) {
      expect(row.every(Number.isFinite)).toBe(true);
      expect(Math.abs(row[0] + row[1] + row[2] - 1)).toBeLessThan(1e-9);
    }
    expect(fb.logAlpha!.every((x) => Number.isFinite(x))).toBe(true);
    expect(fb.logBeta!.every((x) => Number.isFinite(x))).toBe(true);
  });

  test('impossible observations → ZERO_LIKELIHOOD naming the step', () => {
    const m: HmmModel = {
      states: ['a', 'b'],
      startProb: [1, 0],
      transProb: [
        [1, 0],
        [0, 1],
      ],
      emitProb: [
        [1, 0],
        [0, 1],
      ],
    };
    expect(() => forwardBackward(m, [0, 0, 1])).toThrow(/obs\[2\] is impossible/);
    expect(() => forwardBackward(m, [1])).toThrow(HmmError);
    expect(forwardBackward(m, [0, -1, 0]).logLikelihood).toBe(0);
  });

  test('rejects bad symbols and non-arrays', () => {
    expect(() => forwardBackward(defaultModel, [0, 5])).toThrow(HmmError);
    expect(() => forwardBackward(defaultModel, '012' as unknown as number[])).toThrow(/array/);
  });
});
