/**
 * Drain throughput on PostgreSQL: the storage port's `log.append` (through the synchronous
 * bridge) against a raw batched insert of the same rows with Bun's SQL client on the calling
 * thread (one multi-row INSERT … ON CONFLICT DO NOTHING per page), same events, same run, each
 * into its own fresh scratch database. Part of `bun run bench`; alone:
 * `bun packages/daemon/bench/drainPostgres.ts` (LMDASH_TEST_POSTGRES_URL as for the tests).
 */
import { createScratchPostgres, openStorage, sourceEventKey, type SourceEvent } from '@lmdash/core';
import { generateClassroom } from '@lmdash/fixtures';
import { SQL } from 'bun';

const PAGE = 1000;
const rate = (n: number, ms: number) => Math.round((n * 1000) / ms).toLocaleString('en');

export async function benchDrainPostgres(events: readonly SourceEvent[] = generateClassroom({ students: 300, minutes: 60, seed: 11 }).events): Promise<{ line: string; adapterMs: number; rawMs: number }> {
  const a = createScratchPostgres();
  const b = createScratchPostgres();
  try {
    const store = openStorage(a.url);
    const t0 = performance.now();
    for (let i = 0; i < events.length; i += PAGE) store.storage.log.append(events.slice(i, i + PAGE), null, 0);
    const adapterMs = performance.now() - t0;
    store.close();
    // The same schema for the raw insert: opening migrates it.
    openStorage(b.url).close();
    const raw = new SQL({ url: b.url, max: 1 });
    const t1 = performance.now();
    for (let i = 0; i < events.length; i += PAGE) {
      const rows = events.slice(i, i + PAGE).map((e) => ({ source_event_id: sourceEventKey(e.id), student_id: e.student, type: e.type, ts: Date.parse(e.timestamp), data: JSON.stringify(e.data ?? null), ingested_at: 0 }));
      await raw`INSERT INTO vex_log ${raw(rows)} ON CONFLICT (source_event_id) DO NOTHING`;
    }
    const rawMs = performance.now() - t1;
    await raw.close();
    const line = `On PostgreSQL (${events.length.toLocaleString('en')} events, pages of ${PAGE}, each side into its own fresh database): \`log.append\` through the adapter ${rate(events.length, adapterMs)} events/s; a raw batched insert of the same rows (Bun's SQL client, one multi-row \`INSERT … ON CONFLICT DO NOTHING\` a page) ${rate(events.length, rawMs)} events/s (ratio ${(adapterMs / rawMs).toFixed(2)}; goal: within 2x).`;
    return { line, adapterMs, rawMs };
  } finally {
    a.drop();
    b.drop();
  }
}

if (import.meta.main) console.log((await benchDrainPostgres()).line);
