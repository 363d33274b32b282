import { describe, expect, test } from 'bun:test';
import { HmmError, cloneModel, validateModel } from './model.ts';
import type { HmmModel } from './model.ts';

const good = (): HmmModel => ({
  states: ['a', 'b'],
  symbols: ['x', 'y', 'z'],
  startProb: [0.5, 0.5],
  transProb: [
    [0.9, 0.1],
    [0.2, 0.8],
  ],
  emitProb: [
    [0.2, 0.3, 0.5],
    [0.6, 0.4, 0],
  ],
});

/** Runs validateModel on a broken copy and returns the HmmError. */
function errorOf(edit: (m: HmmModel) => void): HmmError {
  const m = good();
  edit(m);
  try {
    validateModel(m);
  } catch (e) {
    expect(e).toBeInstanceOf(HmmError);
    return e as HmmError;
  }
  throw new Error('validateModel accepted a broken model');
}

describe('validateModel', () => {
  test('accepts a well-formed model, zeros and row drift within 1e-6 included', () => {
    expect(() => validateModel(good())).not.toThrow();
    const m = good();
    m.transProb[0] = [0.9 + 5e-7, 0.1];
    expect(() => validateModel(m)).not.toThrow();
  });

  test('wrong shapes → BAD_SHAPE naming the field', () => {
    const cases: [(m: HmmModel) => void, RegExp][] = [
      [(m) => (m.states = []), /states/],
      [(m) => (m.startProb = [1]), /startProb must have 2 entries/],
      [(m) => (m.transProb = [[1, 0]]), /transProb must have 2 rows/],
      [(m) => (m.transProb[1] = [1]), /transProb\[1\] must have 2 entries/],
      [(m) => (m.emitProb[1] = [0.5, 0.5]), /emitProb\[1\] must have 3 entries/],
      [(m) => (m.emitProb = [[], []]), /emitProb/],
      [(m) => (m.symbols = ['x']), /symbols/],
    ];
    for (const [edit, msg] of cases) {
      const e = errorOf(edit);
      expect(e.code).toBe('BAD_SHAPE');
      expect(e.message).toMatch(msg);
    }
    expect(() => validateModel(null)).toThrow(HmmError);
    expect(() => validateModel({})).toThrow(/states/);
  });

  test('negative, NaN, infinite or non-number entries → BAD_VALUE', () => {
    const cases: ((m: HmmModel) => void)[] = [
      (m) => (m.startProb = [1.5, -0.5]),
      (m) => (m.transProb[0][1] = NaN),
      (m) => (m.emitProb[0][0] = Infinity),
      (m) => ((m.emitProb[1] as unknown[])[0] = '0.6'),
    ];
    for (const edit of cases) {
      const e = errorOf(edit);
      expect(e.code).toBe('BAD_VALUE');
    }
    expect(errorOf((m) => (m.transProb[0][1] = NaN)).message).toMatch(/transProb\[0\]\[1\] = NaN/);
  });

  test('rows not summing to 1 → NOT_NORMALISED', () => {
    const e = errorOf((m) => (m.emitProb[0] = [0.2, 0.3, 0.49]));
    expect(e.code).toBe('NOT_NORMALISED');
    expect(e.message).toMatch(/emitProb\[0\] sums to 0\.99/);
    expect(errorOf((m) => (m.startProb = [0.5, 0.500002])).code).toBe('NOT_NORMALISED');
  });
});

test('cloneModel is deep', () => {
  const m = good();
  const c = cloneModel(m);
  c.transProb[0][0] = 0;
  c.symbols![0] = 'q';
  expect(m.transProb[0][0]).toBe(0.9);
  expect(m.symbols![0]).toBe('x');
  expect(cloneModel(c)).toEqual(c);
});
