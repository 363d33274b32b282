/**
 * Exact distances off the tick, in process: on a small class of team-sized programs (pairs
 * whose bounds do not meet go to the pool), a student waiting for a pair is not written while
 * the others are; once the pool delivers, the projection equals the one computed on the tick
 * (LMDASH_DISTANCE_WORKERS=0) and a rebuild. The durable cache: a restart reads it instead of
 * computing; corrupt rows are ignored and recomputed; deleted, the daemon computes again; a
 * model change reuses it. Program trees evicted from memory come back from the log, unchanged.
 */
import { describe, expect, test } from 'bun:test';
import { tables, type RosterStudent, type SourceEvent } from '@lmdash/core';
import { generateClassroom } from '@lmdash/fixtures';
import { defaultStrategyModel, type StrategyModel } from '@lmdash/inference';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dumpProjection } from '../src/rebuild/dumpProjection.ts';
import { rebuildProjection } from '../src/rebuild/rebuildProjection.ts';
import { distanceResolver } from '../src/daemon.ts';
import { projectionOptions } from '../src/projection/options.ts';
import type { OpenedDaemon } from '../src/daemon.ts';
import { tick } from '../src/tick/tick.ts';
import { inProcessDaemon } from './harness.ts';

// 3 students, 30 minutes of team-sized programs (500–900 nodes): 2 pairs the bounds do not settle.
const CLASS = generateClassroom({ students: 3, minutes: 30, seed: 1, profile: 'team' });
const EVENTS: SourceEvent[] = CLASS.events;
const ROSTER: RosterStudent[] = CLASS.roster;
const NOW = Math.max(...EVENTS.map((e) => Date.parse(e.timestamp))) + 5 * 60_000;
const POOL = { LMDASH_DISTANCE_WORKERS: '2' };

const delivery = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));

/** Ticks until nothing new happens and no student waits, awaiting the pool between ticks. */
async function settle(ctx: OpenedDaemon): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const r = await tick(ctx);
    if (ctx.memory.waiting.size > 0) await delivery(ctx.distances.nextDelivery());
    else if (i > 0 && r.ingested === 0 && r.recomputed === 0) return;
  }
  throw new Error('the daemon did not settle');
}

const cards = (ctx: OpenedDaemon) => ctx.db.select({ id: tables.studentState.studentId }).from(tables.studentState).all().map((r) => r.id).sort();

/** A daemon run to the end on `dbPath`; returns its dump and what its distances cost. */
async function runDaemon(dbPath: string, env: Record<string, string>, inspect?: (ctx: OpenedDaemon) => void | Promise<void>) {
  const h = inProcessDaemon({ events: EVENTS, roster: ROSTER, now: () => NOW, dbPath, env });
  try {
    await inspect?.(h.ctx);
    await settle(h.ctx);
    return { dump: dumpProjection(h.ctx.storage), counts: { ...h.ctx.distances.counts }, computed: h.ctx.distances.pool?.computed ?? 0, reloads: h.ctx.workers.programs.reloads };
  } finally {
    h.cleanup();
  }
}

