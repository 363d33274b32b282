/**
 * The stream over real HTTP (an ephemeral port) while another process — `test/writer.ts`,
 * standing in for the daemon — writes the SQLite file: snapshot then deltas, resume with
 * Last-Event-ID (same epoch: deltas only; another epoch: a snapshot), a reset.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { loadConfig } from '@lmdash/core';
import { DeltaEvent, SnapshotEvent } from '@lmdash/core/wire';
import { serveApi, type ApiServer } from '../server.ts';
import { seedClass, tempDb, type TempDb } from '../../test/daemonWrites.ts';
import { SseClient, json, spawnWriter, type Writer } from '../../test/helpers.ts';

let db: TempDb;
let writer: Writer;
let server: ApiServer;

beforeAll(async () => {
  db = tempDb();
  seedClass(db.sqlite);
  db.close();
  writer = await spawnWriter(db.path);
  server = serveApi({ db: db.path, config: loadConfig({ env: {} }), port: 0, webRoot: null, log: () => {} });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await writer?.stop();
  db?.cleanup();
});

const T = 5_000_000;

describe('GET /api/stream over HTTP, written by another process', () => {
  test('snapshot on connect, then a delta after each write of the other process', async () => {
    const c = new SseClient(`${server.url}/api/stream`);
    await c.ready();
    expect(c.status).toBe(200);
    const snapFrame = await c.next((f) => f.event === 'snapshot');
    const snap = SnapshotEvent.parse(json(snapFrame));
    expect(snapFrame.id).toBe(`${snap.epoch}:${snap.version}`);
    expect(snap.students.map((s) => s.studentId)).toEqual(['s-1', 's-2', 's-3']);

    const w1 = await writer.write({ op: 'student', id: 's-3', runs: [{ ts: T, state: 0 }] });
    const d1 = await c.next((f) => f.event === 'delta' && f.id === `0:${w1.version}`);
    expect(DeltaEvent.parse(json(d1)).students.map((s) => [s.studentId, s.runCount])).toEqual([['s-3', 1]]);
    const w2 = await writer.write({ op: 'trigger', studentId: 's-3', kind: 'inactive', at: T });
    const d2 = DeltaEvent.parse(json(await c.next((f) => f.event === 'delta' && f.id === `0:${w2.version}`)));
    expect(d2.fromVersion).toBe(w1.version);
    expect(d2.triggers.map((t) => [t.id, t.kind, t.status])).toEqual([[w2.id!, 'inactive', 'open']]);
    c.close();
    await c.closed();
  }, 60_000);

  test('resuming with Last-Event-ID on the same epoch sends only the deltas since that version', async () => {
    const first = new SseClient(`${server.url}/api/stream`);
    const snapFrame = await first.next((f) => f.event === 'snapshot');
    first.close();
    const w1 = await writer.write({ op: 'student', id: 's-1', runs: [{ ts: T, state: 1 }, { ts: T + 1, state: 1 }, { ts: T + 2, state: 1 }, { ts: T + 3, state: 2 }] });
    const w2 = await writer.write({ op: 'student', id: 's-2', runs: [{ ts: T, state: 1 }, { ts: T + 9, state: 0 }] });

    const again = new SseClient(`${server.url}/api/stream`, { 'Last-Event-ID': snapFrame.id! });
    const frame = await again.next((f) => f.event === 'delta' || f.event === 'snapshot');
    expect(frame.event).toBe('delta');
    expect(frame.id).toBe(`0:${w2.version}`);
    const d = DeltaEvent.parse(json(frame));
    expect(d.fromVersion).toBe(Number(snapFrame.id!.split(':')[1]));
    expect(d.students.map((s) => s.studentId)).toEqual(['s-1', 's-2']);
    expect(d.runs.filter((r) => r.studentId === 's-1').map((r) => r.runIndex)).toEqual([0, 1, 2, 3]);
    // Then live deltas on the same connection.
    const w3 = await writer.write({ op: 'bump' });
    await again.next((f) => f.event === 'delta' && f.id === `0:${w3.version}`);
    expect(again.events('snapshot')).toEqual([]);
    expect(w1.version).toBeLessThan(w2.version);
    again.close();
  }, 60_000);

  test('after a reset by the other process: reset + snapshot live, and a snapshot for an old Last-Event-ID', async () => {
    const live = new SseClient(`${server.url}/api/stream`);
    const before = await live.next((f) => f.event === 'snapshot');
    const r = await writer.write({ op: 'reset', at: T });
    expect(json(await live.next((f) => f.event === 'reset'))).toEqual({ epoch: r.epoch });
    const fresh = await live.next((f) => f.event === 'snapshot' && f.id === `${r.epoch}:${r.version}`);
    expect(SnapshotEvent.parse(json(fresh)).students).toEqual([]);
    live.close();

    const old = new SseClient(`${server.url}/api/stream`, { 'Last-Event-ID': before.id! });
    const frame = await old.next((f) => f.event === 'delta' || f.event === 'snapshot');
    expect(frame.event).toBe('snapshot');
    expect(frame.id).toBe(`${r.epoch}:${r.version}`);
    old.close();
  }, 60_000);

  test('stream_clients in /metrics follows connections', async () => {
    const clients = async () => Number(/^lmdash_stream_clients (\d+)$/m.exec(await (await fetch(`${server.url}/metrics`)).text())![1]);
    const { until } = await import('../../test/helpers.ts');
    await until(async () => (await clients()) === 0, 10_000, 'no streams');
    const a = new SseClient(`${server.url}/api/stream`);
    const b = new SseClient(`${server.url}/api/stream`);
    await a.next((f) => f.event === 'snapshot');
    await b.next((f) => f.event === 'snapshot');
    expect(await clients()).toBe(2);
    a.close();
    await until(async () => (await clients()) === 1, 10_000, 'one stream');
    b.close();
    await until(async () => (await clients()) === 0, 10_000, 'no streams');
  }, 60_000);
});
