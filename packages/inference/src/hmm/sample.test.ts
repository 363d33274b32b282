import { describe, expect, test } from 'bun:test';
import { defaultModel } from './defaultModel.ts';
import { HmmError, validateModel } from './model.ts';
import { mulberry32, randomModel, sampleHmm } from './sample.ts';

describe('mulberry32', () => {
  test('is deterministic per seed, in [0, 1), roughly uniform', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(xs.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(c()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.01);
  });
});

describe('sampleHmm', () => {
  test('empirical frequencies match the model', () => {
    const { states, obs } = sampleHmm(defaultModel, 200_000, mulberry32(1));
    const K = 3;
    const trans = Array.from({ length: K }, () => new Array<number>(K).fill(0));
    const emit = Array.from({ length: K }, () => new Array<number>(5).fill(0));
    for (let t = 0; t < states.length; t++) {
      emit[states[t]][obs[t]]++;
      if (t > 0) trans[states[t - 1]][states[t]]++;
    }
    for (let i = 0; i < K; i++) {
      const tn = trans[i].reduce((a, b) => a + b, 0);
      const en = emit[i].reduce((a, b) => a + b, 0);
      for (let j = 0; j < K; j++) expect(Math.abs(trans[i][j] / tn - defaultModel.transProb[i][j])).toBeLessThan(0.01);
      for (let m = 0; m < 5; m++) expect(Math.abs(emit[i][m] / en - defaultModel.emitProb[i][m])).toBeLessThan(0.01);
    }
  });

  test('missingRate replaces symbols by -1 without changing the hidden path', () => {
    const plain = sampleHmm(defaultModel, 5000, mulberry32(2));
    const holes = sampleHmm(defaultModel, 5000, mulberry32(2), { missingRate: 0.3 });
    const missing = holes.obs.filter((o) => o === -1).length / 5000;
    expect(Math.abs(missing - 0.3)).toBeLessThan(0.03);
    expect(sampleHmm(defaultModel, 0, mulberry32(1))).toEqual({ states: [], obs: [] });
    expect(plain.states.length).toBe(5000);
    expect(() => sampleHmm(defaultModel, -1, mulberry32(1))).toThrow(HmmError);
    expect(() => sampleHmm(defaultModel, 5, mulberry32(1), { missingRate: 2 })).toThrow(HmmError);
  });

  test('randomModel gives valid models', () => {
    const rng = mulberry32(3);
    for (let i = 0; i < 50; i++) validateModel(randomModel(1 + (i % 5), 1 + (i % 7), rng));
    expect(() => randomModel(0, 3, rng)).toThrow(HmmError);
  });
});
