/**
 * The notices' pure parts, and how the watcher paces its reads by their state (a fake notice
 * source, a version row in a variable): every POLL_MS while not listening, on a wake and every
 * SAFETY_POLL_MS while listening, nothing for a notice of a version already followed.
 */
import { describe, expect, test } from 'bun:test';
import type { Storage } from '@lmdash/core';
import { Hub } from './hub.ts';
import { noNotices, parseNotice, type NoticeState, type VersionNotices, type Wake } from './notices.ts';
import { Watcher } from './watcher.ts';

test('parseNotice: the adapter payload, or null', () => {
  expect(parseNotice('{"epoch":2,"version":41}')).toEqual({ epoch: 2, version: 41 });
  for (const bad of ['', 'x', '{"epoch":1}', '{"epoch":"1","version":2}', '{"epoch":1.5,"version":2}', 'null', '[]']) expect(parseNotice(bad)).toBeNull();
});

test('noNotices (SQLite): state none, nothing counted', async () => {
  const n = noNotices();
  n.start(() => {});
  expect(n.state()).toBe('none');
  expect(n.stats()).toEqual({ notices: 0, connects: 0, drops: 0 });
  await n.stop();
});

function fake() {
  let wake: (w: Wake) => void = () => {};
  let st: NoticeState = 'polling';
  const n: VersionNotices = { start: (w) => void (wake = w), stop: async () => {}, state: () => st, stats: () => ({ notices: 0, connects: 0, drops: 0 }) };
  return { n, wake: (w: Wake) => wake(w), set: (s: NoticeState) => void (st = s) };
}

function row() {
  const r = { epoch: 0, version: 0 };
  let reads = 0;
  const storage = { status: { version: () => (reads++, { ...r }) }, consistent: <T>(fn: () => T) => fn(), roster: { trackedIds: () => new Set<string>() }, published: { lastSeq: () => 0, page: () => [] } } as unknown as Storage;
  return { r, storage, reads: () => reads };
}

describe('the watcher paced by its notices', () => {
  test('polling: a read every pollMs; listening: none until a wake or the safety poll', async () => {
    const f = fake();
    const v = row();
    const w = new Watcher({ storage: v.storage, hub: new Hub(), now: Date.now, rule: { sessionGapMs: 1 }, log: () => {}, pollMs: 10, safetyPollMs: 400, healthCheckMs: 60_000, notices: f.n });
    w.start();
    try {
      let n = v.reads();
      await Bun.sleep(200);
      expect(v.reads() - n).toBeGreaterThanOrEqual(5);

      f.set('listening');
      await Bun.sleep(20);
      n = v.reads();
      await Bun.sleep(200);
      expect(v.reads() - n).toBeLessThanOrEqual(1);

      // A wake: read at once (once for a burst).
      v.r.version = 3;
      n = v.reads();
      for (let i = 0; i < 5; i++) f.wake({ epoch: 0, version: 3 });
      await Bun.sleep(5);
      expect(w.version).toBe(3);
      expect(v.reads() - n).toBeLessThanOrEqual(3); // the poll reads the row, then again inside its consistent read

      // A notice of a version already followed: not even read.
      n = v.reads();
      f.wake({ epoch: 0, version: 2 });
      f.wake({ epoch: 0, version: 3 });
      await Bun.sleep(5);
      expect(v.reads()).toBe(n);
      // Another epoch, or a reconnect (null): read.
      f.wake({ epoch: 1, version: 0 });
      await Bun.sleep(5);
      expect(v.reads()).toBeGreaterThan(n);

      // A version that no notice announced: the safety poll finds it.
      v.r.version = 4;
      await Bun.sleep(600);
      expect(w.version).toBe(4);

      // Down again: back to pollMs.
      f.set('polling');
      v.r.version = 5;
      await Bun.sleep(50);
      expect(w.version).toBe(5);
    } finally {
      await w.stop();
    }
  });
});
