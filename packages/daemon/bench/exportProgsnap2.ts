/**
 * ProgSnap2 export of a 1,000,000-event mirror, as its own process (`lmdash export`), then its
 * checker (`lmdash export --check`): wall time and peak RSS of each. The log is a generated class
 * of 1,000 students replayed on consecutive days (as the rebuild benchmark's); its projection is
 * one synthetic run row per runProject and one episode per student and day, written through the
 * port (the export reads them as it reads real ones; computing them would be the rebuild's two
 * minutes again).
 *
 * `bun bench/exportProgsnap2.ts` from packages/daemon rewrites its own subsection of
 * docs/benchmarks.md; `bench/run.ts` runs it with the other daemon benchmarks.
 */
import { openDatabase, type ProjectedEpisode, type ProjectedRun, type StoredEvent, type StudentChange } from '@lmdash/core';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { watchPeak } from './processRss.ts';
import { fillClass } from './rebuild.ts';

const root = resolve(import.meta.dir, '../../..');
const DAY = 86_400_000;
/** The bound the export must stay within (peak RSS of its process). */
export const EXPORT_RSS_BOUND_MB = 300;

/** Synthetic analysis for every stored run, one episode per student and day: through the port, 50 students per write. */
function project(file: string): { runs: number } {
  const { storage, close } = openDatabase(file);
  let runs = 0;
  let batch: StudentChange[] = [];
  const flush = () => {
    if (batch.length > 0) storage.projection.writeTick({ changes: batch, actions: [] }, 0);
    batch = [];
  };
  for (const studentId of storage.log.students()) {
    const runRows: ProjectedRun[] = [];
    const days = new Map<number, { start: number; end: number }>();
    for (let page: StoredEvent[] = storage.log.studentPage(studentId, null, 5000); page.length > 0; ) {
      for (const e of page) {
        const day = Math.floor(e.ts / DAY);
        const span = days.get(day) ?? { start: e.ts, end: e.ts };
        days.set(day, { start: Math.min(span.start, e.ts), end: Math.max(span.end, e.ts) });
        if (e.type !== 'runProject') continue;
        const i = runRows.length;
        const state = i % 3;
        const posterior = [0.1, 0.1, 0.1];
        posterior[state] = 0.8;
        runRows.push({
          studentId,
          runIndex: i,
          sourceEventId: e.sourceEventId,
          ts: e.ts,
          project: (e.data as { project?: string }).project ?? null,
          astSize: 40 + (i % 20),
          treeHash: 'h',
          distance: i === 0 ? null : i % 9,
          score: i === 0 ? null : (i % 9) / 50,
          bucket: i === 0 ? null : i % 4,
          state,
          posterior: JSON.stringify(posterior),
          parseError: null,
        });
      }
      const last = page.at(-1)!;
      page = storage.log.studentPage(studentId, { ts: last.ts, id: last.id }, 5000);
    }
    const episodes: ProjectedEpisode[] = [...days.values()].map((d, k) => ({
      studentId,
      episodeIndex: k,
      start: d.start,
      end: d.end,
      project: null,
      endReason: 'session-end',
      counts: '{}',
      stateMix: '{}',
      longestStuckStreak: 0,
      netChange: null,
    }));
    runs += runRows.length;
    batch.push({ studentId, card: null, runs: { upsert: runRows, remove: [] }, episodes: { upsert: episodes, remove: [] } });
    if (batch.length >= 50) flush();
  }
  flush();
  close();
  return { runs };
}

async function timed(args: string[], env: Record<string, string>): Promise<{ seconds: number; peak: number; out: string }> {
  const t = performance.now();
  const proc = Bun.spawn(['bun', 'scripts/lmdash.ts', ...args], { cwd: root, stdout: 'pipe', stderr: 'pipe', env: { ...process.env, ...env } });
  const watch = watchPeak(proc.pid);
  const code = await proc.exited;
  const peak = watch.stop();
  const seconds = (performance.now() - t) / 1000;
  const out = (await new Response(proc.stdout).text()).trim();
  if (code !== 0) throw new Error(`lmdash ${args[0]} failed (${code}): ${out} ${await new Response(proc.stderr).text()}`);
  return { seconds, peak, out };
}

