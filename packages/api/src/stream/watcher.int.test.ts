/**
 * The stream through `app.request()`, with the database written in process (`stream.e2e.test.ts`
 * does the same with a writer in another process): snapshot, deltas, removals, resume with
 * Last-Event-ID, resets, health frames, pings, and one computation per delta whatever the clients.
 */
import { afterEach, describe, expect, spyOn, test } from 'bun:test';
import { DeltaEvent, Health, SnapshotEvent } from '@lmdash/core/wire';
import * as snapshotQueries from '../queries/snapshot.ts';
import { applyWrite } from '../../test/daemonWrites.ts';
import { json } from '../../test/helpers.ts';
import { FrameReader, T0, makeApi, manualRepeat, type TestApi } from '../../test/unit.ts';

let api: TestApi;
afterEach(() => api.cleanup());

const open = async (api: TestApi, lastEventId?: string) => new FrameReader(await api.request('/api/stream', lastEventId ? { headers: { 'last-event-id': lastEventId } } : undefined));

describe('GET /api/stream', () => {
  test('retry, then a snapshot with id <epoch>:<version>, then a delta per version move', async () => {
    api = makeApi();
    const res = await api.request('/api/stream');
    expect(res.headers.get('content-type')).toStartWith('text/event-stream');
    const r = new FrameReader(res);
    const first = await r.until(() => true);
    expect(first.retry).toBeGreaterThan(0);
    const snapFrame = await r.until((f) => f.event === 'snapshot');
    const snap = SnapshotEvent.parse(json(snapFrame));
    expect(snapFrame.id).toBe(`${snap.epoch}:${snap.version}`);
    expect(snap.students.map((s) => s.studentId)).toEqual(['s-1', 's-2', 's-3']);
    expect(snap.health.heartbeatStale).toBe(true);

    const w = applyWrite(api.db.sqlite, { op: 'student', id: 's-2', runs: [{ ts: T0, state: 1 }, { ts: T0 + 5000, state: 2, score: 0 }] });
    const deltaFrame = await r.until((f) => f.event === 'delta');
    const delta = DeltaEvent.parse(json(deltaFrame));
    expect(deltaFrame.id).toBe(`0:${w.version}`);
    expect(delta).toMatchObject({ epoch: 0, version: w.version, fromVersion: snap.version, removed: [] });
    expect(delta.students.map((s) => [s.studentId, s.runCount, s.ribbon.length])).toEqual([['s-2', 2, 2]]);
    // Only the rows that changed: run 0 was rewritten identically, run 1 is new.
    expect(delta.runs.map((x) => [x.studentId, x.runIndex])).toEqual([['s-2', 1]]);
    await r.cancel();
  });

  test('alerts and acks arrive as deltas; untracking lists the student in removed; tracking sends the card', async () => {
    api = makeApi();
    const r = await open(api);
    await r.until((f) => f.event === 'snapshot');
    const t = applyWrite(api.db.sqlite, { op: 'trigger', studentId: 's-1', kind: 'wheelspin', at: T0 });
    let d = DeltaEvent.parse(json(await r.until((f) => f.event === 'delta')));
    expect(d.triggers.map((x) => [x.id, x.status])).toEqual([[t.id!, 'open']]);

    let n = r.frames.length;
    await api.post(`/api/triggers/${t.id}/ack`, { note: 'seen' });
    d = DeltaEvent.parse(json(await r.until((f) => f.event === 'delta', 5000, n)));
    expect(d.triggers.map((x) => [x.id, x.status, x.ackNote])).toEqual([[t.id!, 'acked', 'seen']]);

    n = r.frames.length;
    await api.post('/api/untrack', { studentIds: ['s-1'] });
    d = DeltaEvent.parse(json(await r.until((f) => f.event === 'delta', 5000, n)));
    expect(d.removed).toEqual(['s-1']);
    expect(d.students).toEqual([]);

    n = r.frames.length;
    await api.post('/api/track', { studentIds: ['s-1', 's-7'] });
    d = DeltaEvent.parse(json(await r.until((f) => f.event === 'delta', 5000, n)));
    expect(d.students.map((s) => [s.studentId, s.displayName, s.runCount])).toEqual([
      ['s-1', 'Ada L.', 3],
      ['s-7', 'Gus T.', 0],
    ]);
    expect(d.removed).toEqual([]);
    await r.cancel();
  });

  test('Last-Event-ID of the current epoch: only the delta since then (with removals), no snapshot', async () => {
    api = makeApi();
    const r = await open(api);
    const snap = json<SnapshotEvent>(await r.until((f) => f.event === 'snapshot'));
    await r.cancel();
    // While away: a new run for s-2, s-1 untracked, s-5 tracked.
    applyWrite(api.db.sqlite, { op: 'student', id: 's-2', runs: [{ ts: T0, state: 1 }, { ts: T0 + 1, state: 1 }] });
    await api.post('/api/untrack', { studentIds: ['s-1'] });
    const last = (await (await api.post('/api/track', { studentIds: ['s-5'] })).json()) as { version: number };

    const again = await open(api, `${snap.epoch}:${snap.version}`);
    const frame = await again.until((f) => f.event === 'delta' || f.event === 'snapshot');
    expect(frame.event).toBe('delta');
    expect(frame.id).toBe(`0:${last.version}`);
    const d = DeltaEvent.parse(json(frame));
    expect(d.fromVersion).toBe(snap.version);
    expect(d.students.map((s) => s.studentId)).toEqual(['s-2', 's-5']);
    expect(d.removed).toEqual(['s-1']);
    await again.until((f) => f.event === 'health');
    await again.cancel();

    // Already current: nothing but health (no delta, no snapshot).
    const current = await open(api, `0:${last.version}`);
    await current.until((f) => f.event === 'health');
    expect(current.frames.filter((f) => f.event === 'delta' || f.event === 'snapshot')).toEqual([]);
    await current.cancel();
  });

  test('Last-Event-ID of another epoch, from before this process, or garbage: a snapshot', async () => {
    api = makeApi();
    const { version } = api.db.sqlite.query('SELECT version FROM meta').get() as { version: number };
    for (const id of [`7:${version}`, '0:0', `0:${version + 50}`, 'garbage']) {
      const r = await open(api, id);
      expect((await r.until((f) => f.event === 'snapshot' || f.event === 'delta')).event).toBe('snapshot');
      await r.cancel();
    }
  });

  test('a reset: a reset frame with the new epoch, then a fresh snapshot', async () => {
    api = makeApi();
    const r = await open(api);
    await r.until((f) => f.event === 'snapshot');
    await api.post('/api/reset', { confirm: 'RESET' });
    const reset = await r.until((f) => f.event === 'reset');
    expect(json(reset)).toEqual({ epoch: 1 });
    const i = r.frames.indexOf(reset);
    const snapFrame = await r.until((f) => f.event === 'snapshot', 5000, i);
    const snap = SnapshotEvent.parse(json(snapFrame));
    expect(snap.epoch).toBe(1);
    expect(snap.students).toEqual([]);
    expect(snapFrame.id).toBe(`1:${snap.version}`);
    await r.cancel();
  });

  test('a ping comment every PING_MS on a quiet stream', async () => {
    const clock = manualRepeat();
    api = makeApi({ pingMs: 50, pingRepeat: clock.repeat });
    const r = await open(api);
    await r.until((f) => f.event === 'snapshot');
    // One ping timer for the hub, of PING_MS, from the first stream on.
    expect(clock.periods()).toEqual([50]);
    // The pings so far: a marker sent after them through the same hub says every one was read.
    let marks = 0;
    const pingsUpTo = async () => {
      const mark = `mark ${++marks}`;
      api.deps.hub.broadcast(new TextEncoder().encode(`: ${mark}\n\n`));
      const at = r.frames.indexOf(await r.until((f) => f.comment === mark));
      return r.frames.slice(0, at).filter((f) => f.comment === 'ping').length;
    };
    expect(await pingsUpTo()).toBe(0);
    clock.advance(49);
    expect(await pingsUpTo()).toBe(0);
    clock.advance(1);
    expect(await pingsUpTo()).toBe(1);
    clock.advance(50 * 9 + 25);
    expect(await pingsUpTo()).toBe(10);
    await r.cancel();
  });

  test('health frames when the heartbeat goes fresh or stale', async () => {
    api = makeApi();
    const r = await open(api);
    await r.until((f) => f.event === 'snapshot');
    applyWrite(api.db.sqlite, { op: 'heartbeat', at: api.clock.now, health: 'healthy' });
    const fresh = Health.parse(json(await r.until((f) => f.event === 'health' && !json<Health>(f).heartbeatStale, 5000)));
    expect(fresh.daemon).toBe('healthy');
    const n = r.frames.length;
    api.clock.now += 31_000;
    const stale = Health.parse(json(await r.until((f) => f.event === 'health', 5000, n)));
    expect(stale.heartbeatStale).toBe(true);
    await r.cancel();
  });

  test('one delta computation per version move, whatever the number of streams', async () => {
    api = makeApi();
    const readers = await Promise.all(Array.from({ length: 5 }, () => open(api)));
    for (const r of readers) await r.until((f) => f.event === 'snapshot');
    const spy = spyOn(snapshotQueries, 'buildDelta');
    try {
      const w = applyWrite(api.db.sqlite, { op: 'bump' });
      for (const r of readers) expect((await r.until((f) => f.event === 'delta')).id).toBe(`0:${w.version}`);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
    for (const r of readers) await r.cancel();
  });

  test('a closed stream leaves the hub', async () => {
    api = makeApi();
    const r = await open(api);
    await r.until((f) => f.event === 'snapshot');
    expect(api.deps.hub.size).toBe(1);
    await r.cancel();
    await Bun.sleep(20);
    expect(api.deps.hub.size).toBe(0);
  });
});
