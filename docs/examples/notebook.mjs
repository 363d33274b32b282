// Strategy states of a classroom from a notebook: read an event log, decode each student's
// runs with the default model, refit the model to this class with Baum-Welch, and look at
// one student's episodes and playground prompt. Runs as it is under Node >= 20 (`node
// docs/examples/notebook.mjs` from the repository root) and in a Node Jupyter kernel.
import { readFileSync } from 'node:fs';
import {
  STATE_NAMES,
  buildPlaygroundPrompt,
  computeStrategyStates,
  defaultStrategyModel,
  extractAst,
  fitFeatureBaumWelch,
  labelStrategyStates,
  observeRuns,
  runsFromEvents,
  segmentEpisodes,
} from '@lmdash/inference';

// 1. The log: one source event per line (here the committed small fixture classroom).
const events = readFileSync('fixtures/logs/small.jsonl', 'utf8').trim().split('\n').map((line) => JSON.parse(line));
const byStudent = new Map();
for (const e of events) byStudent.set(e.student, [...(byStudent.get(e.student) ?? []), e]);

// 2. Each student's runs, with what the log says around them (how each run ended, new
//    sessions), decoded with the default model.
const decoded = new Map();
const runsOf = new Map();
for (const [student, evs] of byStudent) {
  const runs = runsFromEvents(evs);
  runsOf.set(student, runs);
  decoded.set(student, computeStrategyStates(runs).rows);
}
const counts = [0, 0, 0];
for (const rows of decoded.values()) for (const r of rows) if (r.parseError === null) counts[r.state]++;
console.log('runs per state (default model):', Object.fromEntries(STATE_NAMES.map((name, k) => [name, counts[k]])));

// 3. Refit the model to this class: each run's observation vector over the model's features
//    (-1 = not known for that run), Baum-Welch with the default model as the prior.
const features = defaultStrategyModel.features.map((f) => f.name);
const sequences = [...runsOf.values()].map((runs) => observeRuns(runs, features).obs);
const fit = fitFeatureBaumWelch(sequences, defaultStrategyModel, { prior: defaultStrategyModel, priorWeight: 10, maxIter: 100 });
const { model } = labelStrategyStates(fit.model);
console.log(`Baum-Welch: ${fit.iterations} iterations, log-likelihood ${fit.logLikelihood.toFixed(1)}`);
console.log('stay probabilities:', Object.fromEntries(model.states.map((s, k) => [s, +model.transProb[k][k].toFixed(3)])));

// 4. One student's work episodes and the prompt for their latest program.
const [student, evs] = [...byStudent][0];
const rows = decoded.get(student);
let run = 0;
const episodeEvents = evs.map((e) => {
  const base = { type: e.type, ts: Date.parse(e.timestamp), project: e.data?.project ?? null, reason: e.data?.reason ?? null };
  if (e.type !== 'runProject') return base;
  const row = rows[run++];
  let tree = null;
  try {
    tree = extractAst(e.data.workspace).tree;
  } catch {
    // a malformed workspace: the episode counts it as a parse error
  }
  return { ...base, state: row.state, tree };
});
const episodes = segmentEpisodes(episodeEvents);
console.log(`${student}: ${episodes.length} episodes`, episodes.map((ep) => `${ep.counts.runs} runs, ended by ${ep.endReason}`));

const runEvents = evs.filter((e) => e.type === 'runProject');
const latest = runEvents.findLast((e, i) => rows[i].parseError === null);
const { tree, meta } = extractAst(latest.data.workspace);
const prompt = buildPlaygroundPrompt({ tree, platform: meta.platform, devices: meta.devices, recentStates: rows.slice(-12).map((r) => r.state) });
console.log(prompt.split('\n').slice(0, 12).join('\n'));

// 5. Optional: put a figure on the running dashboard (loopback only; see docs/producers.md).
await fetch('http://127.0.0.1:8447/publish', {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ type: 'table', name: 'runs per state (default model)', columns: ['state', 'runs'], rows: STATE_NAMES.map((s, k) => [s, counts[k]]) }),
}).catch(() => console.log('(no dashboard running: nothing published)'));
