/**
 * `bun run test:robustness`: the hostile-input suite as a report. It runs the real processes
 * (simulator, daemon, API) and throws at them what an attacker or a careless producer would:
 * generated hostile programs in the mirrored log, hostile producer events on `/publish`, HEAD
 * and OPTIONS floods on every route. Throughout, it times `/api/health` and follows the daemon's
 * heartbeat and both processes' resident memory; at the end it checks that the mirror holds
 * every source event exactly once, that the projection equals a rebuild, and that a daemon
 * restarted on the same file comes up. Exits 1 if any bound is crossed.
 */
import { Database } from 'bun:sqlite';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { hostileProducerEvents } from '../packages/api/test/hostile.ts';
import { chainProgram, hostilePrograms, nestedProgram, wideProgram } from '../fixtures/src/hostile/programs.ts';
import { Sampler, timedFetch } from '../test/processProbe.ts';
import { REPO_ROOT, spawnListening, spawnSim } from '../test/spawnSim.ts';

/**
 * What is thrown into the log: every hostile kind, the ones that fit the byte bound but not the
 * node or depth bound (these used to take the daemon past 8 GB), and two consecutive programs
 * right at the node bound (the costliest pair the daemon still compares). Each with the outcome
 * it must get: flagged, or analysed like any program.
 */
function hostileRuns(): { name: string; text: string; outcome: 'flagged' | 'analysed' | 'either' }[] {
  const mustFlag = new Set(['long-chain', 'deep-nesting', 'wide-scripts', 'huge-field', 'entity-bomb', 'external-entity']);
  return [
    ...hostilePrograms().map((p) => ({ ...p, outcome: mustFlag.has(p.name) ? ('flagged' as const) : ('either' as const) })),
    { name: 'chain of 12,000 blocks (0.9 MB)', text: chainProgram(12_000), outcome: 'flagged' },
    { name: 'nesting 5,000 deep (0.5 MB)', text: nestedProgram(5_000), outcome: 'flagged' },
    { name: '12,000 scripts (0.95 MB)', text: wideProgram(12_000), outcome: 'flagged' },
    // 4,998 blocks are exactly 5,000 nodes: at the bound, so both parse and the pair is compared.
    { name: 'at the node bound, first', text: chainProgram(4_998), outcome: 'analysed' },
    { name: 'at the node bound, second', text: wideProgram(1_666), outcome: 'analysed' },
  ];
}

/** Built once: the log is written from them and the outcomes are checked against them. */
const PROGRAMS = hostileRuns();

/** The bounds this suite holds the system to (docs/limits.md). */
const BOUNDS = { healthMs: 1_000, heartbeatGapMs: 2_500, daemonRssMb: 1_024, apiRssMb: 512 };
const BASE_LOG = resolve(REPO_ROOT, 'fixtures/logs/small.jsonl');

/**
 * `--timing-report-only`: the bounds in time (health answer, heartbeat gap) are printed but do
 * not fail the run: the test suite runs this on a shared machine, where time is not a measure.
 */
const TIMING_REPORT_ONLY = process.argv.includes('--timing-report-only');

type Check = { what: string; ok: boolean; detail: string; timing: boolean };
const checks: Check[] = [];
const check = (what: string, ok: boolean, detail: string, timing = false) => {
  checks.push({ what, ok, detail, timing });
  console.log(`${ok ? 'ok  ' : timing && TIMING_REPORT_ONLY ? 'SLOW' : 'FAIL'} ${what}: ${detail}`);
};

const cli = (args: string[], env?: Record<string, string | undefined>) => Bun.spawnSync(['bun', 'scripts/lmdash.ts', ...args], { cwd: REPO_ROOT, env: env ?? process.env });

