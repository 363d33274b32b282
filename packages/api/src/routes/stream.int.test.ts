import { afterEach, describe, expect, test } from 'bun:test';
import { PublishedEvent, SnapshotEvent } from '@lmdash/core/wire';
import { emojiFlood } from '../../test/hostile.ts';
import { json, until } from '../../test/helpers.ts';
import { FrameReader, makeApi, type TestApi } from '../../test/unit.ts';
import { MAX_QUEUED_BYTES } from '../stream/sse.ts';
import { DEFAULT_KEEP, keptTotals, storePublished } from '../writes/publish.ts';

let api: TestApi;
afterEach(() => api.cleanup());

const metricClients = async (api: TestApi) => Number(/^lmdash_stream_clients (\d+)$/m.exec(await (await api.request('/metrics')).text())?.[1]);

describe('GET /api/stream: who counts as a client', () => {
  test('HEAD answers the stream headers and registers nothing, however often', async () => {
    api = makeApi();
    for (let i = 0; i < 50; i++) {
      const res = await api.request('/api/stream', { method: 'HEAD' });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toStartWith('text/event-stream');
    }
    expect(api.deps.hub.size).toBe(0);
    expect(await metricClients(api)).toBe(0);
    expect(await (await api.post('/publish', { type: 'x' })).json()).toEqual({ delivered: 0 });
  });

  test('an aborted request is removed at once, without its body ever being read or cancelled', async () => {
    api = makeApi();
    const ctrl = new AbortController();
    const res = await api.app.request(new Request('http://127.0.0.1/api/stream', { signal: ctrl.signal }));
    expect(res.status).toBe(200);
    expect(api.deps.hub.size).toBe(1);
    ctrl.abort();
    expect(api.deps.hub.size).toBe(0);
    expect(await metricClients(api)).toBe(0);
  });
});

describe('GET /api/stream: stored producer events', () => {
  test('a store full of emoji-heavy events: the whole snapshot, every stored event, then live frames, and the stream stays open', async () => {
    api = makeApi({ seed: false });
    const eachBytes = 200 * 1024;
    for (const [i, body] of emojiFlood(DEFAULT_KEEP.bytes, eachBytes).entries()) storePublished(api.db.storage, JSON.parse(body), i);
    const kept = keptTotals(api.db.storage).all;
    expect(kept.bytes).toBeGreaterThan(DEFAULT_KEEP.bytes - 2 * eachBytes);
    const tabs = [1, 2, 3];
    const readers = await Promise.all(tabs.map(async () => new FrameReader(await api.request('/api/stream'))));
    for (const reader of readers) {
      const snap = SnapshotEvent.parse(json(await reader.until((f) => f.event === 'snapshot')));
      expect(snap.publishedSeqs).toHaveLength(kept.n);
      const last = snap.publishedSeqs.at(-1);
      await reader.until((f) => f.event === 'publish' && PublishedEvent.parse(json(f)).seq === last, 30_000);
      expect(reader.frames.filter((f) => f.event === 'publish').map((f) => PublishedEvent.parse(json(f)).seq)).toEqual(snap.publishedSeqs);
    }
    expect(api.deps.hub.size).toBe(readers.length);
    const live = await api.post('/publish', { type: 'note', text: 'still live' });
    expect(await live.json()).toEqual({ delivered: readers.length });
    for (const reader of readers) {
      const f = await reader.until((f) => f.event === 'publish' && PublishedEvent.parse(json(f)).event.text === 'still live');
      expect(f.event).toBe('publish');
      await reader.cancel();
    }
    await until(() => api.deps.hub.size === 0, 5000, 'the streams to be removed');
  }, 60_000);

  test('even stored events beyond what a client may lag behind (LMDASH_PUBLISH_KEEP_BYTES raised) reach a new stream whole', async () => {
    api = makeApi({ seed: false });
    const total = MAX_QUEUED_BYTES + 8 * 1024 * 1024;
    const keep = { events: 10_000, bytes: total, typeEvents: 10_000, typeBytes: total };
    for (const [i, body] of emojiFlood(total, 250 * 1024, 1).entries()) storePublished(api.db.storage, JSON.parse(body), i, keep);
    const kept = keptTotals(api.db.storage).all;
    expect(kept.bytes).toBeGreaterThan(MAX_QUEUED_BYTES);
    const reader = new FrameReader(await api.request('/api/stream'));
    const snap = SnapshotEvent.parse(json(await reader.until((f) => f.event === 'snapshot')));
    await reader.until((f) => f.event === 'publish' && PublishedEvent.parse(json(f)).seq === snap.publishedSeqs.at(-1), 60_000);
    expect(reader.frames.filter((f) => f.event === 'publish')).toHaveLength(kept.n);
    expect(await (await api.post('/publish', { type: 'note', text: 'live' })).json()).toEqual({ delivered: 1 });
    await reader.until((f) => f.event === 'publish' && PublishedEvent.parse(json(f)).event.text === 'live');
    await reader.cancel();
  }, 120_000);

  test('live frames published during the replay follow it, in order, none lost or doubled', async () => {
    api = makeApi({ seed: false });
    for (let i = 0; i < 300; i++) storePublished(api.db.storage, { type: 'series', name: 'loss', t: i, value: i }, i);
    const reader = new FrameReader(await api.request('/api/stream'));
    // The replay waits for the reader, which has not read yet: these arrive in the middle of it.
    for (let t = 300; t < 310; t++) expect((await api.post('/publish', { type: 'series', name: 'loss', t, value: t })).status).toBe(200);
    await reader.until((f) => f.event === 'publish' && PublishedEvent.parse(json(f)).event.t === 309);
    const ts = reader.frames.filter((f) => f.event === 'publish').map((f) => PublishedEvent.parse(json(f)).event.t);
    expect(ts).toEqual(Array.from({ length: 310 }, (_, i) => i));
    await reader.cancel();
  });
});
