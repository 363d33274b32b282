import { afterEach, describe, expect, test } from 'bun:test';
import { PublishedEvent, SnapshotEvent } from '@lmdash/core/wire';
import { json } from '../../test/helpers.ts';
import { FrameReader, makeApi, type TestApi } from '../../test/unit.ts';
import { MAX_STORED_EVENTS, NOTES_KEPT, SERIES_POINTS, storePublished } from '../writes/publish.ts';

let api: TestApi;
afterEach(() => api.cleanup());

const publish = (api: TestApi, body: unknown, peer: string | null = '127.0.0.1', path = '/publish') =>
  api.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) }, peer);
const stored = (api: TestApi) => api.db.sqlite.query('SELECT type, name, body FROM published_event ORDER BY id').all() as { type: string; name: string; body: string }[];

describe('POST /publish: who may publish', () => {
  test('403 for a peer that is not loopback, or with no socket at all; headers do not help', async () => {
    api = makeApi();
    for (const peer of ['10.0.0.7', '192.168.1.2', '::ffff:10.0.0.7', 'fe80::1', null]) {
      const res = await api.request('/publish', { method: 'POST', headers: { 'x-forwarded-for': '127.0.0.1', 'x-real-ip': '127.0.0.1' }, body: '{"type":"x"}' }, peer);
      expect({ peer, status: res.status }).toEqual({ peer, status: 403 });
      expect(((await res.json()) as { error: string }).error).toContain('loopback');
    }
    expect(stored(api)).toEqual([]);
  });

  test('loopback peers: 127.0.0.0/8, ::1, IPv4-mapped 127.x; also at /api/publish', async () => {
    api = makeApi();
    for (const peer of ['127.0.0.1', '127.3.4.5', '::1', '::ffff:127.0.0.1']) expect((await publish(api, { type: 'x' }, peer)).status).toBe(200);
    expect((await publish(api, { type: 'x' }, '127.0.0.1', '/api/publish')).status).toBe(200);
  });

  test('stays loopback-only with a token configured, and needs no token', async () => {
    api = makeApi({ env: { LMDASH_API_TOKEN: 'a-long-enough-secret-token' } });
    expect((await publish(api, { type: 'x' }, '10.1.1.1')).status).toBe(403);
    expect((await publish(api, { type: 'x' })).status).toBe(200);
  });
});

describe('POST /publish: what may be published', () => {
  test('a known type with a wrong shape is a 400 with the reason; unknown types pass unharmed', async () => {
    api = makeApi();
    const bad = await publish(api, { type: 'metric', name: 'loss', value: 'high' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'invalid metric event: value: Invalid input: expected number, received string' });
    expect((await publish(api, { type: 'note' })).status).toBe(400);
    expect((await publish(api, { name: 'no type' })).status).toBe(400);
    expect((await publish(api, [1, 2])).status).toBe(400);
    expect(await (await publish(api, 'not json')).json()).toEqual({ error: 'body is not valid JSON' });
    const odd = { type: 'confusion-matrix', labels: ['a', 'b'], cells: [[1, 0], [2, 3]], nested: { deep: [null, true] } };
    expect(await (await publish(api, odd)).json()).toEqual({ delivered: 0 });
    expect(JSON.parse(stored(api).at(-1)!.body)).toEqual(odd);
  });

  test('413 over 256 KiB, with a Content-Length or chunked', async () => {
    api = makeApi();
    const big = JSON.stringify({ type: 'note', text: 'x'.repeat(300 * 1024) });
    const res = await publish(api, big);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toStartWith('body too large');
    const chunked = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 5; i++) c.enqueue(new TextEncoder().encode('x'.repeat(64 * 1024)));
        c.close();
      },
    });
    expect((await api.request('/publish', { method: 'POST', body: chunked }, '127.0.0.1')).status).toBe(413);
    expect(stored(api)).toEqual([]);
  });
});