const du = (dir: string, files: string[]): number => files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);

/** The benchmark's lines for docs/benchmarks.md. */
export async function benchExport(dir: string, total = 1_000_000): Promise<string[]> {
  const file = join(dir, 'export.sqlite');
  const t0 = performance.now();
  const { stored } = fillClass(file, total);
  const { runs } = project(file);
  console.log(`export: ${stored.toLocaleString('en')} events and ${runs.toLocaleString('en')} runs stored in ${((performance.now() - t0) / 1000).toFixed(0)} s`);

  const out = join(dir, 'progsnap2');
  const env = { LMDASH_DATA_DIR: dir };
  const exported = await timed(['export', '--db', file, '--format', 'progsnap2', '--out', out, '--quiet'], env);
  const size = du(out, ['MainTable.csv', 'CodeStates/CodeStates.csv']);
  console.log(`export: ${exported.seconds.toFixed(1)} s, peak RSS ${exported.peak.toFixed(0)} MB, ${(size / 1e9).toFixed(2)} GB (${exported.out})`);
  const checked = await timed(['export', '--check', out], env);
  console.log(`check: ${checked.seconds.toFixed(1)} s, peak RSS ${checked.peak.toFixed(0)} MB (${checked.out})`);
  if (exported.peak > EXPORT_RSS_BOUND_MB) console.warn(`!!! export peak RSS ${exported.peak.toFixed(0)} MB is over the ${EXPORT_RSS_BOUND_MB} MB bound`);
  const rows = /([\d,]+) rows/.exec(exported.out)?.[1] ?? '?';
  const states = /([\d,]+) code states/.exec(exported.out)?.[1] ?? '?';
  return [
    '### ProgSnap2 export of 1,000,000 events',
    '',
    `\`lmdash export --format progsnap2\` as its own process over a mirror of ${stored.toLocaleString('en')} events (the rebuild's class: 1,000 students replayed on consecutive days; ${runs.toLocaleString('en')} runs with synthetic analysis rows), pseudonyms on: **${exported.seconds.toFixed(0)} s** (${Math.round(stored / exported.seconds).toLocaleString('en')} events/s), peak RSS **${exported.peak.toFixed(0)} MB** (bound: ${EXPORT_RSS_BOUND_MB} MB; it reads 2,000 events and 2,000 runs per page, one student at a time, and writes through 1 MB buffers: what it holds does not grow with the log, measured here at one size). The synthetic class repeats its programs day after day, so its distinct code states are few; the export keeps one student's code-state ids at a time. ${rows} rows and ${states} code states, ${(size / 1e9).toFixed(2)} GB. \`lmdash export --check\` over the result: ${checked.seconds.toFixed(0)} s, peak RSS ${checked.peak.toFixed(0)} MB (it holds a hash of every EventID and CodeStateID).`,
    '',
  ];
}

if (import.meta.main) {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-bench-export-'));
  try {
    const lines = await benchExport(dir);
    // Its own subsection of the daemon's section: replaced if there, else added at the section's end.
    const docs = resolve(root, 'docs/benchmarks.md');
    const text = readFileSync(docs, 'utf8');
    const heading = '### ProgSnap2 export of 1,000,000 events';
    const block = lines.join('\n');
    let next: string;
    const at = text.indexOf(heading);
    if (at >= 0) {
      const end = text.slice(at + heading.length).search(/\n##/);
      next = text.slice(0, at) + block.replace(/\n+$/, '\n') + (end >= 0 ? text.slice(at + heading.length + end) : '');
    } else {
      const api = text.indexOf('\n## API (');
      next = api >= 0 ? text.slice(0, api).replace(/\n+$/, '\n\n') + block.replace(/\n+$/, '\n') + text.slice(api) : text.replace(/\n+$/, '\n\n') + block;
    }
    writeFileSync(docs, next);
    console.log(`wrote its subsection of ${docs}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
