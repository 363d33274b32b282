import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultModel } from '../hmm/defaultModel.ts';
import { cloneFeatureModel, toFeatureModel } from '../hmm/featureModel.ts';
import type { FeatureModel } from '../hmm/featureModel.ts';
import { HmmError } from '../hmm/model.ts';
import { computeStrategyStates, EXPLORER, ITERATOR, STUCK } from './computeStrategyStates.ts';
import { runsFromEvents, type ContextEvent } from './context.ts';
import { decodeStates, validateStrategyModel } from './decode.ts';
import { mulberry32, randomModel } from '../hmm/sample.ts';
import { validateFeatureModel } from '../hmm/featureModel.ts';
import { defaultStrategyModel } from './defaultStrategyModel.ts';
import { labelStrategyStates } from './label.ts';

/** A bare Blockly program: a "when started" script driving one leg per value, plus `extra` empty scripts. */
function program(values: number[], extra = 0): string {
  let chain = '';
  for (let i = values.length - 1; i >= 0; i--) {
    chain = `<block type="iq_drivetrain_drive_for"><field name="DIRECTION">fwd</field><value name="DISTANCE"><shadow type="math_number"><field name="NUM">${values[i]}</field></shadow></value>${chain ? `<next>${chain}</next>` : ''}</block>`;
  }
  const scripts = Array.from({ length: extra }, (_, k) => `<block type="iq_events_when_button_${k}"><next><block type="iq_motion_spin_for_${k}"><field name="M">m${k}</field></block></next></block>`).join('');
  return `<xml xmlns="https://developers.google.com/blockly/xml"><block type="iq_events_when_started"><next>${chain}</next></block>${scripts}</xml>`;
}

const S = 1000;

/** A class period as events: each step is [seconds after the last run, program, stop reason or null]. */
function events(steps: [number, string, string | null][]): ContextEvent[] {
  const out: ContextEvent[] = [{ type: 'sessionStart', ts: 0 }];
  let t = 0;
  for (const [dt, project, stop] of steps) {
    t += dt * S;
    out.push({ type: 'runProject', ts: t, data: { project: 'Drive', workspace: project } });
    if (stop) out.push({ type: 'stopProject', ts: t + 5 * S, data: { project: 'Drive', reason: stop } });
  }
  return out;
}