describe('exact distances off the tick', () => {
  test('a waiting student is not written while the others are; the result equals the on-tick projection and a rebuild; the durable cache is reused, repaired and optional', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmdash-offtick-'));
    try {
      const onTick = await runDaemon(join(dir, 'ontick.sqlite'), { LMDASH_DISTANCE_WORKERS: '0' });
      expect(onTick.counts.here).toBeGreaterThan(0); // the class does need APTED

      const db = join(dir, 'pool.sqlite');
      const pooled = await runDaemon(db, POOL, async (ctx) => {
        const first = await tick(ctx);
        // The first tick wrote every student but those waiting for a pair the bounds do not
        // decide (those they decide are written provisionally), and did not wait for it.
        expect(first.waiting).toBeGreaterThan(0);
        const waiting = [...ctx.memory.waiting.keys()].filter((s) => !ctx.memory.provisional.has(s));
        const students = [...new Set(EVENTS.map((e) => e.student))].sort();
        expect(cards(ctx)).toEqual(students.filter((s) => !waiting.includes(s)));
        // Their pairs come in, and the next tick writes them.
        while (ctx.memory.waiting.size > 0) {
          await delivery(ctx.distances.nextDelivery());
          await tick(ctx);
        }
        expect(cards(ctx)).toEqual(students);
      });
      expect(pooled.computed).toBeGreaterThan(0);
      expect(pooled.counts.here).toBe(0);
      expect(pooled.dump).toBe(onTick.dump);

      // With no program text kept in memory, a tree needed again is parsed again from the log
      // (\`worker/programs.test.ts\`): the same projection. Here none is: each pair is sent while
      // its trees are fresh, and the card keeps its pseudo-code, so no recompute reads a tree.
      const starved = await runDaemon(join(dir, 'starved.sqlite'), { ...POOL, LMDASH_PROGRAM_CACHE_MB: '0' });
      expect(onTick.reloads).toBe(0);
      expect(starved.dump).toBe(onTick.dump);

      // A restart reads every known pair from the durable cache: nothing computed, not even bounds.
      const restarted = await runDaemon(db, POOL);
      expect(restarted.computed).toBe(0);
      expect(restarted.counts.submitted + restarted.counts.bounds + restarted.counts.here).toBe(0);
      expect(restarted.counts.durable).toBeGreaterThan(0);
      expect(restarted.dump).toBe(onTick.dump);

      // Corrupt rows (and garbage keys) are ignored and computed again, then overwritten.
      const h = inProcessDaemon({ events: EVENTS, roster: ROSTER, now: () => NOW, dbPath: db, env: POOL });
      h.ctx.sqlite.run("UPDATE distance_cache SET distance = CASE rowid % 3 WHEN 0 THEN -4 WHEN 1 THEN 'x' ELSE 100000 END");
      h.ctx.sqlite.run("INSERT INTO distance_cache (pair_key, distance, stored_at) VALUES ('garbage', 3, 0), ('a>b>c', -1, 0)");
      h.cleanup();
      const repaired = await runDaemon(db, POOL);
      expect(repaired.counts.corrupt).toBeGreaterThan(0);
      expect(repaired.computed).toBeGreaterThan(0);
      expect(repaired.dump).toBe(onTick.dump);
      const again = await runDaemon(db, POOL);
      expect(again.counts.corrupt + again.computed + again.counts.bounds).toBe(0);

      // Deleted: the daemon goes on and computes again.
      const h2 = inProcessDaemon({ events: EVENTS, roster: ROSTER, now: () => NOW, dbPath: db, env: POOL });
      h2.ctx.sqlite.run('DELETE FROM distance_cache');
      h2.cleanup();
      const emptied = await runDaemon(db, POOL);
      expect(emptied.computed).toBeGreaterThan(0);
      expect(emptied.dump).toBe(onTick.dump);

      // A rebuild (on the pool, the durable cache warm) gives the same bytes without computing;
      // a rebuild under another model reuses the distances too; an emptied cache changes nothing.
      const r = inProcessDaemon({ events: EVENTS, roster: ROSTER, now: () => NOW, dbPath: db, env: POOL });
      try {
        const rebuild = async (model: StrategyModel) => {
          const distances = distanceResolver(r.ctx.storage, r.ctx.config, () => {});
          try {
            await rebuildProjection(r.ctx.storage, projectionOptions(r.ctx.config, model), NOW, distances);
            return { counts: distances.counts, computed: distances.pool!.computed };
          } finally {
            distances.close();
          }
        };
        const warm = await rebuild(defaultStrategyModel);
        expect(warm.computed + warm.counts.bounds).toBe(0);
        expect(dumpProjection(r.ctx.storage)).toBe(onTick.dump);
        const other = await rebuild({ ...defaultStrategyModel, startProb: [0.2, 0.5, 0.3] });
        expect(other.computed + other.counts.bounds).toBe(0);
        r.ctx.sqlite.run('DELETE FROM distance_cache');
        const cold = await rebuild(defaultStrategyModel);
        expect(cold.computed).toBeGreaterThan(0);
        expect(dumpProjection(r.ctx.storage)).toBe(onTick.dump);
      } finally {
        r.cleanup();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
