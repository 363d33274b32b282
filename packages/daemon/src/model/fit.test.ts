// Fitted on some generated classes, a model decodes other classes (other seeds) well: the
// hidden states are used only to judge, never to fit.
import { describe, expect, test } from 'bun:test';
import { DistanceCache, cloneFeatureModel, defaultStrategyModel, featureViterbi, observeRuns, runsFromEvents, type FeatureModel } from '@lmdash/inference';
import { generatedClass, type GeneratedClass } from '../../bench/classes.ts';
import { addPairs, emptyConfusion, recallOf } from './agreement.ts';
import { featuresOf, fitStrategyModel } from './fit.ts';

const features = featuresOf(defaultStrategyModel);
const observe = (cls: GeneratedClass) =>
  cls.students.map((s) => ({ obs: observeRuns(runsFromEvents(s.events, (e) => e.sourceEventId), features, { cache: new DistanceCache() }).obs, hidden: s.hidden.map((h, i) => (s.malformed[i] ? null : h)) }));

const train = [601, 602].flatMap((seed) => observe(generatedClass({ profile: 'novice', seed, students: 25, minutes: 60 })));
const test_ = [603, 604].flatMap((seed) => observe(generatedClass({ profile: 'novice', seed, students: 25, minutes: 60 })));

function agreement(model: FeatureModel): number[] {
  const c = emptyConfusion();
  for (const s of test_) if (s.obs.length > 0) addPairs(c, s.hidden, featureViterbi(model, s.obs).path);
  return [0, 1, 2].map((k) => recallOf(c, k));
}

/** The default model with its emissions halfway to uniform and its transitions flattened: a vague start. */
function vague(): FeatureModel {
  const m = cloneFeatureModel(defaultStrategyModel);
  for (const f of m.features) f.emitProb = f.emitProb.map((r) => r.map((p) => 0.5 * p + 0.5 / r.length));
  m.transProb = m.transProb.map((r, i) => r.map((_, j) => (i === j ? 0.6 : 0.2)));
  return m;
}

describe('fitting on some classes, decoding others', () => {
  test('Baum-Welch from a vague start on seeds 601-602 decodes seeds 603-604 far better than the start, and well', () => {
    const start = vague();
    const before = agreement(start);
    const fitted = fitStrategyModel(train.map((s) => s.obs), start, { priorWeight: 1 });
    expect(fitted.relabelled).toBe(false);
    const after = agreement(fitted.model);
    console.log(`held-out agreement (iterator, explorer, stuck): vague start ${before.map((x) => x.toFixed(3))}, fitted ${after.map((x) => x.toFixed(3))}`);
    expect(after[0]).toBeGreaterThan(0.85);
    expect(after[1]).toBeGreaterThan(0.8); // explorers reshape their programs (the `structure` feature)
    expect(after[2]).toBeGreaterThan(0.8);
    expect(after[0] + after[1] + after[2]).toBeGreaterThan(before[0] + before[1] + before[2] + 0.05);
  }, 60_000);
});
