/**
 * Decoding benchmark: classes generated on held-out seeds for every size profile, decoded as
 * the daemon decodes them, against the generator's hidden states. Per model: confusion matrices
 * (the final decode, and the state the card showed right after each run), and wheel-spin alerts
 * against an oracle that applies the same rule (triggers/rules.ts) to the hidden states: recall
 * within 2 runs, delay, and alerts whose streak holds no hidden stuck run.
 *
 * Part of `bun run bench` (run.ts); alone, `bun bench/decoding.ts [--write]` prints the section
 * and with --write replaces it in docs/benchmarks.md.
 */
import { DistanceCache, defaultModel, defaultStrategyModel, validateStrategyModel, type FeatureModel } from '@lmdash/inference';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { addConfusion, addPairs, emptyConfusion, overall, recallOf, type Confusion } from '../src/model/agreement.ts';
import { replayStudent, type DecodeModel } from '../src/model/replay.ts';
import { addScores, emptyScore, scoreAlerts, stateTimeline, wheelspinAlerts, type AlertScore } from '../src/model/alerts.ts';
import { EVAL_PROFILES, EVAL_SEEDS, TRAIN_SEEDS, committedClass, generatedClass, type ClassSpec, type GeneratedClass } from './classes.ts';
import { quantile } from './stats.ts';

export const SECTION = '### Decoding against the hidden states (held-out generated classes)';

export type ModelUnderTest = { name: string; model: DecodeModel };

export type Evaluation = { final: Confusion; live: Confusion; alerts: AlertScore; runs: number };

const emptyEvaluation = (): Evaluation => ({ final: emptyConfusion(), live: emptyConfusion(), alerts: emptyScore(), runs: 0 });

function add(a: Evaluation, b: Evaluation): Evaluation {
  return { final: addConfusion(a.final, b.final), live: addConfusion(a.live, b.live), alerts: addScores(a.alerts, b.alerts), runs: a.runs + b.runs };
}

/** Every model on one class; programs are parsed and compared once for all of them. */
export function evaluateClass(cls: GeneratedClass, models: readonly ModelUnderTest[]): Evaluation[] {
  const out = models.map(emptyEvaluation);
  for (const s of cls.students) {
    const cache = new DistanceCache();
    const astCache = new Map();
    const runTimes = s.events.filter((e) => e.type === 'runProject').map((e) => e.ts);
    const known = s.hidden.map((h, i) => (s.malformed[i] ? null : h));
    const oracle = wheelspinAlerts(stateTimeline(runTimes, s.hidden), cls.end);
    models.forEach((m, k) => {
      const { rows, timeline } = replayStudent(s.events, { model: m.model, cache, astCache, live: true });
      // The card right after each run: the last timeline point at or before the run's time.
      const live: (number | null)[] = [];
      let p = 0;
      for (const t of runTimes) {
        while (p + 1 < timeline.length && timeline[p + 1].t <= t) p++;
        live.push(timeline[p].state);
      }
      const real = wheelspinAlerts(timeline, cls.end);
      out[k] = add(out[k], {
        final: addPairs(emptyConfusion(), known, rows.map((r) => (r.parseError === null ? r.state : null))),
        live: addPairs(emptyConfusion(), known, live.map((x, i) => (rows[i].parseError === null ? x : null))),
        alerts: scoreAlerts(real, oracle, runTimes, s.hidden),
        runs: rows.length,
      });
    });
  }
  return out;
}

/** The classes of the benchmark: every profile on the held-out seeds, the `lmdash start` tempo, the classic generator, the committed classroom log. */
export function benchClasses(students = 40, minutes = 90): { label: string; classes: (() => GeneratedClass)[]; seeds: string }[] {
  const generated = (specs: ClassSpec[]) => specs.map((spec) => () => generatedClass(spec));
  return [
    ...EVAL_PROFILES.map((profile) => ({ label: profile, seeds: EVAL_SEEDS.join(', '), classes: generated(EVAL_SEEDS.map((seed) => ({ profile, seed, students, minutes }))) })),
    { label: 'mixed, tempo 3 (`lmdash start`)', seeds: EVAL_SEEDS.join(', '), classes: generated(EVAL_SEEDS.map((seed) => ({ profile: 'mixed' as const, seed, students, minutes, tempo: 3 }))) },
    { label: 'classic (the generator without a profile)', seeds: EVAL_SEEDS.join(', '), classes: generated(EVAL_SEEDS.map((seed) => ({ profile: 'classic' as const, seed, students, minutes }))) },
    { label: 'committed classroom log (classic, 30 × 90 min)', seeds: '42', classes: [() => committedClass('classroom')] },
  ];
}

