/**
 * API benchmarks (`bun packages/api/bench/run.ts`), written into docs/benchmarks.md as the
 * section `## API (...)` (replacing it, or appended):
 *
 * 1. Latency from an event becoming visible in the simulator to its SSE frame reaching a
 *    dashboard, with `lmdash sim --live`, `lmdash daemon` and `lmdash api` each running as its
 *    own process. The simulator replays at SPEED× with its timestamps shifted so the first event
 *    is at its (printed) start, so each runProject's visibility moment is known exactly:
 *    start + (ts - start) / SPEED. Measured on the runs as the deltas carry them.
 * 2. Fan-out: 200 streams on one API process while another process writes; for each delta, how
 *    long after the first stream the last one received it.
 * 3. The same on PostgreSQL, one and two API processes woken by version notices (`multiprocess.ts`).
 */
import { createScratchPostgres } from '@lmdash/core';
import { DeltaEvent } from '@lmdash/core/wire';
import type { Subprocess } from 'bun';
import { cpus, totalmem } from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { seedClass, tempDb } from '../test/daemonWrites.ts';
import { REPO_ROOT, SseClient, json, spawnApi, spawnWriter, until } from '../test/helpers.ts';
import { measurePgFanout, pgFanoutSection } from './multiprocess.ts';

const WARMUP_MS = 20_000;
/** The classes measured: the small programs of the earlier figures, and real-size team programs (the goal's case). */
const LATENCY_CASES = [
  { profile: 'classic', students: 60, speed: 10, history: 0, warmupMs: WARMUP_MS, engine: 'sqlite' },
  // In real time a class just begun runs little: start 15 minutes in, and leave the catch-up out.
  { profile: 'team', students: 300, speed: 1, history: 15, warmupMs: 60_000, engine: 'sqlite' },
  // The two engines side by side in one run: SQLite (the API polls meta.version) and PostgreSQL (NOTIFY wakes it).
  { profile: 'mixed', students: 300, speed: 1, history: 15, warmupMs: 60_000, engine: 'sqlite' },
  { profile: 'mixed', students: 300, speed: 1, history: 15, warmupMs: 60_000, engine: 'postgres' },
] as const;
type LatencyCase = (typeof LATENCY_CASES)[number];
const MEASURE_MS = 120_000;
const STREAMS = 200;
const FANOUT_DELTAS = 60;

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const ms = (x: number) => (x < 10 ? x.toFixed(1) : x.toFixed(0));

/** Reads a child's stdout until a line matches. */
async function lineOf(proc: Subprocess<'ignore', 'pipe', 'inherit'>, re: RegExp): Promise<{ match: RegExpExecArray; text: string }> {
  const reader = proc.stdout.getReader();
  let text = '';
  for (;;) {
    const m = re.exec(text);
    if (m) {
      reader.releaseLock();
      return { match: m, text };
    }
    const { value, done } = await reader.read();
    if (done) throw new Error(`process ended before ${re}: ${text}`);
    text += new TextDecoder().decode(value);
  }
}

