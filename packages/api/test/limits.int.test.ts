/**
 * The producer and stream bounds over real HTTP (Bun.serve on a temporary file): HEAD floods and
 * aborted fetches leave no stream client behind, a store full of the worst kept events reaches a
 * new stream whole and live, hostile bodies get their 4xx, wrong methods a 405 with Allow.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { loadConfig } from '@lmdash/core';
import { PublishedEvent, SnapshotEvent } from '@lmdash/core/wire';
import { serveApi, type ApiServer } from '../src/server.ts';
import { DEFAULT_KEEP, keptTotals, storePublished } from '../src/writes/publish.ts';
import { tempDb, type TempDb } from './daemonWrites.ts';
import { SseClient, json, until } from './helpers.ts';
import { emojiFlood, hostileProducerEvents } from './hostile.ts';

let db: TempDb;
let s: ApiServer;
beforeAll(() => {
  db = tempDb();
  s = serveApi({ db, config: loadConfig({ env: {} }), port: 0, log: () => {} });
});
afterAll(async () => {
  await s.stop();
  db.cleanup();
});

const clients = async () => Number(/^lmdash_stream_clients (\d+)$/m.exec(await (await fetch(`${s.url}/metrics`)).text())?.[1]);

describe('stream clients over HTTP', () => {
  test('200 HEAD /api/stream leave no client', async () => {
    const all = await Promise.all(Array.from({ length: 200 }, () => fetch(`${s.url}/api/stream`, { method: 'HEAD' })));
    expect(all.every((r) => r.status === 200)).toBe(true);
    expect(await clients()).toBe(0);
    expect(await (await fetch(`${s.url}/publish`, { method: 'POST', body: '{"type":"probe"}' })).json()).toEqual({ delivered: 0 });
  });

  test('a fetch aborted by its client is removed', async () => {
    const stream = new SseClient(`${s.url}/api/stream`);
    await stream.next((f) => f.event === 'snapshot');
    expect(await clients()).toBe(1);
    stream.close();
    await until(async () => (await clients()) === 0, 5000, 'the aborted stream to be removed');
  });
});

describe('producer events over HTTP', () => {
  test('each hostile body gets its status; the API goes on answering', async () => {
    for (const e of hostileProducerEvents()) {
      const res = await fetch(`${s.url}/publish`, { method: 'POST', body: e.body });
      expect({ name: e.name, status: res.status }).toEqual({ name: e.name, status: e.status });
    }
    expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
  });

  test('a new stream on a store full of emoji-heavy events gets the snapshot, every stored event, then live frames', async () => {
    for (const [i, body] of emojiFlood(DEFAULT_KEEP.bytes, 250 * 1024).entries()) storePublished(db.storage, JSON.parse(body), i);
    const kept = keptTotals(db.storage).all;
    expect(kept.bytes).toBeGreaterThan(DEFAULT_KEEP.bytes - 500 * 1024);
    const streams = [0, 1, 2].map(() => new SseClient(`${s.url}/api/stream`));
    for (const stream of streams) {
      const snap = SnapshotEvent.parse(json(await stream.next((f) => f.event === 'snapshot')));
      expect(snap.publishedSeqs).toHaveLength(kept.n);
      await until(() => stream.events('publish').length >= kept.n, 60_000, 'every stored event');
      expect(stream.events('publish').map((f) => PublishedEvent.parse(json(f)).seq)).toEqual(snap.publishedSeqs);
    }
    const live = await fetch(`${s.url}/publish`, { method: 'POST', body: JSON.stringify({ type: 'note', text: 'live after the flood' }) });
    expect(await live.json()).toEqual({ delivered: 3 });
    for (const stream of streams) {
      await stream.next((f) => f.event === 'publish' && json(f).event.text === 'live after the flood');
      stream.close();
    }
  }, 120_000);
});

test('wrong methods: 405 with Allow over HTTP too', async () => {
  const head = await fetch(`${s.url}/publish`, { method: 'HEAD' });
  expect([head.status, head.headers.get('allow')]).toEqual([405, 'POST']);
  const options = await fetch(`${s.url}/api/stream`, { method: 'OPTIONS' });
  expect([options.status, options.headers.get('allow')]).toEqual([405, 'GET, HEAD']);
});
