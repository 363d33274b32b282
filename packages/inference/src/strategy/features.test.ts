import { describe, expect, test } from 'bun:test';
import type { StrategyRow, StrategyRun } from './computeStrategyStates.ts';
import { STRATEGY_FEATURES, strategyObservations, type ProgramFacts } from './features.ts';

const MIN = 60_000;

/** A row as computeStrategyStates makes it: `hash` null is a program that did not parse. */
function row(index: number, ts: number, hash: string | null, distance: number | null, projectName = 'A', score = 0.05): StrategyRow {
  const parsed = hash !== null;
  return {
    index,
    ts,
    projectName,
    astSize: parsed ? 40 : null,
    treeHash: hash,
    distance: parsed ? distance : null,
    score: parsed && distance !== null ? score : null,
    bucket: parsed && distance !== null ? (distance === 0 ? 0 : 1) : null,
    state: 0,
    posterior: [1, 0, 0],
    parseError: parsed ? null : 'bad',
  };
}

const run = (context: StrategyRun['context'] = { stop: 'user', newSession: false }): StrategyRun => ({ timestamp: 0, project: '', context });
const column = (name: keyof typeof STRATEGY_FEATURES, rows: StrategyRow[], runs: StrategyRun[] = rows.map(() => run()), programs?: ProgramFacts[]) =>
  strategyObservations({ rows, runs, programs }, [name]).map((o) => o[0]);

