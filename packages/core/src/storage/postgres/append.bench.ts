/**
 * An append of 1,000 events through the PostgreSQL adapter (the synchronous bridge, one unnest
 * INSERT) against the same rows inserted raw (Bun's SQL client on the calling thread, one
 * multi-row INSERT … ON CONFLICT DO NOTHING, async), both timed from the events: what the
 * bridge and the adapter cost.
 * `bun packages/core/src/storage/postgres/append.bench.ts` (LMDASH_TEST_POSTGRES_URL as for the tests).
 */
import { SQL } from 'bun';
import { sourceEventKey } from '../../db/schema.ts';
import type { SourceEvent } from '../../wire/source.ts';
import { openPostgresStorage } from './index.ts';
import { createScratchPostgres, emptyPostgresStore } from './scratch.ts';

const N = 1_000;
const ROUNDS = 20;
const T0 = Date.UTC(2026, 10, 22, 10);
const page = (round: number): SourceEvent[] =>
  Array.from({ length: N }, (_, i) => ({
    id: round * N + i,
    student: `s-${i % 30}`,
    type: 'runProject',
    timestamp: new Date(T0 + i * 1000).toISOString(),
    data: { project: 'Drive', blocks: '<xml>'.padEnd(600, 'x') },
  })) as SourceEvent[];

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const pg = createScratchPostgres();
const store = openPostgresStorage(pg.url);
const raw = new SQL({ url: pg.url, max: 1 });
try {
  const adapter: number[] = [];
  const rawMs: number[] = [];
  const dupMs: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    emptyPostgresStore(store.connection);
    const events = page(r);
    let t = performance.now();
    const res = store.storage.log.append(events, null, T0);
    adapter.push(performance.now() - t);
    if (res.inserted !== N) throw new Error(`inserted ${res.inserted}`);
    t = performance.now();
    store.storage.log.append(events, null, T0); // all duplicates: the drain's overlap re-read
    dupMs.push(performance.now() - t);

    emptyPostgresStore(store.connection);
    // Timed from the events, as the adapter is: building the rows (JSON, dates) is part of an append.
    t = performance.now();
    const rows = events.map((e) => ({ source_event_id: sourceEventKey(e.id), student_id: e.student, type: e.type, ts: Date.parse(e.timestamp), data: JSON.stringify(e.data), ingested_at: T0 }));
    const out = await raw`INSERT INTO vex_log ${raw(rows)} ON CONFLICT (source_event_id) DO NOTHING RETURNING student_id`;
    rawMs.push(performance.now() - t);
    if (out.length !== N) throw new Error(`raw inserted ${out.length}`);
  }
  const f = (x: number) => `${x.toFixed(2)} ms`;
  console.log(`append of ${N} events (~${JSON.stringify(page(0)[0]!.data).length} B of data each), median of ${ROUNDS}:`);
  console.log(`  adapter (bridge, one unnest INSERT):        ${f(median(adapter))}`);
  console.log(`  adapter, the same page again (duplicates):  ${f(median(dupMs))}`);
  console.log(`  raw Bun SQL multi-row INSERT (async):       ${f(median(rawMs))}`);
} finally {
  await raw.close();
  store.close();
  pg.drop();
}
