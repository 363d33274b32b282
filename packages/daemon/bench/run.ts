/**
 * Daemon benchmarks, appended to docs/benchmarks.md (after the inference figures that
 * `bun run bench` writes first): accuracy of the decoded states against the generator's ground
 * truth, drain throughput next to a raw bun:sqlite insert of the same rows, tick times in
 * process and in the daemon as its own process (with its peak RSS), and a rebuild of a
 * million events.
 */
import { openDatabase, sourceEventKey, type SourceEvent } from '@lmdash/core';
import { generateClassroom, readEventLog } from '@lmdash/fixtures';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inProcessDaemon } from '../test/harness.ts';
import { projectStudent } from '../src/projection/projectStudent.ts';
import { ingestEvents } from '../src/store/log.ts';
import { tick } from '../src/tick/tick.ts';
import { benchDaemonProcess } from './daemonProcess.ts';
import { benchRealSizeProcess } from './realSize.ts';
import { benchRebuild } from './rebuild.ts';

const root = resolve(import.meta.dir, '../../..');
const out: string[] = ['', '## Daemon (`packages/daemon/bench/run.ts`)', ''];
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

// 1. Accuracy of the decoded states on the committed classroom log.
{
  const events = readEventLog(resolve(root, 'fixtures/logs/classroom.jsonl'));
  const truth = readFileSync(resolve(root, 'fixtures/logs/classroom.truth.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { student: string; runIndex: number; state: number; malformed?: string });
  const byStudent = new Map<string, SourceEvent[]>();
  for (const e of events) (byStudent.get(e.student) ?? byStudent.set(e.student, []).get(e.student)!).push(e);
  const runs = new Map<string, { state: number; parseError: string | null }[]>();
  for (const [s, evs] of byStudent) runs.set(s, projectStudent(s, evs.map((e) => ({ sourceEventId: String(e.id), type: e.type, ts: Date.parse(e.timestamp), data: e.data }))).runs);
  const names = ['iterator', 'explorer', 'stuck'];
  const conf = [0, 1, 2].map(() => [0, 0, 0]);
  for (const t of truth) {
    const r = runs.get(t.student)![t.runIndex];
    if (t.malformed || r.parseError) continue;
    conf[t.state][r.state]++;
  }
  const total = conf.flat().reduce((a, b) => a + b, 0);
  const right = conf[0][0] + conf[1][1] + conf[2][2];
  out.push(`### Decoded states against the ground truth (committed classroom log, default model)`, '');
  out.push(`Overall ${right}/${total} runs = ${((100 * right) / total).toFixed(1)} %. Rows: the generator's hidden state; columns: the decoded state.`, '');
  out.push('| hidden \\ decoded | iterator | explorer | stuck | recall |', '|---|---|---|---|---|');
  for (let k = 0; k < 3; k++) {
    const n = conf[k].reduce((a, b) => a + b, 0);
    out.push(`| ${names[k]} | ${conf[k].join(' | ')} | ${((100 * conf[k][k]) / n).toFixed(1)} % (${conf[k][k]}/${n}) |`);
  }
  out.push('');
  console.log(`accuracy ${((100 * right) / total).toFixed(1)} %`);
}

// 2. Drain throughput: ingestEvents against a raw prepared insert of the same rows.
{
  const { events } = generateClassroom({ students: 300, minutes: 60, seed: 11 });
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-bench-'));
  try {
    const a = openDatabase(join(dir, 'a.sqlite'));
    const t0 = performance.now();
    for (let i = 0; i < events.length; i += 1000) ingestEvents(a.db, events.slice(i, i + 1000), null, 0);
    const ingestMs = performance.now() - t0;
    a.close();
    const raw = openDatabase(join(dir, 'b.sqlite'));
    const stmt = raw.sqlite.prepare('INSERT INTO vex_log (source_event_id, student_id, type, ts, data, ingested_at) VALUES (?, ?, ?, ?, ?, ?)');
    const t1 = performance.now();
    for (let i = 0; i < events.length; i += 1000) {
      raw.sqlite.transaction(() => {
        for (const e of events.slice(i, i + 1000)) stmt.run(sourceEventKey(e.id), e.student, e.type, Date.parse(e.timestamp), JSON.stringify(e.data), 0);
      })();
    }
    const rawMs = performance.now() - t1;
    raw.close();
    const rate = (n: number, t: number) => Math.round((n * 1000) / t).toLocaleString('en');
    out.push(`### Drain throughput`, '');
    out.push(`${events.length.toLocaleString('en')} generated events (300 students, 60 minutes) in pages of 1,000: \`ingestEvents\` ${rate(events.length, ingestMs)} events/s; a raw bun:sqlite prepared insert of the same rows ${rate(events.length, rawMs)} events/s (ratio ${(ingestMs / rawMs).toFixed(2)}; goal: within 2x).`, '');
    console.log(`drain ${rate(events.length, ingestMs)}/s vs raw ${rate(events.length, rawMs)}/s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// 3. Tick times in process: the simulator without network, a clock the benchmark moves.
out.push('### Tick time while a class goes on (in process)', '');
out.push(
  'The simulator in process (no network) serving a generated class; the daemon starts cold 20 minutes into the class (its first tick catches up on them), then follows 5 minutes of class at the loop\'s own cadence: each tick starts 0.5 s after the previous one ended (the adaptive sleep while events keep coming), so a tick sees the events of that time. **The goal (p95 < 100 ms at 1,000 students) applies to these ticks.** The last column is a stress case: one whole minute of class per tick.',
  '',
);
out.push('| students | catch-up tick (20 min of class) | ticks | events per tick | tick p50 ms | tick p95 ms | max ms | stress: a minute per tick, p50 / p95 ms |', '|---|---|---|---|---|---|---|---|');
for (const students of [30, 300, 1000]) {
  const { events, roster } = generateClassroom({ students, minutes: 45, seed: 3 });
  const first = Date.parse(events[0].timestamp);
  let now = first + 20 * 60_000;
  const cadence = inProcessDaemon({ events, roster, now: () => now });
  const catchUp = await tick(cadence.ctx);
  const times: number[] = [];
  let ingested = 0;
  for (const end = now + 5 * 60_000; now < end; ) {
    now += 500;
    const r = await tick(cadence.ctx);
    times.push(r.ms);
    ingested += r.ingested;
    now += Math.round(r.ms); // the tick's own time passes on the class's clock too
  }
  cadence.cleanup();
  // Stress: the same class, a minute of it per tick.
  now = first;
  const stress = inProcessDaemon({ events, roster, now: () => now });
  const stressTimes: number[] = [];
  for (let m = 0; m <= 45; m++) {
    now = first + m * 60_000;
    const r = await tick(stress.ctx);
    if (m > 0) stressTimes.push(r.ms);
  }
  stress.cleanup();
  out.push(
    `| ${students} | ${(catchUp.ingested + catchUp.backfilled).toLocaleString('en')} events, ${ms(catchUp.ms)} ms | ${times.length} | ${(ingested / times.length).toFixed(1)} | ${ms(q(times, 0.5))} | ${ms(q(times, 0.95))} | ${ms(Math.max(...times))} | ${ms(q(stressTimes, 0.5))} / ${ms(q(stressTimes, 0.95))} |`,
  );
  console.log(`${students} students: catch-up ${ms(catchUp.ms)} ms; cadence p50 ${ms(q(times, 0.5))} p95 ${ms(q(times, 0.95))} ms; stress p50 ${ms(q(stressTimes, 0.5))} p95 ${ms(q(stressTimes, 0.95))} ms`);
}
out.push('');

// 3b. The same on real-size programs, with the pool of distance threads.
{
  out.push('### Tick time on real-size programs (in process, with the distance threads)', '');
  out.push(
    'As above, on classes of the generator\'s `team` (500–2,000-node programs) and `mixed` profiles, with `LMDASH_DISTANCE_WORKERS=2`. The catch-up ticks until no student waits for a distance; then one minute of class is followed in real time at the loop\'s cadence (0.5 s between ticks), so the threads work as they would live. **Goal: tick p95 < 100 ms, peak RSS < 300 MB.** Each row runs in its own process; peak RSS is the peak of that process (the simulator and the generated class are in it too).',
    '',
  );
  out.push('| programs | students | runs in the class | catch-up: events, first tick | catch-up: all distances in | ticks followed | events per tick | tick p50 ms | tick p95 ms | max ms | peak RSS MB (process) |', '|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [profile, students] of [['team', 300], ['mixed', 300], ['mixed', 1000]] as const) {
    const r = await benchRealSizeProcess({ profile, students, workers: 2, followSeconds: 60 });
    out.push(
      `| ${profile} | ${students} | ${r.runs.toLocaleString('en')} | ${r.catchUp.events.toLocaleString('en')} events, ${ms(r.catchUp.firstMs)} ms | ${(r.catchUp.wallMs / 1000).toFixed(1)} s (${r.catchUp.ticks} ticks) | ${r.follow.ticks} | ${r.follow.eventsPerTick.toFixed(1)} | ${ms(r.follow.p50)} | ${ms(r.follow.p95)} | ${ms(r.follow.max)} | ${r.peakMb.toFixed(0)} |`,
    );
  }
  out.push('');
}

// 4. The daemon as its own process, and a rebuild of a million events.
{
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-bench-'));
  try {
    out.push('### The daemon as its own process', '');
    out.push(
      '`lmdash sim --as-is` serves a generated class that began 30 minutes ago, at real time; `lmdash daemon --track-all` starts cold (its first tick catches up on the 30 minutes), then follows the class for two minutes. Tick times are the ones the daemon logs (ticks that did something); peak RSS is the daemon process\'s VmHWM (the loop runs a full garbage collection after a big tick: text read from SQLite and responses lives outside the JS heap, and without it the catch-up peaked at 370 MB).',
      '',
    );
    out.push('| students | programs | first tick (catch-up) | ticks | events per tick | tick p50 ms | tick p95 ms | max ms | peak RSS MB |', '|---|---|---|---|---|---|---|---|---|');
    out.push(...(await benchDaemonProcess(dir, { students: 1000, followSeconds: 120, profile: 'classic' })));
    out.push(...(await benchDaemonProcess(dir, { students: 300, followSeconds: 120, profile: 'mixed' })), '');
    out.push(...(await benchRebuild(dir)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const docs = resolve(root, 'docs/benchmarks.md');
// Replace this section only: the inference figures come before it, the API's after it.
const text = readFileSync(docs, 'utf8');
const [before, rest = ''] = text.split('\n## Daemon (');
const next = rest.indexOf('\n## ');
const after = next >= 0 ? rest.slice(next) : '';
writeFileSync(docs, before.replace(/\n+$/, '\n') + out.join('\n') + after);
console.log(`appended to ${docs}`);