describe('strategy features', () => {
  test('edit: the distance in classes 0 | 1 | 2-3 | 4-9 | 10-29 | 30+, missing without a comparison', () => {
    const rows = [null, 0, 1, 2, 3, 4, 9, 10, 29, 30, 500].map((d, i) => row(i, i * MIN, `h${i}`, d));
    expect(column('edit', rows)).toEqual([-1, 0, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(column('edit', [row(0, 0, null, null)])).toEqual([-1]);
  });

  test('change: the bucket of the row', () => {
    expect(column('change', [row(0, 0, 'a', null), row(1, 1, 'a', 0), row(2, 2, 'b', 1)])).toEqual([-1, 0, 1]);
  });

  test('revert: back to a version before the previous one (a value flipped back), within the same project', () => {
    const rows = [row(0, 0, 'a', null), row(1, 1, 'b', 1), row(2, 2, 'a', 1), row(3, 3, 'a', 0), row(4, 4, 'c', 2), row(5, 5, 'b', 2), row(6, 6, 'x', null, 'B'), row(7, 7, 'a', 3, 'B'), row(8, 8, null, null)];
    // a → b (new) → a (earlier) → a (identical: missing) → c (new) → b (earlier); another project's first run and one that does not parse: missing.
    expect(column('revert', rows)).toEqual([-1, 0, 1, -1, 0, 1, -1, 0, -1]);
  });

  test('stop: error | stopped (by the student or completed) | none; missing while not known', () => {
    const rows = [0, 1, 2, 3, 4].map((i) => row(i, i * MIN, `h${i}`, 1));
    const runs = ['error', 'user', 'completed', 'none', null].map((stop) => run({ stop, newSession: false }));
    expect(column('stop', rows, runs)).toEqual([0, 1, 1, 2, -1]);
    expect(column('stop', rows.slice(0, 1), [{ timestamp: 0, project: '' }])).toEqual([-1]);
  });

  test('gap: minutes since the previous run of the session, missing after a new session', () => {
    const times = [0, 0.5, 1.5, 3.5, 7.5, 15.5, 16];
    const rows = times.map((t, i) => row(i, t * MIN, `h${i}`, 1));
    const runs = times.map((_, i) => run({ stop: 'user', newSession: i === 6 }));
    expect(column('gap', rows, runs)).toEqual([-1, 0, 1, 2, 3, 4, -1]);
  });

  test("pace: the gap over the student's median gap so far, once there are three; sessions are not gaps", () => {
    // gaps (s): 100, 100, 100 | then 40 (0.4×), 70 (0.7×), 100 (1×), 150 (1.5×), 400 (4×); the median stays 100.
    const gaps = [100, 100, 100, 40, 100, 70, 130, 150, 400];
    let t = 0;
    const rows = [row(0, 0, 'h0', null), ...gaps.map((g, i) => row(i + 1, (t += g * 1000), `h${i + 1}`, 1))];
    expect(column('pace', rows)).toEqual([-1, -1, -1, -1, 0, 2, 1, 3, 3, 4]);
    const runs = rows.map((_, i) => run({ stop: 'user', newSession: i === 4 }));
    expect(column('pace', rows, runs)[4]).toBe(-1);
  });

  test('switch: another project than the previous run of the session', () => {
    const rows = [row(0, 0, 'a', null, 'A'), row(1, 1, 'b', null, 'B'), row(2, 2, 'c', null, 'B'), row(3, 3, 'd', null, 'A')];
    expect(column('switch', rows)).toEqual([-1, 1, 0, 1]);
    expect(column('switch', rows, rows.map((_, i) => run({ stop: null, newSession: i === 3 })))).toEqual([-1, 1, 0, -1]);
  });

  test('scripts: more or fewer top-level scripts than the previous version of the project; missing without the facts', () => {
    const rows = [row(0, 0, 'a', null), row(1, 1, 'b', 3), row(2, 2, 'c', 9), row(3, 3, 'd', 9), row(4, 4, null, null), row(5, 5, 'e', null, 'B')];
    const facts: ProgramFacts[] = [{ scriptCount: 1 }, { scriptCount: 1 }, { scriptCount: 2 }, { scriptCount: 1 }, null, { scriptCount: 4 }];
    expect(column('scripts', rows, undefined, facts)).toEqual([-1, 0, 1, 2, -1, -1]);
    expect(column('scripts', rows)).toEqual([-1, -1, -1, -1, -1, -1]);
  });

  test('structure: the control structure as before, reshaped, or scripts added or removed; missing without a shape to compare', () => {
    const rows = [row(0, 0, 'a', null), row(1, 1, 'b', 1), row(2, 2, 'c', 3), row(3, 3, 'd', 20), row(4, 4, 'e', 9), row(5, 5, null, null), row(6, 6, 'f', null, 'B'), row(7, 7, 'g', 2)];
    const facts: ProgramFacts[] = [
      { scriptCount: 1, shape: 's1' },
      { scriptCount: 1, shape: 's1' }, // a value changed: same
      { scriptCount: 1, shape: 's2' }, // a loop wrapped around blocks: reshaped
      { scriptCount: 2, shape: 's3' }, // a script added
      { scriptCount: 1, shape: 's2' }, // a script deleted
      null, // did not parse
      { scriptCount: 1, shape: 's9' }, // another project's first version
      { scriptCount: 1 }, // no shape: nothing to compare
    ];
    expect(column('structure', rows, undefined, facts)).toEqual([-1, 0, 1, 2, 3, -1, -1, -1]);
    expect(column('structure', rows)).toEqual([-1, -1, -1, -1, -1, -1, -1, -1]);
  });

  test('every symbol a feature emits is one of its symbols; unknown features are refused', () => {
    const rows = Array.from({ length: 30 }, (_, i) => row(i, i * 37_000 * (1 + (i % 5)), `h${i % 7}`, i === 0 ? null : (i * 7) % 45, i % 9 === 0 ? 'B' : 'A'));
    const runs = rows.map((_, i) => run({ stop: ['error', 'user', 'none', null][i % 4], newSession: i % 11 === 0 }));
    const programs = rows.map((_, i) => ({ scriptCount: 1 + (i % 3), shape: `s${i % 4}` }));
    const names = Object.keys(STRATEGY_FEATURES) as (keyof typeof STRATEGY_FEATURES)[];
    const obs = strategyObservations({ rows, runs, programs }, names);
    for (const o of obs) names.forEach((n, f) => expect(o[f] === -1 || (o[f] >= 0 && o[f] < STRATEGY_FEATURES[n].symbols.length)).toBe(true));
    expect(() => strategyObservations({ rows, runs }, ['mood'])).toThrow(/unknown strategy feature 'mood'/);
  });
});
