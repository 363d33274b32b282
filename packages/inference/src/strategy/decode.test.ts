import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultModel } from '../hmm/defaultModel.ts';
import { cloneFeatureModel, toFeatureModel } from '../hmm/featureModel.ts';
import type { FeatureModel } from '../hmm/featureModel.ts';
import { HmmError } from '../hmm/model.ts';
import { computeStrategyStates, EXPLORER, ITERATOR, STUCK } from './computeStrategyStates.ts';
import { runsFromEvents, type ContextEvent } from './context.ts';
import { validateStrategyModel } from './decode.ts';
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
