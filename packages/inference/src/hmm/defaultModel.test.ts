import { describe, expect, test } from 'bun:test';
import { defaultModel } from './defaultModel.ts';
import data from './default-model.json' with { type: 'json' };
import { forwardBackward } from './forwardBackward.ts';
import { labelStates } from './labelStates.ts';
import { cloneModel } from './model.ts';
import { viterbi } from './viterbi.ts';

const ITERATOR = 0;
const EXPLORER = 1;
const STUCK = 2;

describe('defaultModel', () => {
  test('is default-model.json, with the fixed state ids and symbol names', () => {
    expect(defaultModel).toEqual(data);
    expect(defaultModel.states).toEqual(['iterator', 'explorer', 'stuck']);
    expect(defaultModel.symbols).toEqual(['identical', 'tweak', 'local', 'restructure', 'rewrite']);
    expect(labelStates(defaultModel).permutation).toEqual([0, 1, 2]); // its own labelling
  });

  test('is sticky, starts mostly as iterator, and is frozen', () => {
    for (let k = 0; k < 3; k++) {
      expect(defaultModel.transProb[k][k]).toBeGreaterThanOrEqual(0.8);
      expect(defaultModel.transProb[k][k]).toBeLessThanOrEqual(0.9);
    }
    expect(defaultModel.startProb[ITERATOR]).toBeGreaterThan(0.5);
    expect(Object.isFrozen(defaultModel.emitProb[0])).toBe(true);
    expect(() => {
      (defaultModel.transProb[0] as number[])[0] = 0;
    }).toThrow();
    const copy = cloneModel(defaultModel);
    copy.transProb[0][0] = 0.5;
    expect(copy.transProb[0][0]).toBe(0.5);
  });

  test('Viterbi decodes obvious sequences sensibly', () => {
    const all = (s: number, n: number) => new Array<number>(n).fill(s);
    expect(viterbi(defaultModel, all(0, 6)).path).toEqual(all(STUCK, 6));
    expect(viterbi(defaultModel, [0, 1, 0, 0, 1, 0]).path).toEqual(all(STUCK, 6)); // re-run, flip, re-run
    expect(viterbi(defaultModel, all(4, 5)).path).toEqual(all(EXPLORER, 5));
    expect(viterbi(defaultModel, [3, 4, 3, 4]).path).toEqual(all(EXPLORER, 4));
    expect(viterbi(defaultModel, [1, 2, 2, 1, 2, 1]).path).toEqual(all(ITERATOR, 6));
    expect(viterbi(defaultModel, all(1, 5)).path).toEqual(all(ITERATOR, 5));
    // A session: iterating, then stuck re-running, then a rewrite spree, then iterating again.
    const obs = [1, 2, 1, 2, 0, 0, 0, 0, 0, 4, 4, 3, 4, 2, 1, 2, 2];
    const expected = [0, 0, 0, 0, 2, 2, 2, 2, 2, 1, 1, 1, 1, 0, 0, 0, 0];
    expect(viterbi(defaultModel, obs).path).toEqual(expected);
    // A single identical re-run inside iteration does not flip the state (stickiness).
    expect(viterbi(defaultModel, [1, 2, 0, 2, 1]).path).toEqual(all(ITERATOR, 5));
  });

  test('posteriors agree with the decoding on clear runs', () => {
    const post = forwardBackward(defaultModel, [0, 0, 0, 0, -1, 0, 0]).posteriors;
    for (const row of post) expect(row[STUCK]).toBeGreaterThan(0.8);
  });
});