describe('decoding with feature models', () => {
  test('the default strategy model reads iterating, being stuck and exploring from the log', () => {
    const legs = [100, 200, 300];
    const steps: [number, string, string | null][] = [[0, program(legs), 'user']];
    // Iterating: one value or one more leg every three to five minutes, runs that end normally.
    const current = [...legs];
    for (let i = 0; i < 6; i++) {
      if (i % 2 === 0) current[i % current.length] += 15;
      else current.push(40 * i);
      steps.push([180 + 40 * (i % 3), program(current), i % 3 === 0 ? 'completed' : 'user']);
    }
    // Stuck: the same program re-run, a value flipped back and forth, quickly, ending in errors.
    const stuckAt = steps.length;
    const flip = [...current];
    for (let i = 0; i < 6; i++) {
      flip[0] = i % 2 === 0 ? current[0] + 1 : current[0];
      steps.push([45, program(i % 3 === 2 ? current : flip), 'error']);
    }
    // Exploring: new scripts and long pauses.
    const exploreAt = steps.length;
    for (let i = 1; i <= 5; i++) steps.push([600, program([7 * i, 11 * i, 13 * i, 17 * i, 19 * i, 23 * i], i), i % 2 ? 'error' : 'user']);
    const { rows } = computeStrategyStates(runsFromEvents(events(steps)));
    const states = rows.map((r) => r.state);
    expect(states.slice(1, stuckAt)).toEqual(new Array(stuckAt - 1).fill(ITERATOR));
    expect(states.slice(stuckAt + 1, exploreAt)).toEqual(new Array(exploreAt - stuckAt - 1).fill(STUCK));
    expect(states.slice(exploreAt)).toEqual(new Array(steps.length - exploreAt).fill(EXPLORER));
    for (const r of rows) expect(r.posterior.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  });

  test('small edits that reshape the program (loops swapped, wrapped, unwrapped) read as exploring, value edits of the same size as iterating', () => {
    const leg = (mm: number, next = '') => `<block type="iq_drivetrain_drive_for"><field name="DIRECTION">fwd</field><value name="DISTANCE"><shadow type="math_number"><field name="NUM">${mm}</field></shadow></value>${next ? `<next>${next}</next>` : ''}</block>`;
    const turn = (deg: number, next = '') => `<block type="iq_drivetrain_turn_for"><field name="TURNDIRECTION">right</field><value name="ANGLE"><shadow type="math_number"><field name="NUM">${deg}</field></shadow></value>${next ? `<next>${next}</next>` : ''}</block>`;
    const loop = (kind: 'repeat' | 'forever', body: string, next = '') =>
      kind === 'repeat'
        ? `<block type="iq_control_repeat"><value name="TIMES"><shadow type="math_whole_number"><field name="NUM">4</field></shadow></value><statement name="SUBSTACK">${body}</statement>${next ? `<next>${next}</next>` : ''}</block>`
        : `<block type="iq_control_forever"><statement name="SUBSTACK">${body}</statement></block>`;
    const prog = (chain: string) => `<xml xmlns="https://developers.google.com/blockly/xml"><block type="iq_events_when_started"><next>${chain}</next></block></xml>`;
    const steps: [number, string, string | null][] = [[0, prog(loop('repeat', leg(100, turn(90)))), 'user']];
    // Iterating: a number at a time (distance 1), at the student's usual pace.
    for (let i = 1; i <= 6; i++) steps.push([200 + 20 * (i % 3), prog(loop('repeat', leg(100 + 10 * i, turn(90)))), 'user']);
    const exploreAt = steps.length;
    // Exploring with edits as small (distances 2 to 4): the loop swapped, unwrapped, wrapped again, swapped back.
    const reshaped = [
      prog(loop('forever', leg(160, turn(90)))),
      prog(leg(160, turn(90))),
      prog(loop('forever', leg(160, turn(90)))),
      prog(loop('repeat', leg(160, turn(90)))),
    ];
    for (const p of reshaped) steps.push([330, p, 'user']);
    const { rows } = computeStrategyStates(runsFromEvents(events(steps)));
    for (const r of rows.slice(exploreAt)) expect(r.distance).toBeLessThanOrEqual(4);
    expect(rows.slice(1, exploreAt).map((r) => r.state)).toEqual(new Array(exploreAt - 1).fill(ITERATOR));
    expect(rows.slice(exploreAt).map((r) => r.state)).toEqual(new Array(reshaped.length).fill(EXPLORER));
  });

  test('a bucket-only model decodes as before, and as the same model put as a one-feature model', () => {
    const runs = runsFromEvents(events([0, 1, 2, 3, 4, 5, 6, 7].map((i): [number, string, string | null] => [60, program(i < 4 ? [1, 2, i % 2] : [i, i * 2, i * 3, i * 4, i * 5].slice(0, i - 2)), null])));
    const bucket = computeStrategyStates(runs, { model: defaultModel }).rows;
    const feature = computeStrategyStates(runs, { model: toFeatureModel(defaultModel) }).rows;
    expect(feature.map((r) => r.state)).toEqual(bucket.map((r) => r.state));
    feature.forEach((r, i) => r.posterior.forEach((p, k) => expect(p).toBeCloseTo(bucket[i].posterior[k], 12)));
  });

  test('a feature model sees how runs end: the same programs with errors and fast re-runs lean to stuck', () => {
    const p = program([1, 2, 3]);
    const q = program([1, 2, 4]);
    const calm = computeStrategyStates(runsFromEvents(events([[0, p, 'user'], [300, q, 'user'], [300, p, 'user'], [300, q, 'user']])));
    const frantic = computeStrategyStates(runsFromEvents(events([[0, p, 'error'], [300, q, 'error'], [40, p, 'error'], [40, q, 'error']])));
    expect(frantic.rows[3].posterior[STUCK]).toBeGreaterThan(calm.rows[3].posterior[STUCK]);
  });
});

describe('validateStrategyModel', () => {
  test('accepts both kinds of model; refuses unknown features, wrong symbol counts and other state counts', () => {
    expect(() => validateStrategyModel(defaultModel)).not.toThrow();
    expect(() => validateStrategyModel(defaultStrategyModel)).not.toThrow();
    const edit = (f: (m: FeatureModel) => void) => {
      const m = cloneFeatureModel(defaultStrategyModel);
      f(m);
      return () => validateStrategyModel(m);
    };
    expect(edit((m) => (m.features[0].name = 'mood'))).toThrow(/unknown strategy feature 'mood'/);
    expect(edit((m) => {
      m.features[0].symbols = ['a', 'b'];
      m.features[0].emitProb = [[0.5, 0.5], [0.5, 0.5], [0.5, 0.5]];
    })).toThrow(/'edit' has 2 symbols; the feature has 6/);
    const two = { states: ['a', 'b'], startProb: [0.5, 0.5], transProb: [[1, 0], [0, 1]], emitProb: [[1], [1]] };
    expect(() => validateStrategyModel(two)).toThrow(HmmError);
  });
});

describe('the default strategy model', () => {
  test('is strategy-model.json, frozen, over features every run can have', () => {
    const json = JSON.parse(readFileSync(resolve(import.meta.dir, 'strategy-model.json'), 'utf8'));
    expect(defaultStrategyModel).toEqual(json);
    expect(defaultStrategyModel.states).toEqual(['iterator', 'explorer', 'stuck']);
    expect(Object.isFrozen(defaultStrategyModel.features[0].emitProb[0])).toBe(true);
    expect(() => computeStrategyStates([], { model: defaultStrategyModel })).not.toThrow();
  });

  test('labelStrategyStates puts a shuffled model back in order, from any of the 6 orders', () => {
    const orders = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
    for (const perm of orders) {
      const m = defaultStrategyModel;
      const shuffled: FeatureModel = {
        states: perm.map((o) => m.states[o]),
        startProb: perm.map((o) => m.startProb[o]),
        transProb: perm.map((i) => perm.map((j) => m.transProb[i][j])),
        features: m.features.map((f) => ({ ...f, emitProb: perm.map((o) => f.emitProb[o]) })),
      };
      const { model, permutation } = labelStrategyStates(shuffled);
      expect(permutation.map((p) => perm[p])).toEqual([0, 1, 2]);
      expect(model.transProb).toEqual(m.transProb);
      expect(model.features.map((f) => f.emitProb)).toEqual(m.features.map((f) => f.emitProb));
    }
  });
});

describe('posterior decoding (decode: posterior)', () => {
  /** A random 3-state model over 1–3 features of 2–4 symbols. */
  function randomStrategyLike(rng: () => number, decode: 'viterbi' | 'posterior'): FeatureModel {
    const base = randomModel(3, 2, rng);
    const F = 1 + Math.floor(rng() * 3);
    const features = Array.from({ length: F }, (_, f) => {
      const M = 2 + Math.floor(rng() * 3);
      return { name: `f${f}`, symbols: Array.from({ length: M }, (_, m) => `m${m}`), emitProb: randomModel(3, M, rng).emitProb };
    });
    return { states: ['a', 'b', 'c'], startProb: base.startProb, transProb: base.transProb, features, decode };
  }

  /** P(path, obs) for every path, by enumeration. */
  function joint(m: FeatureModel, obs: number[][]): { path: number[]; p: number }[] {
    const T = obs.length;
    const out: { path: number[]; p: number }[] = [];
    for (let code = 0; code < 3 ** T; code++) {
      const path = Array.from({ length: T }, (_, t) => Math.floor(code / 3 ** t) % 3);
      let p = 1;
      path.forEach((k, t) => {
        p *= t === 0 ? m.startProb[k] : m.transProb[path[t - 1]][k];
        m.features.forEach((f, i) => (p *= obs[t][i] < 0 ? 1 : f.emitProb[k][obs[t][i]]));
      });
      out.push({ path, p });
    }
    return out;
  }

  test("each step's most probable state by brute force; never fewer expected correct states than Viterbi", () => {
    const rng = mulberry32(2026);
    for (let trial = 0; trial < 300; trial++) {
      const m = randomStrategyLike(rng, 'posterior');
      const T = 1 + Math.floor(rng() * 5);
      const obs = Array.from({ length: T }, () => m.features.map((f) => (rng() < 0.2 ? -1 : Math.floor(rng() * f.symbols.length))));
      const paths = joint(m, obs);
      const total = paths.reduce((a, x) => a + x.p, 0);
      const marginal = Array.from({ length: T }, (_, t) => [0, 1, 2].map((k) => paths.filter((x) => x.path[t] === k).reduce((a, x) => a + x.p, 0) / total));
      const states = decodeStates(m, obs);
      const viterbi = decodeStates({ ...m, decode: 'viterbi' }, obs);
      // Chosen states are the marginal maxima (up to floating-point ties).
      states.forEach((k, t) => expect(marginal[t][k]).toBeGreaterThanOrEqual(Math.max(...marginal[t]) - 1e-12));
      // The Viterbi path is the brute-force best path.
      const best = Math.max(...paths.map((x) => x.p));
      expect(paths.find((x) => x.path.join() === viterbi.join())!.p).toBeGreaterThanOrEqual(best * (1 - 1e-9));
      // Expected number of runs decoded right: posterior decoding is never behind.
      const expected = (ks: number[]) => ks.reduce((a, k, t) => a + marginal[t][k], 0);
      expect(expected(states)).toBeGreaterThanOrEqual(expected(viterbi) - 1e-12);
    }
  });

  test('the default decodes by posterior: every row takes its most probable state; other models keep Viterbi', () => {
    expect(defaultStrategyModel.decode).toBe('posterior');
    const p = program([1, 2, 3]);
    const q = program([1, 2, 4]);
    const steps: [number, string, string | null][] = [[0, p, 'user'], [200, q, 'user'], [60, p, 'error'], [40, q, 'error'], [50, q, 'error'], [600, program([5, 6, 7, 8, 9], 1), 'user'], [300, program([5, 6, 7, 8, 10], 1), 'user']];
    const { rows } = computeStrategyStates(runsFromEvents(events(steps)));
    for (const r of rows) expect(r.posterior[r.state]).toBe(Math.max(...r.posterior));
    const m = cloneFeatureModel(defaultStrategyModel);
    delete m.decode;
    const obs = rows.map(() => m.features.map(() => -1));
    expect(decodeStates(m, obs)).toEqual(decodeStates({ ...m, decode: 'viterbi' }, obs));
  });

  test('decode must be viterbi or posterior', () => {
    const m = { ...cloneFeatureModel(defaultStrategyModel), decode: 'mode' };
    expect(() => validateFeatureModel(m)).toThrow(/model.decode must be 'viterbi' or 'posterior'/);
  });
});
