/** Reset and health, end to end in process: the daemon against the simulator, a real SQLite file. */
import { describe, expect, test } from 'bun:test';
import { resetLocalData, tables, type SourceEvent } from '@lmdash/core';
import { eq } from 'drizzle-orm';
import { readEventLog } from '@lmdash/fixtures';
import { resolve } from 'node:path';
import type { FetchLike } from '../src/source/client.ts';
import { inProcessDaemon } from './harness.ts';
import type { Tracking } from '../src/tick/context.ts';
import { runLoop } from '../src/tick/loop.ts';
import { tick } from '../src/tick/tick.ts';

const LOG: SourceEvent[] = readEventLog(resolve(import.meta.dir, '../../../fixtures/logs/small.jsonl'));
const NOW = Math.max(...LOG.map((e) => Date.parse(e.timestamp))) + 60_000;

function daemon(tracking: Tracking, wrapFetch?: (f: FetchLike) => FetchLike) {
  return inProcessDaemon({ events: LOG, now: () => NOW, tracking, wrapFetch });
}

describe('reset', () => {
  test('drops the workers, and nothing stale comes back', async () => {
    const { ctx, cleanup } = daemon({ mode: 'list', students: ['s-0001', 's-0002'] });
    try {
      for (let i = 0; i < 3; i++) await tick(ctx);
      expect(ctx.db.select().from(tables.studentState).all().map((s) => s.studentId).sort()).toEqual(['s-0001', 's-0002']);
      expect(ctx.workers.size).toBe(2);
      // A researcher resets and tracks one other student.
      resetLocalData(ctx.db, NOW);
      ctx.db.insert(tables.trackedStudent).values({ studentId: 's-0003', addedAt: NOW }).run();
      ctx.tracking = { mode: 'table' };
      await tick(ctx);
      await tick(ctx);
      expect(ctx.db.select().from(tables.studentState).all().map((s) => s.studentId)).toEqual(['s-0003']);
      expect(new Set(ctx.db.select().from(tables.vexLog).all().map((e) => e.studentId))).toEqual(new Set(['s-0003']));
      expect(ctx.workers.size).toBe(1);
      expect(ctx.db.select().from(tables.meta).get()?.epoch).toBe(1);
    } finally {
      cleanup();
    }
  });
});

describe('reset with --track-all', () => {
  test('the class is tracked again at the next tick, not at the next roster refresh', async () => {
    const { ctx, cleanup } = daemon({ mode: 'all' });
    const tracked = () => ctx.db.select().from(tables.trackedStudent).all().length;
    try {
      await tick(ctx);
      const everyone = tracked();
      expect(everyone).toBeGreaterThan(1);
      resetLocalData(ctx.db, NOW);
      expect(tracked()).toBe(0);
      await tick(ctx);
      expect(tracked()).toBe(everyone);
      await tick(ctx); // the backfill of the re-tracked students lands
      expect(ctx.db.select().from(tables.studentState).all()).toHaveLength(everyone);
    } finally {
      cleanup();
    }
  });
});

describe('untracking under --track-all', () => {
  test('a student a researcher untracked stays untracked at the next roster refresh', async () => {
    let now = NOW;
    const h = inProcessDaemon({ events: LOG, now: () => now, tracking: { mode: 'all' } });
    const tracked = () => h.ctx.db.select().from(tables.trackedStudent).all().map((t) => t.studentId).sort();
    try {
      await tick(h.ctx);
      const everyone = tracked();
      h.ctx.db.delete(tables.trackedStudent).where(eq(tables.trackedStudent.studentId, 's-0002')).run();
      now += 10 * 60_000; // past the 5-minute roster refresh
      await tick(h.ctx);
      expect(tracked()).toEqual(everyone.filter((s) => s !== 's-0002'));
    } finally {
      h.cleanup();
    }
  });
});

describe('source health in meta', () => {
  test('UNHEALTHY after 5 failures in a row, HEALTHY again after recovery', async () => {
    let failing = false;
    const { ctx, cleanup } = daemon({ mode: 'all' }, (f) => async (url, init) => (failing && !url.includes('/auth/') ? new Response('upstream down', { status: 503 }) : f(url, init)));
    const health = () => ctx.db.select().from(tables.meta).get()!.health;
    try {
      await tick(ctx);
      expect(health()).toBe('healthy');
      failing = true;
      // The client retries (without waiting, in this test); watch meta until it records UNHEALTHY.
      let attempts = 0;
      const t = tick(ctx).catch(() => undefined);
      while (health() !== 'unhealthy' && attempts++ < 200) await Bun.sleep(5);
      expect(health()).toBe('unhealthy');
      expect(ctx.db.select().from(tables.meta).get()!.lastError).toContain('503');
      failing = false;
      await t;
      await tick(ctx);
      expect(health()).toBe('healthy');
    } finally {
      cleanup();
    }
  });
});

describe('tick figures in meta', () => {
  test('each loop turn records the heartbeat, the tick count and duration, and when the drain caught up', async () => {
    const { ctx, cleanup } = daemon({ mode: 'all' });
    const meta = () => ctx.db.select().from(tables.meta).get()!;
    try {
      expect(meta()).toMatchObject({ tickCount: 0, lastTickMs: null, caughtUpAt: null, heartbeatAt: null });
      await runLoop(ctx, { once: true });
      await runLoop(ctx, { once: true });
      const m = meta();
      expect(m.tickCount).toBe(2);
      expect(m.lastTickMs).toBeGreaterThan(0);
      expect(m.caughtUpAt).toBe(NOW);
      expect(m.heartbeatAt).toBe(NOW);
    } finally {
      cleanup();
    }
  });
});