describe('POST /publish: delivery and storage', () => {
  test('delivered counts the open streams; a stream gets the event as a publish frame', async () => {
    api = makeApi();
    const a = new FrameReader(await api.request('/api/stream'));
    const b = new FrameReader(await api.request('/api/stream'));
    await a.until((f) => f.event === 'snapshot');
    await b.until((f) => f.event === 'snapshot');
    const res = await publish(api, { type: 'metric', name: 'val_loss', value: 0.25, unit: 'nats' });
    expect(await res.json()).toEqual({ delivered: 2 });
    const f = PublishedEvent.parse(json(await a.until((f) => f.event === 'publish')));
    expect(f).toEqual({ seq: expect.any(Number), receivedAt: api.clock.now, event: { type: 'metric', name: 'val_loss', value: 0.25, unit: 'nats' } });
    expect((await b.until((f) => f.event === 'publish')).id).toBeUndefined();
    await a.cancel();
    await b.cancel();
    await Bun.sleep(20);
    expect(await (await publish(api, { type: 'x' })).json()).toEqual({ delivered: 0 });
  });

  test('keeps the latest per (type, name), the last 500 points per series, the last notes; a snapshot replays them oldest first', async () => {
    api = makeApi();
    await publish(api, { type: 'metric', name: 'loss', value: 1 });
    await publish(api, { type: 'metric', name: 'acc', value: 0.5 });
    await publish(api, { type: 'metric', name: 'loss', value: 0.5 });
    await publish(api, { type: 'note', text: 'first' });
    await publish(api, { type: 'note', text: 'second', level: 'warn' });
    for (let t = 0; t < SERIES_POINTS + 20; t++) storePublished(api.db.sqlite, { type: 'series', name: 'loss', t, value: 1 / (t + 1) }, t);
    storePublished(api.db.sqlite, { type: 'series', name: 'acc', t: 0, value: 0 }, 0);
    const rows = stored(api);
    expect(rows.filter((r) => r.type === 'metric').map((r) => JSON.parse(r.body).value)).toEqual([0.5, 0.5]);
    expect(rows.filter((r) => r.type === 'note').map((r) => JSON.parse(r.body))).toEqual([{ type: 'note', text: 'first', level: 'info' }, { type: 'note', text: 'second', level: 'warn' }]);
    for (let i = 0; i < NOTES_KEPT + 5; i++) storePublished(api.db.sqlite, { type: 'note', text: `n${i}`, level: 'info' }, i);
    expect(stored(api).filter((r) => r.type === 'note')).toHaveLength(NOTES_KEPT);
    const loss = rows.filter((r) => r.type === 'series' && r.name === 'loss').map((r) => JSON.parse(r.body).t);
    expect(loss).toHaveLength(SERIES_POINTS);
    expect(loss[0]).toBe(20);
    const reader = new FrameReader(await api.request('/api/stream'));
    const snap = SnapshotEvent.parse(json(await reader.until((f) => f.event === 'snapshot')));
    expect(snap.published.map((p) => `${p.event.type}:${(p.event as { name?: string }).name ?? ''}`).slice(0, 4)).toEqual(['metric:acc', 'metric:loss', 'series:loss', 'series:loss']);
    expect(snap.published.map((p) => p.seq)).toEqual([...snap.published.map((p) => p.seq)].sort((x, y) => x - y));
    await reader.cancel();
  });

  test('never more than MAX_STORED_EVENTS in all: the oldest go first', () => {
    api = makeApi({ seed: false });
    for (let i = 0; i < MAX_STORED_EVENTS + 5; i++) storePublished(api.db.sqlite, { type: 'metric', name: `m${i}`, value: i }, i);
    const r = api.db.sqlite.query('SELECT COUNT(*) AS n, MIN(name) AS first FROM published_event WHERE name = ?').get('m0') as { n: number };
    expect(r.n).toBe(0);
    expect(api.db.sqlite.query('SELECT COUNT(*) AS n FROM published_event').get()).toEqual({ n: MAX_STORED_EVENTS });
  });
});
