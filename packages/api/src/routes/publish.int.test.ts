import { afterEach, describe, expect, test } from 'bun:test';
import { PublishedEvent, SnapshotEvent } from '@lmdash/core/wire';
import { deepEvent, emojiEvent, invalidUtf8Bodies, loneSurrogateBodies, wideEvent } from '../../test/hostile.ts';
import { json } from '../../test/helpers.ts';
import { FrameReader, makeApi, type TestApi } from '../../test/unit.ts';
import { DEFAULT_KEEP, NOTES_KEPT, SERIES_POINTS, keptTotals, storePublished } from '../writes/publish.ts';

let api: TestApi;
afterEach(() => api.cleanup());

const publish = (api: TestApi, body: unknown | Uint8Array, peer: string | null = '127.0.0.1', path = '/publish') =>
  api.request(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body) }, peer);
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

describe('POST /publish: bounds checked before the body is parsed', () => {
  const error = async (res: Response) => ((await res.json()) as { error: string }).error;

  test('bytes are counted as UTF-8 bytes: an emoji body at the bound passes, 4 bytes more is a 413', async () => {
    api = makeApi({ seed: false, env: { LMDASH_PUBLISH_MAX_BYTES: '4096' } });
    const at = emojiEvent(4096);
    expect(new TextEncoder().encode(at).byteLength).toBe(4096);
    expect(at.length).toBeLessThan(4096 * 0.6); // in UTF-16 units it looks much smaller
    expect((await publish(api, at)).status).toBe(200);
    const over = await publish(api, emojiEvent(4100));
    expect(over.status).toBe(413);
    expect(await error(over)).toBe('body too large: at most 4096 bytes (LMDASH_PUBLISH_MAX_BYTES)');
    expect(stored(api)).toHaveLength(1);
  });

  test('depth: at the bound stored, one over a 400 naming the bound', async () => {
    api = makeApi({ seed: false, env: { LMDASH_PUBLISH_MAX_DEPTH: '10' } });
    expect((await publish(api, deepEvent(10))).status).toBe(200);
    const over = await publish(api, deepEvent(11));
    expect(over.status).toBe(400);
    expect(await error(over)).toStartWith('nested deeper than 10 arrays and objects (LMDASH_PUBLISH_MAX_DEPTH)');
    expect(stored(api)).toHaveLength(1);
  });

  test('a 40,000-deep array (80 KB) is refused with a 400 and nothing stored', async () => {
    api = makeApi({ seed: false });
    const res = await publish(api, deepEvent(40_000));
    expect(res.status).toBe(400);
    expect(await error(res)).toContain('nested deeper than 64');
    expect(stored(api)).toEqual([]);
  });

  test('keys and items: at the bound stored, one over a 400 naming the bound', async () => {
    api = makeApi({ seed: false, env: { LMDASH_PUBLISH_MAX_KEYS: '500' } });
    expect((await publish(api, wideEvent(500))).status).toBe(200);
    const over = await publish(api, wideEvent(501));
    expect(over.status).toBe(400);
    expect(await error(over)).toBe('more than 500 object keys and array items (LMDASH_PUBLISH_MAX_KEYS)');
  });

  test('invalid UTF-8 and lone surrogates are refused with the byte offset, never stored as U+FFFD', async () => {
    api = makeApi({ seed: false });
    for (const b of [...invalidUtf8Bodies(), ...loneSurrogateBodies()]) {
      const res = await publish(api, b.body);
      expect({ name: b.name, status: res.status }).toEqual({ name: b.name, status: 400 });
      expect(await error(res)).toContain(`byte offset ${b.offset}`);
    }
    expect(stored(api)).toEqual([]);
    // A proper pair, escaped or raw, is text like any other.
    expect((await publish(api, '{"type":"note","text":"\\uD83D\\uDE00 😀"}')).status).toBe(200);
    expect(JSON.parse(stored(api)[0]!.body).text).toBe('😀 😀');
  });
});

