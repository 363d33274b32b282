/**
 * The daemon end to end, in process: the simulator serving the committed small classroom, the
 * daemon ticking against it into a real SQLite file. Checks the promise to researchers: every
 * event of a tracked student mirrored exactly once, whatever the faults; and the projection
 * equal to a projection of the whole log (incremental = rebuild).
 */
import { describe, expect, test } from 'bun:test';
import { tables, type SourceEvent } from '@lmdash/core';
import { readEventLog } from '@lmdash/fixtures';
import { resolve } from 'node:path';
import { inProcessDaemon } from './harness.ts';
import { projectStudent } from '../src/projection/projectStudent.ts';
import { tick } from '../src/tick/tick.ts';

const LOG: SourceEvent[] = readEventLog(resolve(import.meta.dir, '../../../fixtures/logs/small.jsonl'));
const times = LOG.map((e) => Date.parse(e.timestamp));
const FIRST = Math.min(...times);
const LAST = Math.max(...times);

function setup(opts: { faultRate?: number; seed?: number } = {}) {
  let now = LAST + 60_000;
  const clock = { get: () => now, set: (t: number) => (now = t) };
  const r = opts.faultRate;
  const faults = r ? { http500: r * 0.3, http429: r * 0.1, http429RetryAfter: r * 0.1, badBody: r * 0.2, duplicate: r * 0.3 } : undefined;
  const h = inProcessDaemon({ events: LOG, now: clock.get, seed: opts.seed, faults, env: { LMDASH_PAGE_SIZE: '50' } });
  return { ...h, clock };
}

async function tickUntilQuiet(ctx: ReturnType<typeof setup>['ctx'], max = 10): Promise<number> {
  for (let i = 0; i < max; i++) {
    const r = await tick(ctx);
    if (r.ingested === 0 && r.backfilled === 0 && r.recomputed === 0) return i + 1;
  }
  throw new Error('the daemon did not settle');
}

function mirrored(ctx: ReturnType<typeof setup>['ctx']): string[] {
  return ctx.db.select({ id: tables.vexLog.sourceEventId }).from(tables.vexLog).all().map((r) => r.id).sort();
}
const expectedIds = LOG.map((e) => String(e.id)).sort();

function projectionRows(ctx: ReturnType<typeof setup>['ctx']) {
  const strip = <T extends { version: number }>(rows: T[]) => rows.map(({ version: _v, ...r }) => r);
  return {
    cards: strip(ctx.db.select().from(tables.studentState).all()).sort((a, b) => a.studentId.localeCompare(b.studentId)),
    runs: strip(ctx.db.select().from(tables.run).all()).sort((a, b) => a.studentId.localeCompare(b.studentId) || a.runIndex - b.runIndex),
  };
}

describe('the daemon against the simulator', () => {
  test('catches up: every event mirrored once, every student projected as from the whole log', async () => {
    const { ctx, cleanup } = setup();
    try {
      await tickUntilQuiet(ctx);
      expect(mirrored(ctx)).toEqual(expectedIds);
      const students = [...new Set(LOG.map((e) => e.student))].sort();
      const direct = students.map((s) =>
        projectStudent(s, LOG.filter((e) => e.student === s).map((e) => ({ sourceEventId: String(e.id), type: e.type, ts: Date.parse(e.timestamp), data: e.data })), { episodeGapMs: 600_000 }),
      );
      const rows = projectionRows(ctx);
      expect(rows.cards).toEqual(direct.map((p) => p.card));
      expect(rows.runs).toEqual(direct.flatMap((p) => p.runs));
      expect(ctx.db.select().from(tables.meta).get()?.health).toBe('healthy');
    } finally {
      cleanup();
    }
  }, 60_000);

  test('with faults (500, 429, bad bodies, duplicated events) nothing is lost or stored twice', async () => {
    for (const seed of [1, 2, 3]) {
      const { ctx, cleanup } = setup({ faultRate: 0.3, seed });
      try {
        for (let i = 0; i < 15; i++) await tick(ctx).catch(() => undefined);
        expect({ seed, ids: mirrored(ctx) }).toEqual({ seed, ids: expectedIds });
      } finally {
        cleanup();
      }
    }
  }, 60_000);

  test('incrementally, as the class goes on, the result equals catching up at once', async () => {
    const live = setup();
    const once = setup();
    try {
      for (let t = FIRST; t <= LAST + 60_000; t += 7 * 60_000) {
        live.clock.set(t);
        await tick(live.ctx);
      }
      live.clock.set(LAST + 60_000);
      await tickUntilQuiet(live.ctx);
      await tickUntilQuiet(once.ctx);
      expect(mirrored(live.ctx)).toEqual(expectedIds);
      expect(projectionRows(live.ctx)).toEqual(projectionRows(once.ctx));
    } finally {
      live.cleanup();
      once.cleanup();
    }
  }, 60_000);

  test('alerts follow the cards: every open wheel-spin belongs to a stuck student', async () => {
    const { ctx, cleanup } = setup();
    try {
      await tickUntilQuiet(ctx);
      const cards = new Map(ctx.db.select().from(tables.studentState).all().map((c) => [c.studentId, c]));
      const open = ctx.db.select().from(tables.triggerEvent).all().filter((t) => t.status === 'open');
      for (const t of open.filter((t) => t.kind === 'wheelspin')) {
        expect(cards.get(t.studentId)?.state).toBe(2);
        expect(t.startedAt).toBe(cards.get(t.studentId)!.stuckStreakStartedAt!);
      }
      const rewrites = open.filter((t) => t.kind === 'big_rewrite');
      const qualifying = ctx.db.select().from(tables.run).all().filter((r) => (r.score ?? 0) >= 0.5 && (r.distance ?? 0) >= 4);
      expect(rewrites.length).toBe(qualifying.length);
    } finally {
      cleanup();
    }
  }, 60_000);
});
