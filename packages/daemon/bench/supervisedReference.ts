/**
 * How well could any model of the default's features do on classes of the classic generator?
 * Counts every probability of such a model from the hidden states of classic classes on the
 * training seeds (supervised, add-one smoothed: what this model family would be with the labels
 * known), then scores it and the default on held-out classic classes as the decoding benchmark
 * does. Its false-alert share is the floor HMM.md reads the default's against.
 *
 *   bun packages/daemon/bench/supervisedReference.ts     # about a minute
 */
import { DistanceCache, defaultStrategyModel, observeRuns, runsFromEvents, type FeatureModel } from '@lmdash/inference';
import { EVAL_SEEDS, TRAIN_SEEDS, generatedClass } from './classes.ts';
import { evaluateClass, type ModelUnderTest } from './decoding.ts';
import { overall } from '../src/model/agreement.ts';

const HELD_OUT = [...EVAL_SEEDS, 9004, 9005, 9006];
const CLASS = { profile: 'classic' as const, students: 30, minutes: 90 };

function supervisedModel(base: FeatureModel): FeatureModel {
  const names = base.features.map((f) => f.name);
  const start = [1, 1, 1];
  const trans = [0, 1, 2].map(() => [1, 1, 1]);
  const emit = base.features.map((f) => [0, 1, 2].map(() => f.symbols.map(() => 1)));
  for (const seed of TRAIN_SEEDS) {
    for (const s of generatedClass({ ...CLASS, seed, students: 40 }).students) {
      const { obs } = observeRuns(runsFromEvents(s.events, (e) => e.sourceEventId), names, { cache: new DistanceCache() });
      obs.forEach((o, t) => {
        const h = s.hidden[t];
        if (t === 0) start[h]++;
        else trans[s.hidden[t - 1]][h]++;
        o.forEach((x, k) => {
          if (x >= 0) emit[k][h][x]++;
        });
      });
    }
  }
  const norm = (r: number[]) => r.map((x) => x / r.reduce((a, b) => a + b, 0));
  return { ...base, name: 'supervised', startProb: norm(start), transProb: trans.map(norm), features: base.features.map((f, k) => ({ ...f, emitProb: emit[k].map(norm) })) };
}

const sup = supervisedModel(defaultStrategyModel);
const models: ModelUnderTest[] = [
  { name: 'default (unsupervised, never fitted on classic)', model: defaultStrategyModel },
  { name: 'counted from classic hidden states, posterior', model: sup },
  { name: 'counted from classic hidden states, Viterbi', model: { ...sup, decode: 'viterbi' } },
];
const totals = models.map(() => ({ conf: [0, 1, 2].map(() => [0, 0, 0]), oracle: 0, recalled: 0, alerts: 0, falseAlerts: 0 }));
for (const seed of HELD_OUT) {
  evaluateClass(generatedClass({ ...CLASS, seed }), models).forEach((e, k) => {
    const t = totals[k];
    e.final.forEach((row, i) => row.forEach((n, j) => (t.conf[i][j] += n)));
    t.oracle += e.alerts.oracle;
    t.recalled += e.alerts.recalled;
    t.alerts += e.alerts.alerts;
    t.falseAlerts += e.alerts.falseAlerts;
  });
}
console.log(`classic classes, ${CLASS.students} × ${CLASS.minutes} min, seeds ${HELD_OUT.join(', ')}:`);
totals.forEach((t, k) => {
  const agree = t.conf.map((r, i) => `${((100 * r[i]) / r.reduce((a, b) => a + b, 0)).toFixed(1)} %`).join(' / ');
  console.log(`${models[k].name}: agreement ${agree} (overall ${(100 * overall(t.conf)).toFixed(1)} %); recall ${((100 * t.recalled) / t.oracle).toFixed(1)} %; false alerts ${t.falseAlerts} of ${t.alerts} (${((100 * t.falseAlerts) / t.alerts).toFixed(1)} %)`);
});
