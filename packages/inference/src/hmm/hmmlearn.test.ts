import { describe, expect, test } from 'bun:test';
import { defaultModel } from './defaultModel.ts';
import { fromHmmlearn, toHmmlearn } from './hmmlearn.ts';
import { HmmError } from './model.ts';

// As written by the Python snippet in HMM.md (json.dump of .tolist(), float drift included).
const exported = `{
  "startprob_": [0.6999999999999998, 0.20000000000000004, 0.10000000000000002],
  "transmat_": [[0.85, 0.08, 0.07000000000000002], [0.15, 0.7999999999999999, 0.05], [0.08, 0.07, 0.85]],
  "emissionprob_": [[0.1, 0.4, 0.4, 0.08, 0.02], [0.03, 0.07, 0.2, 0.4, 0.30000001], [0.6, 0.32, 0.06, 0.01, 0.01]],
  "n_features": 5
}`;

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(HmmError);
    return (e as HmmError).code;
  }
  return 'no error';
}

describe('fromHmmlearn', () => {
  test('loads an exported CategoricalHMM (object or JSON text) and renormalises drift', () => {
    for (const input of [exported, JSON.parse(exported) as unknown]) {
      const m = fromHmmlearn(input);
      expect(m.states).toEqual(['state0', 'state1', 'state2']);
      expect(m.symbols).toBeUndefined();
      for (const row of [m.startProb, ...m.transProb, ...m.emitProb]) {
        expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-15);
      }
      for (let k = 0; k < 3; k++) {
        for (let m2 = 0; m2 < 5; m2++) expect(m.emitProb[k][m2]).toBeCloseTo(defaultModel.emitProb[k][m2], 6);
      }
    }
  });

  test('takes state names from states or labels, and symbol names', () => {
    const j = JSON.parse(exported) as Record<string, unknown>;
    expect(fromHmmlearn({ ...j, labels: ['x', 'y', 'z'] }).states).toEqual(['x', 'y', 'z']);
    expect(fromHmmlearn({ ...j, states: ['iterator', 'explorer', 'stuck'] }).states).toEqual(['iterator', 'explorer', 'stuck']);
    expect(fromHmmlearn({ ...j, symbols: ['a', 'b', 'c', 'd', 'e'] }).symbols).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  test('round-trips through toHmmlearn', () => {
    const back = fromHmmlearn(JSON.parse(JSON.stringify(toHmmlearn(defaultModel))));
    expect(back.states).toEqual(defaultModel.states);
    expect(back.symbols).toEqual(defaultModel.symbols);
    // Equal up to the last-bit change of renormalising (e.g. 0.7 + 0.2 + 0.1 = 0.9999999999999999).
    const flat = (m: typeof back) => [m.startProb, ...m.transProb, ...m.emitProb].flat();
    const [a, b] = [flat(back), flat(defaultModel)];
    for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 15);
  });

  test('rejects bad shapes and values with a message naming the field', () => {
    const j = JSON.parse(exported) as Record<string, unknown>;
    const cases: [unknown, RegExp][] = [
      ['not json', /not valid JSON/],
      [[1, 2], /expected an object/],
      [{ ...j, startprob_: undefined }, /startprob_ must be a non-empty array/],
      [{ ...j, transmat_: [[1, 0, 0]] }, /transmat_ must have 3 rows/],
      [{ ...j, transmat_: [[1, 0], [0, 1], [0, 1]] }, /transmat_\[0\] must have 3 entries/],
      [{ ...j, emissionprob_: [[1, 0]] }, /emissionprob_ must have 3 rows/],
      [{ ...j, emissionprob_: [[0.5, 0.5], [1, 0], [0, 1, 0]] }, /emissionprob_\[2\] must have 2 entries/],
      [{ ...j, emissionprob_: 'x' }, /emissionprob_ must be a 3×n_features array/],
      [{ ...j, n_features: 4 }, /n_features = 4 but emissionprob_ has 5 columns/],
      [{ ...j, n_components: 2 }, /n_components = 2/],
      [{ ...j, startprob_: [0.5, 0.5, null] }, /startprob_\[2\] = null is not a probability/],
      [{ ...j, startprob_: [1.5, -0.5, 0] }, /startprob_\[1\] = -0.5/],
      [{ ...j, startprob_: [0.5, 0.3, 0.1] }, /startprob_ sums to 0.9/],
      [{ ...j, labels: ['a', 'b'] }, /states\/labels must be 3 strings/],
      [{ ...j, symbols: ['a'] }, /symbols must be 5 strings/],
    ];
    for (const [input, msg] of cases) {
      expect(codeOf(() => fromHmmlearn(input))).toBe('BAD_FORMAT');
      expect(() => fromHmmlearn(input)).toThrow(msg);
    }
  });

  test('the drift tolerance is adjustable', () => {
    const j = { ...(JSON.parse(exported) as Record<string, unknown>), startprob_: [0.7, 0.2, 0.1002] };
    expect(() => fromHmmlearn(j)).toThrow(/sums to/);
    expect(fromHmmlearn(j, { driftTolerance: 1e-3 }).startProb[2]).toBeCloseTo(0.1002 / 1.0002, 12);
  });
});
