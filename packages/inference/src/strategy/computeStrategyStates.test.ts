import { describe, expect, test } from 'bun:test';
import { DistanceCache } from '../change/score.ts';
import { defaultModel } from '../hmm/defaultModel.ts';
import { computeStrategyStates, EXPLORER, ITERATOR, STUCK, type StrategyRun } from './computeStrategyStates.ts';

/** A bare Blockly program: a "when started" script driving `values.length` legs. */
function program(values: number[], blockType = 'iq_drivetrain_drive_for'): string {
  let chain = '';
  for (let i = values.length - 1; i >= 0; i--) {
    chain = `<block type="${blockType}" id="b${i}"><field name="DIRECTION">fwd</field><value name="DISTANCE"><shadow type="math_number"><field name="NUM">${values[i]}</field></shadow></value>${chain ? `<next>${chain}</next>` : ''}</block>`;
  }
  return `<xml xmlns="https://developers.google.com/blockly/xml"><block type="iq_events_when_started" x="10" y="10"><next>${chain}</next></block></xml>`;
}

/** A structurally different program each call (a rewrite). */
function rewrite(k: number): string {
  let body = '';
  for (let i = 2 + (k % 3); i >= 0; i--) {
    body = `<block type="iq_control_repeat"><value name="TIMES"><shadow type="math_whole_number"><field name="NUM">${k + i}</field></shadow></value><statement name="SUBSTACK"><block type="iq_motion_spin_for_${(k + i) % 4}"><field name="MOTOR">m${k}</field></block></statement>${body ? `<next>${body}</next>` : ''}</block>`;
  }
  return `<xml xmlns="https://developers.google.com/blockly/xml"><block type="iq_events_when_button_${k % 5}"><statement name="S">${body}</statement></block></xml>`;
}

const minute = 60_000;
const runsOf = (projects: string[], start = Date.UTC(2026, 10, 22, 10)): StrategyRun[] =>
  projects.map((project, i) => ({ timestamp: start + i * minute, project, projectName: 'Drive' }));