/** The committed small class with one hostile program per kind as extra runs of its students. */
function hostileLog(dir: string): { path: string; ids: Set<string>; hostile: number } {
  const base = readFileSync(BASE_LOG, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number; student: string; timestamp: string });
  const students = [...new Set(base.map((e) => e.student))];
  let id = Math.max(...base.map((e) => e.id));
  const t0 = Date.parse(base[0].timestamp);
  const extra = PROGRAMS.map((p, i) => ({
    id: ++id,
    student: p.name.startsWith('at the node bound') ? students[0] : students[i % students.length],
    type: 'runProject',
    // Spread over the class, so hostile runs sit between ordinary ones.
    timestamp: new Date(t0 + 60_000 * (5 + i * 3)).toISOString(),
    // The two at the bound share a project name, so they are compared with each other.
    data: { project: p.name.startsWith('at the node bound') ? 'hostile at the node bound' : `hostile ${p.name}`, slot: 0, workspace: p.text },
  }));
  const all = [...base, ...extra].sort((a, b) => Date.parse(a.timestamp) - Date.parse(b.timestamp) || a.id - b.id);
  const path = join(dir, 'hostile.jsonl');
  writeFileSync(path, all.map((e) => JSON.stringify(e)).join('\n') + '\n');
  writeFileSync(join(dir, 'hostile.roster.json'), readFileSync(BASE_LOG.replace(/\.jsonl$/, '.roster.json')));
  return { path, ids: new Set(all.map((e) => String(e.id))), hostile: extra.length };
}

async function waitFor(what: string, cond: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await cond()) return true;
    await Bun.sleep(250);
  }
  console.log(`  (gave up waiting for ${what} after ${timeoutMs / 1000} s)`);
  return false;
}

const count = (db: string, sql: string): number => {
  const file = new Database(db, { readonly: true });
  try {
    return (file.query(sql).get() as { n: number }).n;
  } finally {
    file.close();
  }
};

/** Opens a stream and counts the frames it gets; `close()` ends it. */
function openStream(url: string): { frames: () => string[]; closedEarly: () => boolean; close: () => void } {
  const ctrl = new AbortController();
  const frames: string[] = [];
  let ended = false;
  void (async () => {
    try {
      const res = await fetch(`${url}/api/stream`, { signal: ctrl.signal });
      const reader = res.body!.getReader();
      const decoder = new TextDecoder();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buf.indexOf('\n\n')) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          const event = /^event: (.*)$/m.exec(block)?.[1];
          if (event) frames.push(event);
        }
      }
    } catch {
      // aborted by close()
    }
    if (!ctrl.signal.aborted) ended = true;
  })();
  return { frames: () => frames, closedEarly: () => ended, close: () => ctrl.abort() };
}

const dir = mkdtempSync(join(tmpdir(), 'lmdash-robust-'));
const db = join(dir, 'lmdash.sqlite');
const env = { ...process.env, PIPELINE_IDLE_MAX: '0.5', LMDASH_API_PORT: '0' };
const { path: logPath, ids: sourceIds, hostile } = hostileLog(dir);
console.log(`source: ${sourceIds.size} events, ${hostile} of them hostile programs (${logPath})`);
const sim = await spawnSim(['--quiet', '--log', logPath, '--all-visible']);
/** The daemon: it prints no `listening` line, and its tick lines are not needed here. */
const startDaemon = () => ({ proc: Bun.spawn(['bun', 'scripts/lmdash.ts', 'daemon', '--db', db, '--source', sim.url, '--track-all'], { cwd: REPO_ROOT, env, stdout: 'ignore', stderr: 'ignore' }) });
let daemon = startDaemon();
const api = await spawnListening(['api', '--db', db, '--port', '0'], env);
const apiUrl = api.url;
const sampler = new Sampler(`${apiUrl}/api/health`, () => ({ daemon: daemon.proc.pid, api: api.proc.pid })).start();