const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(1)} %`);

export function benchDecoding(models: readonly ModelUnderTest[], students = 40, minutes = 90): string[] {
  const groups = benchClasses(students, minutes);
  const results = groups.map((g) => {
    let acc = models.map(emptyEvaluation);
    for (const make of g.classes) {
      const t0 = performance.now();
      const cls = make();
      const r = evaluateClass(cls, models);
      acc = acc.map((a, k) => add(a, r[k]));
      console.log(`decoding: ${g.label} seed ${cls.spec.seed}: ${r.map((e, k) => `${models[k].name} ${pct(overall(e.final))}`).join(', ')} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    }
    return acc;
  });
  const out: string[] = [SECTION, ''];
  out.push(
    `Classes of ${students} students and ${minutes} minutes generated on seeds ${EVAL_SEEDS.join(', ')} (no model was fitted on them), for every size profile, plus the \`mixed\` class at the tempo \`lmdash start\` serves (runs three times as often), the classic generator (\`--profile classic\`: 10–80-block programs, not a size profile, and never in the default model's training data) on the same seeds, and the committed classroom log (\`fixtures/logs/classroom.jsonl\`, the classic generator). Each student's events are decoded as the daemon decodes them. **Agreement** is the share of runs of each hidden state decoded as that state (runs with a malformed program left out): *final* is the run table once the class is over (decoded over the whole history: the Viterbi path for the bucket-only and six-feature models, each run's most probable state for the default, which says \`decode: posterior\`), *live* the state the card showed right after the run. **Alerts**: the wheel-spin rule (docs/triggers.md: a stuck streak of ≥ 3 runs begun ≥ 120 s ago) applied continuously to the live card, and by an oracle to the hidden states; *recall* is the share of the oracle's alerts covered by a real alert (streaks sharing a run) at most 2 of the student's runs after the oracle's opened, *delay* counts those runs (median / p90 over the covered ones), a *false alert* has no hidden stuck run in its streak. Goals: agreement ≥ 85 % for each state; recall ≥ 90 % within 2 runs; false alerts ≤ 5 %.`,
    '',
  );
  out.push('| classes | model | runs | iterator | explorer | stuck | overall | live: iterator / explorer / stuck | oracle alerts | recall ≤ 2 runs (any delay) | delay median / p90 | alerts | false alerts |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  groups.forEach((g, gi) => {
    models.forEach((m, k) => {
      const e = results[gi][k];
      const a = e.alerts;
      out.push(
        `| ${g.label} | ${m.name} | ${e.runs} | ${pct(recallOf(e.final, 0))} | ${pct(recallOf(e.final, 1))} | ${pct(recallOf(e.final, 2))} | ${pct(overall(e.final))} | ${[0, 1, 2].map((s) => pct(recallOf(e.live, s))).join(' / ')} | ${a.oracle} | ${pct(a.recalled / a.oracle)} (${pct(a.found / a.oracle)}) | ${a.delays.length ? `${quantile(a.delays, 0.5)} / ${quantile(a.delays, 0.9)}` : '–'} | ${a.alerts} | ${a.falseAlerts} (${pct(a.falseAlerts / a.alerts)}) |`,
      );
    });
  });
  // Which goals the last model (the default) meets, class by class.
  const last = models.length - 1;
  const verdict = groups.map((g, gi) => {
    const e = results[gi][last];
    const a = e.alerts;
    const misses = [
      ...['iterator', 'explorer', 'stuck'].filter((_, k) => !(recallOf(e.final, k) >= 0.85)).map((s) => `${s} agreement`),
      ...(a.recalled / a.oracle >= 0.9 ? [] : ['alert recall']),
      ...(a.falseAlerts / a.alerts <= 0.05 ? [] : ['false alerts']),
    ];
    return `${g.label}: ${misses.length === 0 ? 'all met' : `not met: ${misses.join(', ')}`}`;
  });
  out.push('', `Goals with ${models[last].name}: ${verdict.join('; ')}.`);
  out.push('', 'Confusion matrices of the final decode (rows: hidden state; columns: decoded iterator / explorer / stuck):', '');
  out.push(`| classes | hidden | ${models.map((m) => m.name).join(' | ')} |`, `|---|---|${models.map(() => '---|').join('')}`);
  groups.forEach((g, gi) => {
    ['iterator', 'explorer', 'stuck'].forEach((name, s) => {
      out.push(`| ${s === 0 ? g.label : ''} | ${name} | ${models.map((_, k) => results[gi][k].final[s].join(' / ')).join(' | ')} |`);
    });
  });
  out.push('');
  return out;
}

/**
 * The six-feature model that was the default before the `structure` feature (edit, revert,
 * stop, pace, switch, scripts; fitted the same way on the same seeds), kept for comparison.
 */
export function sixFeatureModel(): FeatureModel {
  const m = JSON.parse(readFileSync(resolve(import.meta.dir, 'models/six-features.json'), 'utf8'));
  validateStrategyModel(m);
  return m as FeatureModel;
}

/** The models the benchmark compares; the last is the default, whose goals are checked. */
export function benchModels(): ModelUnderTest[] {
  return [
    { name: 'change buckets only (the default before issue 14)', model: defaultModel },
    { name: 'six features with `scripts` (the first fitted default)', model: sixFeatureModel() },
    { name: `strategy features with \`structure\` (the default, fitted on seeds ${TRAIN_SEEDS.join(', ')})`, model: defaultStrategyModel },
  ];
}

/** Replaces this section inside docs/benchmarks.md (used when run alone). */
export function writeSection(lines: readonly string[]): string {
  const docs = resolve(import.meta.dir, '../../../docs/benchmarks.md');
  const text = readFileSync(docs, 'utf8');
  const at = text.indexOf(SECTION);
  let next: string;
  if (at < 0) {
    // Not there yet: first in the daemon's section.
    const daemon = text.indexOf('\n## Daemon (');
    const afterHeading = text.indexOf('\n', daemon + 1) + 1;
    next = text.slice(0, afterHeading) + '\n' + lines.join('\n') + text.slice(afterHeading);
  } else {
    const end = text.slice(at + SECTION.length).search(/\n#{2,3} /);
    const tail = end < 0 ? '' : text.slice(at + SECTION.length + end + 1);
    next = text.slice(0, at) + lines.join('\n') + '\n' + tail;
  }
  writeFileSync(docs, next);
  return docs;
}

if (import.meta.main) {
  const lines = benchDecoding(benchModels());
  console.log(lines.join('\n'));
  if (process.argv.includes('--write')) console.log(`wrote ${writeSection(lines)}`);
}
