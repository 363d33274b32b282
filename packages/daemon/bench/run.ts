/**
 * Daemon benchmarks, appended to docs/benchmarks.md (after the inference figures that
 * `bun run bench` writes first): accuracy of the decoded states against the generator's ground
 * truth (held-out classes of every profile and the committed log, with their wheel-spin alerts:
 * `decoding.ts`), drain throughput next to a raw bun:sqlite insert of the same rows, tick times in
 * process and in the daemon as its own process (with its peak RSS), a rebuild of a million
 * events, and a ProgSnap2 export of a million events (`exportProgsnap2.ts`).
 */
import { openDatabase, sourceEventKey } from '@lmdash/core';
import { generateClassroom } from '@lmdash/fixtures';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { inProcessDaemon } from '../test/harness.ts';
import { tick } from '../src/tick/tick.ts';
import { benchCatchUp } from './catchUp.ts';
import { benchDaemonProcess } from './daemonProcess.ts';
import { benchDecoding, benchModels } from './decoding.ts';
import { benchDrainPostgres } from './drainPostgres.ts';
import { benchExport } from './exportProgsnap2.ts';
import { benchRealSizeProcess } from './realSize.ts';
import { benchRebuild, benchRebuildMixed } from './rebuild.ts';

const root = resolve(import.meta.dir, '../../..');
const out: string[] = ['', '## Daemon (`packages/daemon/bench/run.ts`)', ''];
const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

// 1. Decoding against the generator's hidden states: held-out classes of every profile and the
//    committed classroom log, with wheel-spin alerts against an oracle.
out.push(...benchDecoding(benchModels()));

// 2. Drain throughput: the storage port's log.append against a raw prepared insert of the same rows.
{
  const { events } = generateClassroom({ students: 300, minutes: 60, seed: 11 });
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-bench-'));
  try {
    const a = openDatabase(join(dir, 'a.sqlite'));
    const t0 = performance.now();
    for (let i = 0; i < events.length; i += 1000) a.storage.log.append(events.slice(i, i + 1000), null, 0);
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
    out.push(`${events.length.toLocaleString('en')} generated events (300 students, 60 minutes) in pages of 1,000: \`log.append\` ${rate(events.length, ingestMs)} events/s; a raw bun:sqlite prepared insert of the same rows ${rate(events.length, rawMs)} events/s (ratio ${(ingestMs / rawMs).toFixed(2)}; goal: within 2x).`, '');
    console.log(`drain ${rate(events.length, ingestMs)}/s vs raw ${rate(events.length, rawMs)}/s`);
    const pg = await benchDrainPostgres(events);
    out.push(pg.line, '');
    console.log(pg.line);
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
    'As above, on classes of the generator\'s `team` (500–2,000-node programs) and `mixed` profiles, with `LMDASH_DISTANCE_WORKERS=2`. The catch-up ticks until no student waits for a distance; then one minute of class is followed in real time at the loop\'s cadence (0.5 s between ticks), so the threads work as they would live. **Goal: tick p95 < 100 ms, peak RSS < 300 MB.** Each row runs in its own process; peak RSS is the peak of that process, with the simulator and the generated class in it: *class* is what that process held before the daemon\'s first tick (after a full collection); *full collections* counts the daemon\'s own (`collectGarbage`) over the row, with what one costs on that process\'s heap. The RSS goal is judged on the daemon as its own process (below), the one figure that is the daemon\'s alone.',
    '',
  );
  out.push('| programs | students | runs in the class | catch-up: events, first tick | catch-up: all distances in | ticks followed | events per tick | tick p50 ms | tick p95 ms | max ms | full collections | class MB | peak RSS MB (process) |', '|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const [profile, students] of [['team', 300], ['mixed', 300], ['team', 1000], ['mixed', 1000]] as const) {
    const r = await benchRealSizeProcess({ profile, students, workers: 2, followSeconds: 60 });
    out.push(
      `| ${profile} | ${students} | ${r.runs.toLocaleString('en')} | ${r.catchUp.events.toLocaleString('en')} events, ${ms(r.catchUp.firstMs)} ms | ${(r.catchUp.wallMs / 1000).toFixed(1)} s (${r.catchUp.ticks} ticks) | ${r.follow.ticks} | ${r.follow.eventsPerTick.toFixed(1)} | ${ms(r.follow.p50)} | ${ms(r.follow.p95)} | ${ms(r.follow.max)} | ${r.collections} of ~${r.gcMs.toFixed(0)} ms | ${r.classMb.toFixed(0)} | ${r.peakMb.toFixed(0)} |`,
    );
  }
  out.push('');
}

// 4. The daemon as its own process: a catch-up, a class followed, a rebuild of a million events.
out.push(...(await benchCatchUp()));
{
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-bench-'));
  try {
    out.push('### The daemon as its own process', '');
    out.push(
      '`lmdash sim --as-is` serves a generated class that began 30 minutes ago, at real time; `lmdash daemon --track-all` starts cold (its first tick catches up on the 30 minutes), then follows the class for two minutes. Tick times are the ones the daemon logs (ticks that did something); peak RSS is the daemon process\'s VmHWM. Programs are kept as bounded, packed text (deflated bracket text, ~1.5 bytes a node), not trees, and distance pairs wait for the threads packed too; a full garbage collection runs every 32 MiB of event text read or stored (it lives outside the JS heap), whenever the process has grown 16 MiB (or a sixteenth of itself, past 256 MB) since the last one (parse garbage) and after a big tick; a source page is not held once read; workers keep no workspace of events that are not runs, and the written card\'s long texts only as fingerprints; one big pair runs on the distance threads at a time, and its thread drops the matrices right after it (packages/daemon/README.md, Memory). **Goal: tick p95 < 100 ms, peak RSS < 300 MB.**',
      '',
    );
    out.push('| students | programs | first tick (catch-up) | ticks | events per tick | tick p50 ms | tick p95 ms | max ms | peak RSS MB |', '|---|---|---|---|---|---|---|---|---|');
    out.push(...(await benchDaemonProcess(dir, { students: 1000, followSeconds: 120, profile: 'classic' })));
    out.push(...(await benchDaemonProcess(dir, { students: 300, followSeconds: 120, profile: 'mixed' })));
    out.push(...(await benchDaemonProcess(dir, { students: 300, followSeconds: 120, profile: 'team' })));
    out.push(...(await benchDaemonProcess(dir, { students: 1000, followSeconds: 120, profile: 'team' })));
    out.push(...(await benchDaemonProcess(dir, { students: 1000, followSeconds: 120, profile: 'mixed' })), '');
    out.push(...(await benchRebuild(dir)));
    out.push(...(await benchRebuildMixed(dir)));
    out.push(...(await benchExport(dir)));
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