try {
  // 1. Hostile programs: the daemon mirrors and projects the class around them.
  const caughtUp = await waitFor('the mirror to hold every event', () => count(db, 'SELECT count(*) AS n FROM vex_log') >= sourceIds.size, 120_000);
  const projected =
    (await waitFor('every run projected', () => count(db, 'SELECT count(*) AS n FROM run') >= count(db, "SELECT count(*) AS n FROM vex_log WHERE type = 'runProject'"), 60_000)) &&
    // A run written provisionally (states from exact bounds, bucket set) gets its distance when the pool delivers it.
    (await waitFor('every provisional run finished', () => count(db, 'SELECT count(*) AS n FROM run WHERE distance IS NULL AND bucket IS NOT NULL') === 0, 60_000));
  check('hostile programs: the mirror catches up and projects every run', caughtUp && projected, `${count(db, 'SELECT count(*) AS n FROM vex_log')} events stored, ${count(db, 'SELECT count(*) AS n FROM run')} runs projected`);
  const file = new Database(db, { readonly: true });
  const runs = file.query("SELECT r.project, r.parse_error AS parseError, r.ast_size AS astSize, r.distance FROM run r JOIN vex_log l ON l.source_event_id = r.source_event_id WHERE r.project LIKE 'hostile %'").all() as { project: string; parseError: string | null; astSize: number | null; distance: number | null }[];
  file.close();
  const wrong = PROGRAMS.filter((p) => {
    const name = p.name.startsWith('at the node bound') ? 'hostile at the node bound' : `hostile ${p.name}`;
    const mine = runs.filter((r) => r.project === name);
    if (mine.length === 0) return true;
    if (p.outcome === 'flagged') return mine.some((r) => r.parseError === null);
    if (p.outcome === 'analysed') return mine.some((r) => r.parseError !== null || r.astSize === null);
    return mine.some((r) => r.parseError === null && r.astSize === null);
  });
  const atBound = runs.filter((r) => r.project === 'hostile at the node bound' && r.distance !== null);
  check('hostile programs: each gets its outcome (flagged with a reason, or analysed)', wrong.length === 0 && atBound.length === 1, `${runs.filter((r) => r.parseError).length} of ${runs.length} hostile runs flagged; ${wrong.length ? `wrong: ${wrong.map((p) => p.name).join(', ')}` : 'each as expected'}; the pair at the node bound compared: distance ${atBound[0]?.distance ?? 'none'}`);

  // 2. Hostile producer events: each refused or stored within bounds, streams stay open.
  const stream = openStream(apiUrl);
  await Bun.sleep(500);
  const outcomes: string[] = [];
  for (const e of hostileProducerEvents()) {
    const r = await timedFetch(`${apiUrl}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: e.body }, 10_000);
    outcomes.push(`${e.name}: ${r.status}`);
    if (r.status === 0 || r.status >= 500) check(`publish ${e.name}`, false, `answered ${r.status || 'nothing'} after ${r.ms.toFixed(0)} ms`);
  }
  console.log(`  publish outcomes: ${outcomes.join(', ')}`);
  const late = openStream(apiUrl);
  const live = await timedFetch(`${apiUrl}/publish`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ type: 'note', name: 'robustness', text: 'still live' }) });
  await waitFor('the live note on both streams', () => stream.frames().filter((f) => f === 'publish').length > 0 && late.frames().includes('publish'), 10_000);
  check('producer events: streams stay open and live', !stream.closedEarly() && !late.closedEarly() && late.frames().includes('snapshot') && late.frames().includes('publish') && live.status === 200, `first stream ${stream.frames().length} frames, a stream opened after the hostile events: ${late.frames().length} frames (${[...new Set(late.frames())].join(', ')})`);
  stream.close();
  late.close();

  // 3. HEAD and OPTIONS floods on every route: no stream client without a connection.
  const routes = ['/', '/api/students', '/api/triggers', '/api/roster', '/api/health', '/api/stream', '/api/schema', '/publish', '/metrics', '/assets/missing.js'];
  let errors = 0;
  for (const route of routes) {
    const all = await Promise.all(Array.from({ length: 100 }, (_, i) => timedFetch(`${apiUrl}${route}`, { method: i % 2 ? 'HEAD' : 'OPTIONS' })));
    errors += all.filter((r) => r.status === 0 || r.status >= 500).length;
  }
  await Bun.sleep(300);
  const clients = Number(/^lmdash_stream_clients (\d+)$/m.exec((await timedFetch(`${apiUrl}/metrics`)).body)?.[1] ?? NaN);
  check('HEAD/OPTIONS floods: no 5xx, no stream client left behind', errors === 0 && clients === 0, `${routes.length * 100} requests, ${errors} failed or 5xx, ${clients} stream clients after`);

  // 4. A daemon restarted on the file that holds every hostile program comes up.
  daemon.proc.kill('SIGTERM');
  await daemon.proc.exited;
  sampler.resetHeartbeat();
  const stoppedAt = Date.now();
  daemon = startDaemon();
  const beats = await waitFor('a heartbeat from the restarted daemon', async () => {
    const h = await timedFetch(`${apiUrl}/api/health`);
    return h.status === 200 && ((JSON.parse(h.body) as { heartbeatAt: number | null }).heartbeatAt ?? 0) > stoppedAt;
  }, 30_000);
  check('restart on a file with hostile programs: the daemon comes up', beats, beats ? `heartbeat ${((Date.now() - stoppedAt) / 1000).toFixed(1)} s after the restart` : 'no heartbeat');
  await Bun.sleep(2_000);
} finally {
  sampler.stop();
  daemon.proc.kill('SIGTERM');
  api.proc.kill('SIGTERM');
  await Promise.all([daemon.proc.exited, api.proc.exited]);
  sim.stop();
}

// 5. Exactly once, and the projection equals a rebuild.
const file = new Database(db, { readonly: true });
const stored = (file.query('SELECT source_event_id AS id FROM vex_log').all() as { id: string }[]).map((r) => r.id);
file.close();
const seen = new Set(stored);
const missing = [...sourceIds].filter((id) => !seen.has(id)).length;
const twice = stored.length - seen.size + [...seen].filter((id) => !sourceIds.has(id)).length;
check('the mirror holds every event exactly once', missing === 0 && twice === 0, `${missing} missing, ${twice} stored twice or unknown`);
const before = cli(['dump', '--db', db], env).stdout.toString();
cli(['rebuild', '--db', db], env);
const after = cli(['dump', '--db', db], env).stdout.toString();
check('the projection equals a rebuild', before.length > 0 && before === after, `${before.length} bytes of dump`);

check(`/api/health always answered within ${BOUNDS.healthMs} ms`, sampler.worstHealthMs < BOUNDS.healthMs && sampler.failedHealth === 0, `worst ${sampler.worstHealthMs.toFixed(0)} ms, ${sampler.failedHealth} failed`, true);
check(`the daemon's heartbeat never paused over ${BOUNDS.heartbeatGapMs} ms`, sampler.longestHeartbeatGapMs < BOUNDS.heartbeatGapMs, `longest gap ${sampler.longestHeartbeatGapMs} ms (ticks with PIPELINE_IDLE_MAX=0.5)`, true);
const daemonMb = sampler.peakRssMb.get('daemon') ?? 0;
const apiMb = sampler.peakRssMb.get('api') ?? 0;
check(`daemon resident memory under ${BOUNDS.daemonRssMb} MB`, daemonMb < BOUNDS.daemonRssMb, `peak sampled ${daemonMb.toFixed(0)} MB`);
check(`API resident memory under ${BOUNDS.apiRssMb} MB`, apiMb < BOUNDS.apiRssMb, `peak sampled ${apiMb.toFixed(0)} MB`);

rmSync(dir, { recursive: true, force: true });
const failed = checks.filter((c) => !c.ok && !(c.timing && TIMING_REPORT_ONLY));
const slow = checks.filter((c) => !c.ok && c.timing && TIMING_REPORT_ONLY);
console.log(`\nrobustness: ${checks.length - failed.length - slow.length} of ${checks.length} checks held${slow.length ? `; slow (reported only): ${slow.map((c) => c.what).join('; ')}` : ''}${failed.length ? `; FAILED: ${failed.map((c) => c.what).join('; ')}` : ''}`);
process.exit(failed.length === 0 ? 0 : 1);
