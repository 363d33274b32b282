/**
 * The daemon on a log holding one hostile program (issue 11): the small classroom plus, for
 * one student, a normal run, the hostile program, a one-block variant of it (a pair to
 * compare), and a normal run again. Ticks a daemon in process until quiet, then starts a second
 * daemon on the same file (the cold start). Prints one JSON line: tick times, the run's parse
 * error, and the process's peak RSS (VmHWM). Run one kind per process:
 *   bun packages/daemon/bench/hostile.ts long-chain [size]
 */
import { tables, loadConfig, type SourceEvent } from '@lmdash/core';
import { chainProgram, createSimApp, hostileProgram, HOSTILE_KINDS, hugeFieldProgram, manyVariablesProgram, nestedProgram, readEventLog, wideProgram, type HostileKind } from '@lmdash/fixtures';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDaemon } from '../src/daemon.ts';
import { tick } from '../src/tick/tick.ts';

const kind = process.argv[2] as HostileKind | 'none';
const size = process.argv[3] === undefined ? null : Number(process.argv[3]);
if (kind !== 'none' && !HOSTILE_KINDS.includes(kind)) throw new Error(`kind: none | ${HOSTILE_KINDS.join(' | ')}`);

/** The program and a variant one step bigger, so the pair differs. */
function pair(): [string, string] {
  if (kind === 'none') return ['', ''];
  if (size === null) return [hostileProgram(kind), hostileProgram(kind)];
  switch (kind) {
    case 'long-chain': return [chainProgram(size), chainProgram(size + 1)];
    case 'deep-nesting': return [nestedProgram(size), nestedProgram(size + 1)];
    case 'wide-scripts': return [wideProgram(size), wideProgram(size + 1)];
    case 'huge-field': return [hugeFieldProgram(size), hugeFieldProgram(size + 1)];
    case 'many-variables': return [manyVariablesProgram(size), manyVariablesProgram(size + 1)];
    default: return [hostileProgram(kind), hostileProgram(kind)];
  }
}

const LOG: SourceEvent[] = readEventLog(resolve(import.meta.dir, '../../../fixtures/logs/small.jsonl'));
const last = Math.max(...LOG.map((e) => Date.parse(e.timestamp)));
const student = 's-0006';
const normal = LOG.filter((e) => e.student === student && e.type === 'runProject').at(-1)!;
const events = [...LOG];
if (kind !== 'none') {
  const [a, b] = pair();
  let id = Math.max(...LOG.map((e) => Number(e.id)));
  for (const [i, workspace] of [a, b, (normal.data as { workspace: string }).workspace].entries()) {
    events.push({ id: ++id, student, type: 'runProject', timestamp: new Date(last + 1000 * (i + 1)).toISOString(), data: { project: 'Counter', workspace, slot: 0 } } as SourceEvent);
  }
}
const now = () => last + 60_000;
const sim = createSimApp({ events, asIs: true, now, seed: 1 });
const dir = mkdtempSync(join(tmpdir(), 'lmdash-hostile-'));
const open = () =>
  openDaemon({
    dbPath: join(dir, 'lmdash.sqlite'),
    config: loadConfig({ env: { LMDASH_SOURCE_URL: 'http://sim.test' } }),
    tracking: { mode: 'all' },
    signal: new AbortController().signal,
    log: () => {},
    now,
    fetch: async (url, init) => sim.app.request(url, init),
    sleep: () => new Promise((r) => setTimeout(r, 0)),
  });

async function untilQuiet(ctx: ReturnType<typeof open>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    const r = await tick(ctx);
    ms.push(Math.round(performance.now() - t0));
    if (r.ingested === 0 && r.backfilled === 0 && r.recomputed === 0) return ms;
  }
  throw new Error('did not settle');
}

const hwm = () => Math.round(Number(/^VmHWM:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024);
const first = open();
const ticks = await untilQuiet(first);
const errors = first.db.select({ e: tables.run.parseError, n: tables.run.astSize }).from(tables.run).all().filter((r) => r.e !== null).map((r) => r.e!.slice(0, 90));
first.close();
const second = open();
second.memory.recomputeAll = true;
const t0 = performance.now();
await untilQuiet(second);
const coldMs = Math.round(performance.now() - t0);
second.close();
rmSync(dir, { recursive: true, force: true });
console.log(JSON.stringify({ kind, size, bytes: kind === 'none' ? 0 : pair()[0].length, ticksMs: ticks, coldStartMs: coldMs, peakRssMb: hwm(), parseErrors: errors }));
