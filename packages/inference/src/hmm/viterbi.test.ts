// Exhaustive correctness is in oracle.test.ts; these are the edge cases.
import { describe, expect, test } from 'bun:test';
import { defaultModel } from './defaultModel.ts';
import { HmmError } from './model.ts';
import type { HmmModel } from './model.ts';
import { viterbi } from './viterbi.ts';

const twoState: HmmModel = {
  states: ['a', 'b'],
  startProb: [0.5, 0.5],
  transProb: [
    [0.5, 0.5],
    [0.5, 0.5],
  ],
  emitProb: [
    [1, 0],
    [0, 1],
  ],
};

describe('viterbi', () => {
  test('empty sequence', () => {
    expect(viterbi(defaultModel, [])).toEqual({ path: [], logProb: 0 });
  });

  test('deterministic emissions decode exactly', () => {
    const r = viterbi(twoState, [0, 1, 1, 0]);
    expect(r.path).toEqual([0, 1, 1, 0]);
    expect(r.logProb).toBeCloseTo(4 * Math.log(0.5), 12);
  });

  test('missing observations carry no evidence; ties go to the lower state', () => {
    expect(viterbi(twoState, [-1, -1]).path).toEqual([0, 0]);
    expect(viterbi(twoState, [1, -1, 1]).path).toEqual([1, 0, 1]);
  });

  test('impossible observations give -Infinity', () => {
    const m: HmmModel = { ...twoState, startProb: [1, 0], transProb: [[1, 0], [0, 1]] };
    expect(viterbi(m, [0, 1]).logProb).toBe(-Infinity);
  });

  test('accepts typed arrays; rejects out-of-range symbols', () => {
    expect(viterbi(twoState, new Int8Array([1, 0])).path).toEqual([1, 0]);
    for (const bad of [[2], [0, -2], [0.5], [NaN]]) {
      try {
        viterbi(twoState, bad);
        throw new Error('accepted ' + String(bad));
      } catch (e) {
        expect(e).toBeInstanceOf(HmmError);
        expect((e as HmmError).code).toBe('BAD_SYMBOL');
      }
    }
    expect(() => viterbi(twoState, [0, 0, 7])).toThrow(/obs\[2\] = 7 is not a symbol id 0\.\.1 or -1/);
  });

  test('a 10,000-step sequence stays finite', () => {
    const obs = Array.from({ length: 10_000 }, (_, t) => (t * 7) % 5);
    const r = viterbi(defaultModel, obs);
    expect(r.path.length).toBe(10_000);
    expect(Number.isFinite(r.logProb)).toBe(true);
  });
});
