import { describe, expect, test } from 'bun:test';
import { defaultModel } from './defaultModel.ts';
import { STRATEGY_STATES, labelStates } from './labelStates.ts';
import { HmmError, cloneModel, validateModel } from './model.ts';
import type { HmmModel } from './model.ts';
import { mulberry32, randomModel } from './sample.ts';

const PERMS = [
  [0, 1, 2],
  [0, 2, 1],
  [1, 0, 2],
  [1, 2, 0],
  [2, 0, 1],
  [2, 1, 0],
];

function permute(m: HmmModel, perm: number[]): HmmModel {
  return {
    states: perm.map((o) => `learned${o}`),
    startProb: perm.map((o) => m.startProb[o]),
    transProb: perm.map((i) => perm.map((j) => m.transProb[i][j])),
    emitProb: perm.map((o) => [...m.emitProb[o]]),
  };
}

describe('labelStates', () => {
  test('every shuffle of the default model is relabelled back to the original', () => {
    for (const perm of PERMS) {
      const { model, permutation } = labelStates(permute(defaultModel, perm));
      expect(model.states).toEqual([...STRATEGY_STATES]);
      expect(model.symbols).toEqual(['identical', 'tweak', 'local', 'restructure', 'rewrite']);
      expect(model.startProb).toEqual(defaultModel.startProb);
      expect(model.transProb).toEqual(defaultModel.transProb);
      expect(model.emitProb).toEqual(defaultModel.emitProb);
      // permutation[new] = old: the shuffled model's state perm^-1[new]
      for (let k = 0; k < 3; k++) expect(perm[permutation[k]]).toBe(k);
    }
  });

  test('a stuck state that mostly flips values still wins over an iterator with re-runs', () => {
    const m = cloneModel(defaultModel);
    m.emitProb[0] = [0.35, 0.2, 0.35, 0.08, 0.02]; // iterator re-running a lot
    m.emitProb[2] = [0.3, 0.65, 0.03, 0.01, 0.01]; // stuck flipping one value
    expect(labelStates(permute(m, [2, 0, 1])).model.emitProb).toEqual(m.emitProb);
  });

  test('any 3-state model over 5 symbols gets a valid labelling', () => {
    const rng = mulberry32(4);
    for (let i = 0; i < 200; i++) {
      const m = randomModel(3, 5, rng);
      const { model, permutation } = labelStates(m);
      validateModel(model);
      expect([...permutation].sort()).toEqual([0, 1, 2]);
      const e = model.emitProb;
      const stuckScore = (k: number) => e[k][0] + 0.5 * e[k][1];
      const mean = (k: number) => e[k].reduce((s, p, j) => s + j * p, 0);
      expect(stuckScore(2)).toBeGreaterThanOrEqual(Math.max(stuckScore(0), stuckScore(1)));
      expect(mean(1)).toBeGreaterThanOrEqual(mean(0));
    }
  });

  test('keeps the input symbol names; rejects other shapes', () => {
    const m = cloneModel(defaultModel);
    m.symbols = ['a', 'b', 'c', 'd', 'e'];
    expect(labelStates(m).model.symbols).toEqual(m.symbols);
    const rng = mulberry32(1);
    for (const [K, M] of [
      [2, 5],
      [4, 5],
      [3, 4],
      [3, 6],
    ]) {
      expect(() => labelStates(randomModel(K, M, rng))).toThrow(HmmError);
    }
    expect(() => labelStates(randomModel(2, 5, rng))).toThrow(/needs 3 states/);
  });
});
