import { SOURCE_PATHS } from '@lmdash/core';
import { createSimApp } from '@lmdash/fixtures';
import { describe, expect, test } from 'bun:test';
import { SourceClient } from './client.ts';
import type { FetchLike, SourceClientOptions } from './client.ts';
import { SIM_URL, SMALL_LOG, fakeSleep, json, simFetch } from '../../test/sourceHelpers.ts';

function client(options: Partial<SourceClientOptions> & { fetch: FetchLike }) {
  const { sleep, delays } = fakeSleep();
  const lines: string[] = [];
  const c = new SourceClient({ baseUrl: SIM_URL, user: 'demo', password: 'demo', pageSize: 100, sleep, log: (l) => lines.push(l), ...options });
  return { client: c, delays, lines };
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: () => new Response('') });
  const port = server.port ?? 0;
  await server.stop(true);
  return port;
}

describe('check(): the first-run probe', () => {
  test('ok against a working source, with what it saw', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const result = await client({ fetch: simFetch(sim) }).client.check({ since: new Date(0) });
    expect(result).toEqual({ ok: true, events: SMALL_LOG.length, students: new Set(SMALL_LOG.map((e) => e.student)).size });
  });

  test('wrong password: bad-credentials, at once (no retry)', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const { client: c, delays } = client({ fetch: simFetch(sim), password: 'wrong' });
    const result = await c.check();
    expect(result).toMatchObject({ ok: false, problem: 'bad-credentials' });
    expect(!result.ok && result.detail).toContain('Unable to log in');
    expect(sim.log.totals.badRequests).toBe(1);
    expect(delays).toEqual([]);
  });

  test('a wrong fixed token: bad-credentials', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const result = await client({ fetch: simFetch(sim), token: 'nope' }).client.check();
    expect(result).toMatchObject({ ok: false, problem: 'bad-credentials' });
  });

  test('a closed port: unreachable, after the retries', async () => {
    const port = await closedPort();
    const { client: c, delays } = client({ baseUrl: `http://127.0.0.1:${port}`, fetch: (url, init) => fetch(url, init) });
    const result = await c.check();
    expect(result).toMatchObject({ ok: false, problem: 'unreachable' });
    expect(!result.ok && result.detail).toMatch(/^network: /);
    expect(delays).toEqual([500, 1000]);
  });

  test('a server answering the wrong shape: contract', async () => {
    const wrong: FetchLike = async (url) => (new URL(url).pathname === SOURCE_PATHS.token ? json({ token: 'abc' }) : json([{ id: 1 }]));
    const result = await client({ fetch: wrong }).client.check();
    expect(result).toMatchObject({ ok: false, problem: 'contract' });
    expect(!result.ok && result.detail).toContain('wrong shape');
  });

  test('a wrong base URL (404 everywhere): contract', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const result = await client({ baseUrl: `${SIM_URL}/not-the-api`, fetch: simFetch(sim) }).client.check();
    expect(result).toMatchObject({ ok: false, problem: 'contract' });
    expect(!result.ok && result.detail).toContain('HTTP 404');
  });

  test('a source that keeps answering 503: unreachable', async () => {
    const down: FetchLike = async () => new Response('down', { status: 503 });
    const result = await client({ fetch: down }).client.check();
    expect(result).toMatchObject({ ok: false, problem: 'unreachable' });
  });
});
