/**
 * Rebuild of a 1,000,000-event log, as its own process (`lmdash rebuild`): a generated class of
 * 1,000 students, replayed on consecutive days (new event ids) until the log holds a million
 * events, so each student has a semester-like history. Reports wall time and peak RSS.
 */
import { openDatabase, type SourceEvent } from '@lmdash/core';
import { generateClassroom } from '@lmdash/fixtures';
import { join, resolve } from 'node:path';
import { REBUILD_BATCH } from '../src/rebuild/rebuildProjection.ts';
import { watchPeak } from './processRss.ts';

const DAY = 86_400_000;

/**
 * Stores `total` events in a new SQLite file: a generated class of 1,000 students replayed on
 * consecutive days (new ids). Returns how many were stored, and the class's events per day.
 */
export function fillReplicatedClass(file: string, total: number): { stored: number; perDay: number } {
  const { events } = generateClassroom({ students: 1000, minutes: 60, seed: 5 });
  const { storage, close } = openDatabase(file);
  let stored = 0;
  let maxId = 0;
  for (const e of events) if (typeof e.id === 'number' && e.id > maxId) maxId = e.id;
  for (let day = 0; stored < total; day++) {
    const copy: SourceEvent[] = [];
    for (const e of events) {
      if (stored + copy.length >= total) break;
      copy.push({ ...e, id: (e.id as number) + day * (maxId + 1), timestamp: new Date(Date.parse(e.timestamp) + day * DAY).toISOString() } as SourceEvent);
    }
    for (let i = 0; i < copy.length; i += 5000) stored += storage.log.append(copy.slice(i, i + 5000), null, 0).inserted;
  }
  close();
  return { stored, perDay: events.length };
}

export async function benchRebuild(dir: string, total = 1_000_000): Promise<string[]> {
  const file = join(dir, 'rebuild.sqlite');
  const t0 = performance.now();
  const { stored, perDay } = fillReplicatedClass(file, total);
  const fillS = (performance.now() - t0) / 1000;
  console.log(`rebuild: ${stored.toLocaleString('en')} events stored in ${fillS.toFixed(0)} s`);

  const root = resolve(import.meta.dir, '../../..');
  const t1 = performance.now();
  const proc = Bun.spawn(['bun', 'scripts/lmdash.ts', 'rebuild', '--db', file], { cwd: root, stdout: 'pipe', stderr: 'pipe' });
  const watch = watchPeak(proc.pid);
  const code = await proc.exited;
  const peak = watch.stop();
  const seconds = (performance.now() - t1) / 1000;
  const out = (await new Response(proc.stdout).text()).trim();
  if (code !== 0) throw new Error(`rebuild failed: ${out} ${await new Response(proc.stderr).text()}`);
  const runs = (() => {
    const o = openDatabase(file);
    const n = (o.sqlite.query('SELECT count(*) AS n FROM run').get() as { n: number }).n;
    o.close();
    return n;
  })();
  console.log(`rebuild: ${seconds.toFixed(1)} s, peak RSS ${peak.toFixed(0)} MB (${out})`);
  return [
    '### Rebuild of 1,000,000 events',
    '',
    `\`lmdash rebuild\` as its own process over a log of ${stored.toLocaleString('en')} events (a generated class of 1,000 students replayed on ${Math.ceil(stored / perDay)} consecutive days; ${runs.toLocaleString('en')} runs): **${seconds.toFixed(0)} s** (${Math.round(stored / seconds).toLocaleString('en')} events/s), peak RSS **${peak.toFixed(0)} MB**. Each program is parsed once and each pair of consecutive programs compared once (plus each episode's first and last program); students are replayed ${REBUILD_BATCH} at a time, one transaction and one garbage collection each.`,
    '',
  ];
}
