import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { DEFAULT_PUBLISH_URL, PublishError, Publisher, type FetchFn } from './publisher.ts';

const answer = (status: number, body: string): FetchFn => async () => new Response(body, { status, headers: { 'content-type': 'application/json' } });

describe('Publisher', () => {
  test('posts JSON to <url>/publish and resolves to { delivered }', async () => {
    const seen: { url: string; init: RequestInit }[] = [];
    const pub = new Publisher('http://127.0.0.1:9999/', { fetch: async (url, init) => (seen.push({ url, init }), new Response('{"delivered":3}')) });
    expect(await pub.publish({ type: 'metric', name: 'loss', value: 0.5 })).toEqual({ delivered: 3 });
    expect(seen[0]!.url).toBe('http://127.0.0.1:9999/publish');
    expect(seen[0]!.init.method).toBe('POST');
    expect(JSON.parse(seen[0]!.init.body as string)).toEqual({ type: 'metric', name: 'loss', value: 0.5 });
    expect(new Headers(seen[0]!.init.headers).get('content-type')).toBe('application/json');
  });

  test('the default is the API on loopback; an explicit /publish endpoint is kept', () => {
    expect(new Publisher().endpoint).toBe(`${DEFAULT_PUBLISH_URL}/publish`);
    expect(DEFAULT_PUBLISH_URL).toBe('http://127.0.0.1:8447');
    expect(new Publisher('http://localhost:1/api/publish').endpoint).toBe('http://localhost:1/api/publish');
  });

  test('a refusal throws a PublishError with the status and the reason', async () => {
    const pub = new Publisher(undefined, { fetch: answer(400, '{"error":"invalid metric event: value: expected number"}') });
    const e = await pub.publish({ type: 'metric', name: 'x', value: 1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PublishError);
    expect(e).toMatchObject({ status: 400, reason: 'invalid metric event: value: expected number' });
    const html = await new Publisher(undefined, { fetch: answer(502, '<h1>Bad Gateway</h1>') }).publish({ type: 'x' }).catch((x: unknown) => x);
    expect(html).toMatchObject({ status: 502, reason: '<h1>Bad Gateway</h1>' });
  });

  test('tryPublish never throws: refusals, network failures, bad answers and unserialisable events come back as { error }', async () => {
    expect(await new Publisher(undefined, { fetch: answer(403, '{"error":"loopback only"}') }).tryPublish({ type: 'x' })).toEqual({ error: 'loopback only', status: 403 });
    const down = await new Publisher(undefined, { fetch: async () => Promise.reject(new TypeError('fetch failed')) }).tryPublish({ type: 'x' });
    expect(down).toEqual({ error: 'fetch failed', status: null });
    expect(await new Publisher(undefined, { fetch: answer(200, 'ok') }).tryPublish({ type: 'x' })).toEqual({ error: 'unexpected answer: ok', status: 200 });
    const cyclic: Record<string, unknown> = { type: 'x' };
    cyclic.self = cyclic;
    expect(await new Publisher(undefined, { fetch: answer(200, '{"delivered":0}') }).tryPublish(cyclic as { type: string })).toMatchObject({ status: null });
  });

  test('a real unreachable port: tryPublish resolves with an error', async () => {
    // Port 9 (discard) is closed on loopback in CI.
    const r = await new Publisher('http://127.0.0.1:9', { timeoutMs: 2000 }).tryPublish({ type: 'note', text: 'x', level: 'info' });
    expect(r).toMatchObject({ status: null });
    expect('error' in r && r.error.length > 0).toBe(true);
  });

  test('the file imports nothing at run time (it must run unchanged under Node and Deno)', () => {
    const src = readFileSync(new URL('./publisher.ts', import.meta.url), 'utf8');
    expect(src.match(/^import .*$/gm)).toEqual([`import type { PublishEvent } from '../wire/publish.ts';`]);
  });
});
