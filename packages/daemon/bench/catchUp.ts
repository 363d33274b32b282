/**
 * The daemon's catch-up over a log of real-size programs, as a new user would try it: the log
 * served all at once (`lmdash sim --all-visible`), mirrored by `lmdash daemon --track-all --once`
 * (one tick, then it waits for the distance threads and re-projects who waited). Reports the
 * first tick per run (what a run costs before its card shows) and the time until every exact
 * distance is in (the process's exit), with its peak RSS, and the first tick of a restart with
 * and without the program summaries.
 * Logs: the real version histories of `../shared/data/blocks` (trajectory mode) and a
 * generated class of team-sized (500–2,000-node) programs.
 */
import { openDatabase } from '@lmdash/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { until } from './daemonProcess.ts';
import { watchPeak } from './processRss.ts';
import { sharedPath } from '../test/shared.ts';

const root = resolve(import.meta.dir, '../../..');

type CatchUp = {
  runs: number;
  largest: number;
  firstTickMs: number;
  totalMs: number;
  peakMb: number;
  /** First tick of a restart over the caught-up mirror (every student recomputed, nothing new), with and without program summaries. */
  restartMs: number;
  restartUnsummarisedMs: number;
};

function lmdash(args: string[]): string {
  const p = Bun.spawnSync(['bun', 'scripts/lmdash.ts', ...args], { cwd: root });
  if (p.exitCode !== 0) throw new Error(`lmdash ${args[0]} failed: ${p.stderr.toString()}`);
  return p.stdout.toString();
}

/** `lmdash daemon --once` as its own process: its first tick, its whole run and its peak RSS. */
async function daemonOnce(db: string, url: string, env: Record<string, string> = {}): Promise<{ firstTickMs: number; totalMs: number; peakMb: number }> {
  const t0 = performance.now();
  const daemon = Bun.spawn(['bun', 'scripts/lmdash.ts', 'daemon', '--db', db, '--source', url, '--track-all', '--once'], { cwd: root, stdout: 'pipe', stderr: 'pipe', env: { ...process.env, ...env } });
  const watch = watchPeak(daemon.pid, 50);
  const code = await daemon.exited;
  const totalMs = performance.now() - t0;
  const peakMb = watch.stop();
  const out = await new Response(daemon.stdout).text();
  if (code !== 0) throw new Error(`daemon failed: ${out} ${await new Response(daemon.stderr).text()}`);
  const first = /tick: .*\((\d+) ms\)/.exec(out);
  if (!first) throw new Error(`no tick line: ${out}`);
  return { firstTickMs: Number(first[1]), totalMs, peakMb };
}

async function catchUp(log: string, dir: string): Promise<CatchUp> {
  const sim = Bun.spawn(['bun', 'scripts/lmdash.ts', 'sim', '--log', log, '--all-visible', '--port', '0', '--quiet'], { cwd: root, stdout: 'pipe', stderr: 'inherit' });
  try {
    const url = (await until(sim, /listening on (http:\/\/\S+)/, () => {}))[1];
    const db = join(dir, `catch-up-${Date.now()}.sqlite`);
    const first = await daemonOnce(db, url);
    const o = openDatabase(db);
    const r = o.sqlite.query('SELECT count(*) AS runs, max(ast_size) AS largest FROM run').get() as { runs: number; largest: number };
    o.close();
    // Restarts: the summaries read (default), then ignored (LMDASH_PROGRAM_SUMMARY_ROWS=0).
    const restart = await daemonOnce(db, url);
    const unsummarised = await daemonOnce(db, url, { LMDASH_PROGRAM_SUMMARY_ROWS: '0' });
    return { runs: r.runs, largest: r.largest, ...first, restartMs: restart.firstTickMs, restartUnsummarisedMs: unsummarised.firstTickMs };
  } finally {
    sim.kill();
  }
}

export async function benchCatchUp(): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-catch-up-'));
  try {
    const rows: string[] = [];
    const row = (name: string, c: CatchUp) => {
      console.log(`catch-up ${name}: ${c.runs} runs, first tick ${c.firstTickMs} ms (${(c.firstTickMs / c.runs).toFixed(1)} ms a run), all distances in ${(c.totalMs / 1000).toFixed(1)} s, peak RSS ${c.peakMb.toFixed(0)} MB; restart ${c.restartMs} ms (${c.restartUnsummarisedMs} ms without summaries)`);
      rows.push(`| ${name} | ${c.runs.toLocaleString('en')} | ${c.largest.toLocaleString('en')} | ${c.firstTickMs.toLocaleString('en')} ms | **${(c.firstTickMs / c.runs).toFixed(1)} ms** | ${(c.totalMs / 1000).toFixed(1)} s | ${c.peakMb.toFixed(0)} | ${c.restartMs.toLocaleString('en')} ms | ${c.restartUnsummarisedMs.toLocaleString('en')} ms |`);
    };
    const folder = sharedPath('data/blocks');
    if (folder) {
      const log = join(dir, 'real.jsonl');
      lmdash(['gen', '--trajectory', folder, '--out', log]);
      row('every real version history in `../shared/data/blocks` (trajectory mode)', await catchUp(log, dir));
    } else rows.push('| real version histories | not run: ../shared/data/blocks is not here | | | | | | | |');
    const log = join(dir, 'team.jsonl');
    lmdash(['gen', '--profile', 'team', '--students', '30', '--minutes', '60', '--seed', '9', '--out', log]);
    row('generated `team` class, 30 students × 60 min', await catchUp(log, dir));
    return [
      '### Catch-up over real-size programs (`lmdash daemon --once`)',
      '',
      'A log served all at once (`lmdash sim --all-visible`), mirrored by `lmdash daemon --track-all --once` as its own process: its first tick drains, parses, bounds and decides every run (a student whose pairs the bounds do not decide waits for the distance threads), then the process waits until every exact distance is in and exits. *A run* is the first tick over the runs in the log. **Goal: < 25 ms a run on average, the exact distances completing right after.** The real histories stop at 978 nodes (the largest real programs here have no history); the `team` class has 500–2,000-node programs. *Restart*: the first tick of `daemon --once` run again on the caught-up mirror (nothing new; every student recomputed from the log, every distance in `distance_cache`), reading the program summaries (`program_summary`) or not (`LMDASH_PROGRAM_SUMMARY_ROWS=0`).',
      '',
      '| log | runs | largest program (nodes) | first tick | a run | all distances in (exit) | peak RSS MB | restart: first tick | restart without summaries |',
      '|---|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) console.log((await benchCatchUp()).join('\n'));