describe('computeStrategyStates', () => {
  test('re-running unchanged decodes stuck, small cumulative edits iterator, rewrites explorer', () => {
    const legs = [100, 200, 300, 400, 500, 600];
    const projects: string[] = [];
    for (let i = 0; i < 6; i++) projects.push(program(legs)); // stuck: identical re-runs
    // Iterating: keep the last change and make one more, now a value, now an extra leg.
    const current = [...legs];
    for (let i = 0; i < 8; i++) {
      if (i % 2 === 0) current[i % current.length] += 15;
      else current.push(50 * i);
      projects.push(program(current));
    }
    for (let i = 0; i < 6; i++) projects.push(rewrite(i)); // explorer
    const { rows, latest } = computeStrategyStates(runsOf(projects));
    expect(rows).toHaveLength(20);
    expect(rows[0].distance).toBeNull();
    expect(rows.slice(1, 6).map((r) => r.bucket)).toEqual([0, 0, 0, 0, 0]);
    expect(rows.slice(2, 6).every((r) => r.state === STUCK)).toBe(true);
    expect(rows.slice(8, 14).every((r) => r.state === ITERATOR)).toBe(true);
    expect(rows.slice(15).every((r) => r.state === EXPLORER)).toBe(true);
    expect(rows.slice(15).every((r) => (r.bucket ?? 0) >= 3)).toBe(true);
    for (const r of rows) expect(r.posterior.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
    expect(latest?.index).toBe(19);
    expect(latest?.meta.format).toBe('blockly-xml');
  });

  test('a one-value tweak has distance 1 and bucket tweak', () => {
    const { rows } = computeStrategyStates(runsOf([program([100, 200]), program([100, 250])]));
    expect(rows[1]).toMatchObject({ distance: 1, bucket: 1, parseError: null });
    expect(rows[1].score).toBeCloseTo(1 / (rows[1].astSize ?? 0), 12);
  });

  test('a malformed program is flagged, observed as missing, and the next run compares with the last good one', () => {
    const { rows } = computeStrategyStates(runsOf([program([1, 2]), '<xml><block type="x">', program([1, 3])]));
    expect(rows[1].parseError).toMatch(/./);
    expect(rows[1]).toMatchObject({ astSize: null, distance: null, bucket: null, treeHash: null });
    expect(rows[2]).toMatchObject({ distance: 1, parseError: null });
  });

  test('runs are compared within their project, so switching projects is not a rewrite', () => {
    const runs: StrategyRun[] = [
      { timestamp: 0, project: program([1, 2]), projectName: 'A' },
      { timestamp: 1, project: rewrite(1), projectName: 'B' },
      { timestamp: 2, project: program([1, 2]), projectName: 'A' },
      { timestamp: 3, project: rewrite(1), projectName: 'B' },
    ];
    const { rows } = computeStrategyStates(runs);
    expect(rows.map((r) => r.distance)).toEqual([null, null, 0, 0]);
  });

  test('a shared cache makes a re-decode compute no new distances, with identical rows', () => {
    const projects = [program([1, 2, 3]), program([1, 2, 4]), rewrite(2), program([5, 2, 4])];
    const cache = new DistanceCache();
    const first = computeStrategyStates(runsOf(projects), { cache });
    const misses = cache.misses;
    const again = computeStrategyStates(runsOf(projects), { cache });
    expect(cache.misses).toBe(misses);
    expect(cache.hits).toBe(misses);
    expect(again.rows).toEqual(first.rows);
  });

  test('accepts ISO timestamps, rejects unreadable ones and models of the wrong size', () => {
    const { rows } = computeStrategyStates([{ timestamp: '2026-11-22T10:00:00.123Z', project: program([1]) }]);
    expect(rows[0].ts).toBe(Date.UTC(2026, 10, 22, 10, 0, 0, 123));
    expect(() => computeStrategyStates([{ timestamp: 'yesterday', project: program([1]) }])).toThrow(/runs\[0\]\.timestamp/);
    const two = { ...defaultModel, states: ['a', 'b'], startProb: [0.5, 0.5], transProb: [[1, 0], [0, 1]], emitProb: defaultModel.emitProb.slice(0, 2) };
    expect(() => computeStrategyStates([], { model: two })).toThrow(/3-state model/);
  });

  test('keepTrees returns each run\'s tree, null where it did not parse', () => {
    const { trees } = computeStrategyStates(runsOf([program([1]), '<xml', program([2])]), { keepTrees: true });
    expect(trees?.map((t) => t?.label ?? null)).toEqual(['program', null, 'program']);
    expect(computeStrategyStates(runsOf([program([1])])).trees).toBeUndefined();
  });

  test('an AST cache keyed by run parses each program once across calls, with identical rows', () => {
    const projects = [program([1, 2]), '<xml', program([1, 3])];
    const runs = runsOf(projects).map((r, i) => ({ ...r, key: `e${i}` }));
    const astCache = new Map();
    const first = computeStrategyStates(runs, { astCache });
    expect(astCache.size).toBe(3);
    const cached = [...astCache.values()];
    const again = computeStrategyStates(runs, { astCache });
    expect(again.rows).toEqual(first.rows);
    // Not parsed again: the very same entries are still there.
    [...astCache.values()].forEach((v, i) => expect(v).toBe(cached[i]));
    expect(computeStrategyStates(runs).rows).toEqual(first.rows);
  });

  test('the latest program\'s tree is read only when used: a cache that makes trees on demand makes none', () => {
    const runs = runsOf([program([1, 2]), program([1, 3])]).map((r, i) => ({ ...r, key: `e${i}` }));
    const parsed = new Map();
    computeStrategyStates(runs, { astCache: parsed });
    // The same programs, their trees counted as they are read.
    let reads = 0;
    const onDemand = new Map([...parsed].map(([k, p]) => [k, { hash: p.hash, size: p.size, meta: p.meta, shape: p.shape, get tree() { reads++; return p.tree; } }]));
    const cache = new DistanceCache();
    computeStrategyStates(runs, { astCache: onDemand, cache }); // the pair is compared once
    reads = 0;
    const { latest } = computeStrategyStates(runs, { astCache: onDemand, cache });
    expect(reads).toBe(0);
    expect(latest!.hash).toBe(parsed.get('e1').hash);
    expect(latest!.tree).toBe(parsed.get('e1').tree);
    expect(reads).toBe(1);
  });

  test('no runs, no rows', () => {
    expect(computeStrategyStates([])).toEqual({ rows: [], latest: null, pending: 0, provisional: 0 });
  });
});