describe('POST /publish: what is kept, in UTF-8 bytes', () => {
  test('each type within its bytes and all within theirs, counted in UTF-8 bytes; the newest stay', () => {
    api = makeApi({ seed: false });
    const keep = { events: 1000, bytes: 256 * 1024, typeEvents: 1000, typeBytes: 128 * 1024 };
    const one = new TextEncoder().encode(emojiEvent(8 * 1024)).byteLength;
    for (let i = 0; i < 100; i++) storePublished(api.db.storage, JSON.parse(emojiEvent(8 * 1024, `n${i}`, `t${i % 4}`)), i, keep);
    const t = keptTotals(api.db.storage);
    expect(t.all.bytes).toBeLessThanOrEqual(keep.bytes);
    expect(t.all.bytes).toBeGreaterThan(keep.bytes - 2 * one);
    for (const ty of Object.values(t.byType)) expect(ty.bytes).toBeLessThanOrEqual(keep.typeBytes);
    const names = stored(api).map((r) => r.name);
    expect(names.at(-1)).toBe('n99');
    expect(names).not.toContain('n0');
  });

  test('one busy type cannot push the others out', () => {
    api = makeApi({ seed: false });
    const keep = { events: 100, bytes: 1024 * 1024, typeEvents: 50, typeBytes: 512 * 1024 };
    storePublished(api.db.storage, { type: 'metric', name: 'acc', value: 1 }, 0, keep);
    for (let i = 0; i < 500; i++) storePublished(api.db.storage, { type: 'spam', name: `s${i}` }, i, keep);
    const t = keptTotals(api.db.storage);
    expect(t.byType.spam!.n).toBe(50);
    expect(t.byType.metric!.n).toBe(1);
  });

  test('after a reset the totals start again from what the table holds', async () => {
    api = makeApi({ seed: false });
    const keep = { events: 10, bytes: 1024 * 1024, typeEvents: 10, typeBytes: 1024 * 1024 };
    for (let i = 0; i < 10; i++) storePublished(api.db.storage, { type: 'm', name: `a${i}` }, i, keep);
    api.db.sqlite.run('DELETE FROM published_event');
    for (let i = 0; i < 5; i++) storePublished(api.db.storage, { type: 'm', name: `b${i}` }, i, keep);
    expect(stored(api).map((r) => r.name)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
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
    for (let t = 0; t < SERIES_POINTS + 20; t++) storePublished(api.db.storage, { type: 'series', name: 'loss', t, value: 1 / (t + 1) }, t);
    storePublished(api.db.storage, { type: 'series', name: 'acc', t: 0, value: 0 }, 0);
    const rows = stored(api);
    expect(rows.filter((r) => r.type === 'metric').map((r) => JSON.parse(r.body).value)).toEqual([0.5, 0.5]);
    expect(rows.filter((r) => r.type === 'note').map((r) => JSON.parse(r.body))).toEqual([{ type: 'note', text: 'first', level: 'info' }, { type: 'note', text: 'second', level: 'warn' }]);
    for (let i = 0; i < NOTES_KEPT + 5; i++) storePublished(api.db.storage, { type: 'note', text: `n${i}`, level: 'info' }, i);
    expect(stored(api).filter((r) => r.type === 'note')).toHaveLength(NOTES_KEPT);
    const loss = rows.filter((r) => r.type === 'series' && r.name === 'loss').map((r) => JSON.parse(r.body).t);
    expect(loss).toHaveLength(SERIES_POINTS);
    expect(loss[0]).toBe(20);
    const reader = new FrameReader(await api.request('/api/stream'));
    const snap = SnapshotEvent.parse(json(await reader.until((f) => f.event === 'snapshot')));
    const all = stored(api).length;
    expect(snap.publishedSeqs).toHaveLength(all);
    // The stored events follow the snapshot as publish frames, in the order the snapshot lists.
    await reader.until((f) => f.event === 'publish' && PublishedEvent.parse(json(f)).seq === snap.publishedSeqs.at(-1));
    const replayed = reader.frames.filter((f) => f.event === 'publish').map((f) => PublishedEvent.parse(json(f)));
    expect(replayed.map((p) => p.seq)).toEqual(snap.publishedSeqs);
    expect(replayed.map((p) => `${p.event.type}:${(p.event as { name?: string }).name ?? ''}`).slice(0, 4)).toEqual(['metric:acc', 'metric:loss', 'series:loss', 'series:loss']);
    expect(snap.publishedSeqs).toEqual([...snap.publishedSeqs].sort((x, y) => x - y));
    await reader.cancel();
  });

  test('never more than the kept events in all: the oldest go first', () => {
    api = makeApi({ seed: false });
    const keep = { ...DEFAULT_KEEP, typeEvents: DEFAULT_KEEP.events };
    for (let i = 0; i < DEFAULT_KEEP.events + 5; i++) storePublished(api.db.storage, { type: 'metric', name: `m${i}`, value: i }, i, keep);
    const r = api.db.sqlite.query('SELECT COUNT(*) AS n, MIN(name) AS first FROM published_event WHERE name = ?').get('m0') as { n: number };
    expect(r.n).toBe(0);
    expect(api.db.sqlite.query('SELECT COUNT(*) AS n FROM published_event').get()).toEqual({ n: DEFAULT_KEEP.events });
  });
});
