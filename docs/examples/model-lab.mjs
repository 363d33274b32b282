// Fit a strategy model to a class and judge it against the default, in a notebook: what
// `lmdash model fit` and `lmdash model compare` do, on an event log and its ground truth.
// Runs as it is under Node >= 20 (`node docs/examples/model-lab.mjs` from the repository root).
import { readFileSync } from 'node:fs';
import {
  STATE_NAMES,
  decodeStates,
  defaultStrategyModel,
  featureForwardBackward,
  fitFeatureBaumWelch,
  labelStrategyStates,
  observeRuns,
  runsFromEvents,
} from '@lmdash/inference';

// 1. The log (the committed classroom: 30 students, 90 minutes) and the hidden state of each run.
const lines = (file) => readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const byStudent = new Map();
for (const e of lines('fixtures/logs/classroom.jsonl')) byStudent.set(e.student, [...(byStudent.get(e.student) ?? []), e]);
const truth = new Map(lines('fixtures/logs/classroom.truth.jsonl').filter((t) => !t.malformed).map((t) => [String(t.eventId), t.state]));

// 2. Each student's runs as observation vectors over the default model's features.
const features = defaultStrategyModel.features.map((f) => f.name);
const students = [...byStudent.keys()].sort().map((id) => {
  const runs = runsFromEvents(byStudent.get(id), (e) => String(e.id));
  return { id, keys: runs.map((r) => r.key), obs: observeRuns(runs, features).obs };
});
const runCount = students.reduce((n, s) => n + s.obs.length, 0);

// 3. Fit: Baum-Welch MAP from the default model, which is also the prior (10 observations per row).
const fit = (seqs) => labelStrategyStates(fitFeatureBaumWelch(seqs, defaultStrategyModel, { prior: defaultStrategyModel, priorWeight: 10 }).model).model;
const classModel = fit(students.map((s) => s.obs));

// 4. Held-out log-likelihood per run: students in 5 folds, the model refitted without each fold.
const logL = (model, seqs) => seqs.reduce((sum, o) => sum + (o.length > 0 ? featureForwardBackward(model, o).logLikelihood : 0), 0);
let asGiven = 0;
let refitted = 0;
for (let f = 0; f < 5; f++) {
  const test = students.filter((_, i) => i % 5 === f).map((s) => s.obs);
  asGiven += logL(defaultStrategyModel, test);
  refitted += logL(fit(students.filter((_, i) => i % 5 !== f).map((s) => s.obs)), test);
}
console.log(`held-out log-likelihood per run: default ${(asGiven / runCount).toFixed(3)}, refitted ${(refitted / runCount).toFixed(3)}`);

// 5. Decodings (as the daemon decodes: the default picks each run's most probable state): how
// often the two agree, and how often each matches the hidden state.
const decode = (model) => students.map((s) => decodeStates(model, s.obs));
const [a, b] = [decode(defaultStrategyModel), decode(classModel)];
const same = a.flat().filter((k, i) => k === b.flat()[i]).length;
console.log(`the two decode the same state on ${((100 * same) / runCount).toFixed(1)} % of runs`);
for (const [name, paths] of [['default', a], ['refitted', b]]) {
  const right = [0, 0, 0];
  const total = [0, 0, 0];
  students.forEach((s, i) => s.keys.forEach((key, t) => {
    const hidden = truth.get(key);
    if (hidden === undefined) return;
    total[hidden]++;
    if (paths[i][t] === hidden) right[hidden]++;
  }));
  console.log(`${name}: agreement with the hidden states`, Object.fromEntries(STATE_NAMES.map((s, k) => [s, `${((100 * right[k]) / total[k]).toFixed(1)} %`])));
}
