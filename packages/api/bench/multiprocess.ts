/**
 * Fan-out on PostgreSQL across API processes (`bun packages/api/bench/multiprocess.ts`, and part
 * of `bun packages/api/bench/run.ts`): P `lmdash api` processes on one scratch database, 200
 * streams on each (held by one client process per API process, `streamClient.ts`), a writer
 * process committing a card and its new runs every 150 ms (`pgWriter.ts`: one version bump and
 * its notice each). For each delta: the spread between the first and the last of all P × 200
 * streams receiving it, and the time from the writer's commit to the first and the last stream.
 *
 * Run alone, it measures one and two processes and rewrites its own part of docs/benchmarks.md
 * (`### Fan-out on PostgreSQL …`, inside the API section `run.ts` writes).
 */
import { createScratchPostgres } from '@lmdash/core';
import type { Subprocess } from 'bun';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT, spawnApi, until, type ApiProcess } from '../test/helpers.ts';

export const PG_STREAMS_PER_PROCESS = 200;
export const PG_DELTAS = 60;
const GAP_MS = 150;

export type PgFanout = {
  processes: number;
  streams: number;
  /** Per delta: last − first arrival over every stream of every process, ms. */
  spreads: number[];
  /** Per delta: first / last arrival − the writer's commit, ms. */
  first: number[];
  last: number[];
  received: number;
  expected: number;
  bytes: number;
  /** Each API process's `lmdash_api_version_notices` state at the end. */
  states: string[];
};

type Lines = { next(timeoutMs?: number): Promise<string> };

function lines(proc: Subprocess<'pipe', 'pipe', 'inherit'>): Lines {
  const got: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  void (async () => {
    let buf = '';
    const decoder = new TextDecoder();
    for await (const chunk of proc.stdout) {
      buf += decoder.decode(chunk, { stream: true });
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const l = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        const w = waiting.shift();
        if (w) w(l);
        else got.push(l);
      }
    }
  })();
  return {
    next: (timeoutMs = 60_000) =>
      new Promise<string>((ok, fail) => {
        if (got.length > 0) return ok(got.shift()!);
        const t = setTimeout(() => fail(new Error(`no line within ${timeoutMs} ms`)), timeoutMs);
        waiting.push((l) => (clearTimeout(t), ok(l)));
      }),
  };
}

const child = (args: string[]) => {
  const proc = Bun.spawn(['bun', ...args], { cwd: REPO_ROOT, stdin: 'pipe', stdout: 'pipe', stderr: 'inherit' });
  return { proc, out: lines(proc), send: (l: string) => (proc.stdin.write(`${l}\n`), proc.stdin.flush()) };
};

export async function pgFanout(processes: number, perProcess = PG_STREAMS_PER_PROCESS): Promise<PgFanout> {
  const pg = createScratchPostgres();
  const apis: ApiProcess[] = [];
  const clients: ReturnType<typeof child>[] = [];
  const writer = child([resolve(import.meta.dir, 'pgWriter.ts'), pg.url, '3']);
  try {
    if ((await writer.out.next()) !== 'ready') throw new Error('pgWriter did not start');
    const { LMDASH_API_TOKEN: _t, LMDASH_API_HOST: _h, LMDASH_DATABASE_URL: _d, ...env } = process.env;
    for (let i = 0; i < processes; i++) apis.push(await spawnApi(['--db', pg.url, '--port', '0'], env as Record<string, string>));
    const noticeState = async (a: ApiProcess) => /^lmdash_api_version_notices\{state="(\w+)"\} 1$/m.exec(await (await fetch(`${a.url}/metrics`)).text())?.[1] ?? '?';
    for (const a of apis) await until(async () => (await noticeState(a)) === 'listening', 30_000, 'the notices listening');
    for (const a of apis) clients.push(child([resolve(import.meta.dir, 'streamClient.ts'), a.url, String(perProcess)]));
    for (const c of clients) if ((await c.out.next(120_000)) !== 'ready') throw new Error('a stream client did not get its snapshots');
    await Bun.sleep(1000);

    const commits = new Map<string, number>();
    const runs = new Map<string, number>();
    for (let i = 0; i < PG_DELTAS; i++) {
      const student = `s-${(i % 3) + 1}`;
      const to = 5 + i;
      writer.send(`${student} ${runs.get(student) ?? 0} ${to}`);
      runs.set(student, to);
      const m = /^ok (\S+) (\S+)$/.exec(await writer.out.next());
      if (!m) throw new Error('pgWriter failed');
      commits.set(m[1]!, Number(m[2]));
      await Bun.sleep(GAP_MS);
    }
    await Bun.sleep(2000);
    const states = await Promise.all(apis.map(noticeState));
    const reports: { arrivals: Record<string, number[]>; bytes: number }[] = [];
    for (const c of clients) {
      c.send('report');
      reports.push(JSON.parse(await c.out.next()));
      await c.proc.exited;
    }
    const spreads: number[] = [];
    const first: number[] = [];
    const last: number[] = [];
    let received = 0;
    for (const [id, at] of commits) {
      const ts = reports.flatMap((r) => r.arrivals[id] ?? []);
      received += ts.length;
      if (ts.length === 0) continue;
      const lo = Math.min(...ts);
      const hi = Math.max(...ts);
      spreads.push(hi - lo);
      first.push(lo - at);
      last.push(hi - at);
    }
    return { processes, streams: processes * perProcess, spreads, first, last, received, expected: PG_DELTAS * processes * perProcess, bytes: Math.max(...reports.map((r) => r.bytes)), states };
  } finally {
    for (const c of clients) c.proc.kill();
    writer.proc.stdin.end();
    await writer.proc.exited;
    for (const a of apis) await a.stop();
    pg.drop();
  }
}

