/**
 * Rebuild of a 1,000,000-event log, as its own process (`lmdash rebuild`). Two logs:
 * - `classic`: a generated class of 1,000 students replayed on consecutive days (new event ids),
 *   so each student has a semester-like history of the same small programs;
 * - `mixed`: real-size programs (the generator's `mixed` profile), a *new* class each day (seed
 *   + day), so consecutive programs are new pairs every day, as in a semester: a rebuild with
 *   the distance cache deleted (cold) computes them all, then a second rebuild reads them (warm).
 * Reports wall time and peak RSS of each rebuild.
 */
import { openDatabase, type SourceEvent } from '@lmdash/core';
import { generateClassroom, type Profile } from '@lmdash/fixtures';
import { join, resolve } from 'node:path';
import { REBUILD_BATCH } from '../src/rebuild/rebuildProjection.ts';
import { watchPeak } from './processRss.ts';

const DAY = 86_400_000;
const SEED = 5;

export type FillOptions = { profile?: Profile; /** A class generated afresh each day (seed + day) instead of one class replayed. */ newClassEachDay?: boolean };

/**
 * Stores `total` events in a new SQLite file: a generated class of 1,000 students on consecutive
 * days (new ids). Returns how many were stored, the days, and the text of the events' data.
 */
export function fillClass(file: string, total: number, o: FillOptions = {}): { stored: number; days: number; bytes: number } {
  const profile = o.profile ?? 'classic';
  const { storage, close } = openDatabase(file);
  let stored = 0;
  let bytes = 0;
  let day = 0;
  let offset = 0;
  let events = generateClassroom({ students: 1000, minutes: 60, seed: SEED, profile }).events;
  for (; stored < total; day++) {
    if (day > 0 && o.newClassEachDay) events = generateClassroom({ students: 1000, minutes: 60, seed: SEED + day, profile }).events;
    let maxId = 0;
    const copy: SourceEvent[] = [];
    for (const e of events) {
      if ((e.id as number) > maxId) maxId = e.id as number;
      if (stored + copy.length >= total) continue;
      copy.push({ ...e, id: (e.id as number) + offset, timestamp: new Date(Date.parse(e.timestamp) + day * DAY).toISOString() } as SourceEvent);
    }
    offset += maxId + 1;
    for (let i = 0; i < copy.length; i += 2000) {
      const r = storage.log.append(copy.slice(i, i + 2000), null, 0);
      stored += r.inserted;
      bytes += r.bytes;
    }
    Bun.gc(true);
  }
  close();
  return { stored, days: day, bytes };
}

/** `lmdash rebuild --db file` as its own process: seconds and peak RSS (MB). */
async function rebuildOnce(file: string): Promise<{ seconds: number; peak: number; out: string }> {
  const root = resolve(import.meta.dir, '../../..');
  const t = performance.now();
  const proc = Bun.spawn(['bun', 'scripts/lmdash.ts', 'rebuild', '--db', file], { cwd: root, stdout: 'pipe', stderr: 'pipe' });
  const watch = watchPeak(proc.pid);
  const code = await proc.exited;
  const peak = watch.stop();
  const seconds = (performance.now() - t) / 1000;
  const out = (await new Response(proc.stdout).text()).trim();
  if (code !== 0) throw new Error(`rebuild failed: ${out} ${await new Response(proc.stderr).text()}`);
  return { seconds, peak, out };
}

function count(file: string, sql: string): number {
  const o = openDatabase(file);
  try {
    return (o.sqlite.query(sql).get() as { n: number }).n;
  } finally {
    o.close();
  }
}

const rate = (n: number, s: number) => Math.round(n / s).toLocaleString('en');

export async function benchRebuild(dir: string, total = 1_000_000): Promise<string[]> {
  const file = join(dir, 'rebuild.sqlite');
  const t0 = performance.now();
  const { stored, days } = fillClass(file, total);
  console.log(`rebuild: ${stored.toLocaleString('en')} events stored in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const r = await rebuildOnce(file);
  const runs = count(file, 'SELECT count(*) AS n FROM run');
  console.log(`rebuild: ${r.seconds.toFixed(1)} s, peak RSS ${r.peak.toFixed(0)} MB (${r.out})`);
  return [
    '### Rebuild of 1,000,000 events',
    '',
    `\`lmdash rebuild\` as its own process over a log of ${stored.toLocaleString('en')} events (a generated class of 1,000 students replayed on ${days} consecutive days; ${runs.toLocaleString('en')} runs): **${r.seconds.toFixed(0)} s** (${rate(stored, r.seconds)} events/s), peak RSS **${r.peak.toFixed(0)} MB**. Each program is parsed once and each pair of consecutive programs compared once (plus each episode's first and last program); students are replayed ${REBUILD_BATCH} at a time, one transaction and one garbage collection each.`,
    '',
  ];
}

/** The `mixed` log (a new class each day): a cold rebuild (distance cache and program summaries deleted), then a warm one. */
export async function benchRebuildMixed(dir: string, total = 1_000_000): Promise<string[]> {
  const file = join(dir, 'rebuild-mixed.sqlite');
  const t0 = performance.now();
  const { stored, days, bytes } = fillClass(file, total, { profile: 'mixed', newClassEachDay: true });
  console.log(`rebuild mixed: ${stored.toLocaleString('en')} events (${(bytes / 1e9).toFixed(1)} GB of data) stored in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const o = openDatabase(file);
  o.sqlite.run('DELETE FROM distance_cache');
  o.sqlite.run('DELETE FROM program_summary');
  o.close();
  const cold = await rebuildOnce(file);
  const cached = count(file, 'SELECT count(*) AS n FROM distance_cache');
  const summaries = count(file, 'SELECT count(*) AS n FROM program_summary');
  console.log(`rebuild mixed, cold: ${cold.seconds.toFixed(1)} s, peak RSS ${cold.peak.toFixed(0)} MB, ${cached} distances and ${summaries} program summaries stored (${cold.out})`);
  const warm = await rebuildOnce(file);
  console.log(`rebuild mixed, warm: ${warm.seconds.toFixed(1)} s, peak RSS ${warm.peak.toFixed(0)} MB (${warm.out})`);
  const runs = count(file, 'SELECT count(*) AS n FROM run');
  return [
    `With real-size programs (the generator's \`mixed\` profile: novice, course and team programs, 30–2,000 nodes): ${stored.toLocaleString('en')} events, ${(bytes / 1e9).toFixed(1)} GB of event data, a new class of 1,000 students generated for each of ${days} consecutive days (seeds ${SEED}–${SEED + days - 1}), so every day's pairs of programs are new; ${runs.toLocaleString('en')} runs. Cold (\`distance_cache\` and \`program_summary\` deleted first; they end with ${cached.toLocaleString('en')} distances and ${summaries.toLocaleString('en')} program summaries): **${cold.seconds.toFixed(0)} s** (${rate(stored, cold.seconds)} events/s), peak RSS ${cold.peak.toFixed(0)} MB. Warm (the same rebuild again, every distance and every program's summary stored): **${warm.seconds.toFixed(0)} s** (${rate(stored, warm.seconds)} events/s), peak RSS ${warm.peak.toFixed(0)} MB. Goal: < 5 min warm.`,
    '',
  ];
}

if (import.meta.main) {
  const dir = process.argv[2] ?? (await import('node:fs')).mkdtempSync('/tmp/lmdash-rebuild-');
  console.log((await benchRebuildMixed(dir, Number(process.argv[3] ?? 1_000_000))).join('\n'));
}