async function latency({ profile, students: STUDENTS, speed: SPEED, history, warmupMs, engine }: LatencyCase): Promise<{ samples: number[]; ticks: number | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-api-bench-'));
  const pg = engine === 'postgres' ? createScratchPostgres() : null;
  const db = pg?.url ?? join(dir, 'lmdash.sqlite');
  const sim = Bun.spawn(['bun', 'scripts/lmdash.ts', 'sim', '--live', '--profile', profile, '--students', String(STUDENTS), '--speed', String(SPEED), ...(history ? ['--history-minutes', String(history)] : []), '--port', '0', '--quiet'], { cwd: REPO_ROOT, stdout: 'pipe', stderr: 'inherit' });
  // A class with history is served with its timestamps as they are (visible at their time).
  const started = await lineOf(sim, /(?:first event is at (\S+);|timestamps as they are)[\s\S]*listening on (http:\/\/\S+)/);
  const start = started.match[1] ? Date.parse(started.match[1].replace(/,$/, '')) : 0;
  const simUrl = started.match[2]!;
  const api = await spawnApi(['--db', db, '--port', '0']);
  // LMDASH_BENCH_TRACE=FILE: the daemon's log lines and every sample, with wall times, for a look at the slow ones.
  const trace = process.env.LMDASH_BENCH_TRACE;
  const traceLines: string[] = [];
  const daemon = Bun.spawn(['bun', 'scripts/lmdash.ts', 'daemon', '--db', db, '--source', simUrl, '--track-all'], { cwd: REPO_ROOT, stdout: trace ? 'pipe' : 'ignore', stderr: 'inherit' });
  if (trace) {
    (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of daemon.stdout as ReadableStream<Uint8Array>) for (const line of decoder.decode(chunk).split('\n')) if (line) traceLines.push(`${Date.now()} daemon ${line}`);
    })();
  }
  const stream = new SseClient(`${api.url}/api/stream`);
  const samples: number[] = [];
  const seen = new Set<string>();
  const measureFrom = Date.now() + warmupMs;
  const visibleAt = (ts: number) => (start === 0 ? ts : start + (ts - start) / SPEED);
  // The arrival time of each frame is taken when the client parses it (a 5 ms loop).
  let read = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    for (; read < stream.frames.length; read++) {
      const f = stream.frames[read]!;
      if (f.event !== 'delta') continue;
      for (const r of DeltaEvent.parse(json(f)).runs) {
        const key = `${r.studentId}/${r.runIndex}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const v = visibleAt(r.ts);
        if (v >= measureFrom) samples.push(now - v);
        if (trace) traceLines.push(`${now} sample ${key} visible ${Math.round(v)} latency ${Math.round(now - v)}${v >= measureFrom ? '' : ' (warm-up)'}`);
      }
    }
  }, 5);
  await Bun.sleep(warmupMs + MEASURE_MS);
  clearInterval(timer);
  if (trace) writeFileSync(trace, traceLines.join('\n') + '\n');
  const metrics = await (await fetch(`${api.url}/metrics`)).text();
  const ticks = /^lmdash_ticks_total (\S+)$/m.exec(metrics);
  stream.close();
  daemon.kill('SIGTERM');
  await daemon.exited;
  await api.stop();
  sim.kill('SIGTERM');
  await sim.exited;
  pg?.drop();
  rmSync(dir, { recursive: true, force: true });
  return { samples, ticks: ticks ? Number(ticks[1]) : null };
}

async function fanout(): Promise<{ spreads: number[]; received: number; bytes: number }> {
  const db = tempDb();
  seedClass(db.sqlite);
  db.close();
  const api = await spawnApi(['--db', db.path, '--port', '0']);
  const writer = await spawnWriter(db.path);
  // Arrival times per stream, by event id, taken as each chunk is read.
  const arrivals = new Map<string, number[]>();
  const controllers: AbortController[] = [];
  let bytes = 0;
  const readers = Array.from({ length: STREAMS }, async () => {
    const c = new AbortController();
    controllers.push(c);
    const res = await fetch(`${api.url}/api/stream`, { signal: c.signal });
    let buf = '';
    try {
      for await (const chunk of res.body as ReadableStream<Uint8Array>) {
        const t = performance.now();
        buf += new TextDecoder().decode(chunk);
        for (const m of buf.matchAll(/event: delta\nid: (\S+)\ndata: [^\n]*\n\n/g)) {
          (arrivals.get(m[1]!) ?? arrivals.set(m[1]!, []).get(m[1]!)!).push(t);
          bytes = Math.max(bytes, m[0].length);
        }
        buf = buf.slice(buf.lastIndexOf('\n\n') + 2);
      }
    } catch {
      // aborted at the end
    }
  });
  await until(async () => /^lmdash_stream_clients (\d+)$/m.exec(await (await fetch(`${api.url}/metrics`)).text())?.[1] === String(STREAMS), 60_000, 'every stream');
  await Bun.sleep(1000);
  const ids: string[] = [];
  for (let i = 0; i < FANOUT_DELTAS; i++) {
    const w = await writer.write({ op: 'student', id: `s-${(i % 3) + 1}`, runs: Array.from({ length: 5 + i }, (_, k) => ({ ts: 1_000_000 + k * 1000, state: (k % 3) as 0 | 1 | 2, score: 0.1 })) });
    ids.push(`${w.epoch}:${w.version}`);
    await Bun.sleep(150);
  }
  await until(() => ids.every((id) => (arrivals.get(id)?.length ?? 0) === STREAMS), 30_000, 'every delta on every stream');
  for (const c of controllers) c.abort();
  await Promise.all(readers);
  await writer.stop();
  await api.stop();
  db.cleanup();
  const spreads = ids.map((id) => {
    const ts = arrivals.get(id)!;
    return Math.max(...ts) - Math.min(...ts);
  });
  return { spreads, received: ids.reduce((n, id) => n + arrivals.get(id)!.length, 0), bytes };
}

// LMDASH_BENCH_LATENCY=PROFILE[:ENGINE] (engine sqlite by default): only that latency case, printed, docs/benchmarks.md left alone.
const only = process.env.LMDASH_BENCH_LATENCY?.split(':');
const lats: { c: LatencyCase; samples: number[] }[] = [];
for (const c of only ? LATENCY_CASES.filter((x) => x.profile === only[0] && x.engine === (only[1] ?? 'sqlite')) : LATENCY_CASES) {
  console.log(`latency: ${c.engine}, ${c.students} students (${c.profile}) at ${c.speed}x, ${c.history} min of history, ${c.warmupMs / 1000} s warm-up, ${MEASURE_MS / 1000} s measured ...`);
  const lat = await latency(c);
  if (lat.samples.length === 0) throw new Error('no run reached the stream: is the daemon running?');
  console.log(`latency p50 ${ms(q(lat.samples, 0.5))} ms, p95 ${ms(q(lat.samples, 0.95))} ms over ${lat.samples.length} runs`);
  lats.push({ c, samples: lat.samples });
}
if (only) process.exit(lats.length > 0 ? 0 : 2);
console.log(`fan-out: ${STREAMS} streams, ${FANOUT_DELTAS} deltas ...`);
const fan = await fanout();
console.log(`fan-out spread p50 ${ms(q(fan.spreads, 0.5))} ms, p95 ${ms(q(fan.spreads, 0.95))} ms, max ${ms(Math.max(...fan.spreads))} ms`);
const pgFan = await measurePgFanout();

const cpu = /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
const out = [
  '## API (`bun packages/api/bench/run.ts`)',
  '',
  `- Machine: ${cpu}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB; Bun ${Bun.version}; ${process.platform} ${process.arch}`,
  `- Date: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
  '',
  '### Latency: event visible in the simulator → its SSE frame at a dashboard',
  '',
  '`lmdash sim --live --profile P --students N --speed K`, `lmdash daemon --track-all` (default settings: 0.5 s sleep after an active tick, a distance thread per core) and',
  '`lmdash api` as three processes on one store (the SQLite file, or a PostgreSQL database: then the API wakes on the daemon\'s',
  'NOTIFY instead of polling); one stream client. Each runProject is visible at a known moment',
  `(the simulator's printed start + (timestamp − start) / K); its latency is when the delta carrying its run row was parsed`,
  `by the client, minus that moment. The warm-up (the first drain, backfill and the catch-up on any history) is left out; ${MEASURE_MS / 1000} s measured.`,
  'The team class starts 15 minutes into its period (`--history-minutes 15`): a class just begun runs too little to measure in real time.',
  '',
  '| store | programs | students | speed | history | warm-up | runs measured | p50 | p95 | max | goal |',
  '|---|---|---|---|---|---|---|---|---|---|---|',
  ...lats.map(({ c, samples }) => `| ${c.engine === 'postgres' ? 'PostgreSQL, NOTIFY' : 'SQLite, polling'} | ${c.profile} | ${c.students} | ${c.speed}x | ${c.history} min | ${c.warmupMs / 1000} s | ${samples.length} | ${ms(q(samples, 0.5))} ms | ${ms(q(samples, 0.95))} ms | ${ms(Math.max(...samples))} ms | p95 < 1000 ms |`),
  '',
  'The path: the daemon sleeps 0.5 s after an active tick, then drains (HTTP to the simulator), recomputes the students with new',
  'events and commits with one `meta.version` bump; the API polls `meta.version` every 50 ms (SQLite) or wakes on the commit\'s',
  'notice (PostgreSQL), computes the delta once and writes it to every stream.',
  '',
  `### Fan-out: ${STREAMS} concurrent streams`,
  '',
  `One \`lmdash api\` process, ${STREAMS} streams held by one client process, a writer process committing a card and its runs every`,
  `150 ms (${FANOUT_DELTAS} deltas, up to ${(fan.bytes / 1024).toFixed(1)} KiB each). For each delta: the time between the first and the last stream`,
  'receiving it, as the client read them (an upper bound: it includes the client reading 200 sockets in turn).',
  '',
  '| deltas × streams received | spread p50 | spread p95 | spread max | goal |',
  '|---|---|---|---|---|',
  `| ${fan.received} / ${FANOUT_DELTAS * STREAMS} | ${ms(q(fan.spreads, 0.5))} ms | ${ms(q(fan.spreads, 0.95))} ms | ${ms(Math.max(...fan.spreads))} ms | max < 100 ms |`,
  '',
  ...pgFanoutSection(pgFan),
];

const docs = resolve(REPO_ROOT, 'docs/benchmarks.md');
const text = readFileSync(docs, 'utf8');
const at = text.search(/^## API \(/m);
const before = (at >= 0 ? text.slice(0, at) : text).replace(/\n+$/, '\n');
writeFileSync(docs, `${before}\n${out.join('\n')}`);
console.log(`wrote the API section of ${docs}`);