const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const ms = (x: number) => (x < 10 ? x.toFixed(1) : x.toFixed(0));

/** The lines of the benchmarks page for these runs. */
export function pgFanoutSection(results: PgFanout[]): string[] {
  return [
    `### Fan-out on PostgreSQL: ${PG_STREAMS_PER_PROCESS} streams per API process, woken by version notices`,
    '',
    `\`lmdash api\` processes on one PostgreSQL database (a scratch database on the same machine), ${PG_STREAMS_PER_PROCESS} streams on each, held by one`,
    `client process per API process; a writer process commits a card and its new runs through the storage port every ${GAP_MS} ms (${PG_DELTAS} deltas,`,
    `up to ${(Math.max(...results.map((r) => r.bytes)) / 1024).toFixed(1)} KiB each), each commit sending its \`pg_notify\`. Each API process wakes on the notice (no 50 ms poll), reads the delta once and`,
    'writes it to its streams. Spread: between the first and the last of all the streams receiving a delta, as the clients read them;',
    "commit → first / last: from the writer's commit returning to the first / last stream receiving it (wall clock, one machine).",
    '',
    '| API processes | streams | deltas × streams received | spread p50 | spread max | commit → first p50 | commit → last p50 / max | notices at the end |',
    '|---|---|---|---|---|---|---|---|',
    ...results.map(
      (r) =>
        `| ${r.processes} | ${r.streams} | ${r.received} / ${r.expected} | ${ms(q(r.spreads, 0.5))} ms | ${ms(Math.max(...r.spreads))} ms | ${ms(q(r.first, 0.5))} ms | ${ms(q(r.last, 0.5))} / ${ms(Math.max(...r.last))} ms | ${r.states.join(', ')} |`,
    ),
    '',
  ];
}

export const PG_SECTION_HEADING = /^### Fan-out on PostgreSQL[^\n]*\n[\s\S]*?(?=^##|(?![\s\S]))/m;

export async function measurePgFanout(log: (l: string) => void = console.log): Promise<PgFanout[]> {
  const results: PgFanout[] = [];
  for (const p of [1, 2]) {
    log(`fan-out on PostgreSQL: ${p} API process(es) × ${PG_STREAMS_PER_PROCESS} streams, ${PG_DELTAS} deltas ...`);
    const r = await pgFanout(p);
    log(
      `  received ${r.received}/${r.expected}; spread p50 ${ms(q(r.spreads, 0.5))} ms, max ${ms(Math.max(...r.spreads))} ms; commit → first p50 ${ms(q(r.first, 0.5))} ms, → last p50 ${ms(q(r.last, 0.5))} ms, max ${ms(Math.max(...r.last))} ms; notices ${r.states.join(', ')}`,
    );
    results.push(r);
  }
  return results;
}

if (import.meta.main) {
  const results = await measurePgFanout();
  const docs = resolve(REPO_ROOT, 'docs/benchmarks.md');
  const text = readFileSync(docs, 'utf8');
  const section = pgFanoutSection(results).join('\n');
  const next = PG_SECTION_HEADING.test(text) ? text.replace(PG_SECTION_HEADING, `${section}\n`) : `${text.replace(/\n+$/, '\n')}\n${section}`;
  writeFileSync(docs, next);
  console.log(`wrote the PostgreSQL fan-out part of ${docs}`);
}
