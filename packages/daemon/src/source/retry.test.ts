import { SOURCE_PATHS } from '@lmdash/core';
import { createSimApp, faultMix } from '@lmdash/fixtures';
import type { Sim } from '@lmdash/fixtures';
import { describe, expect, test } from 'bun:test';
import { BAD_CREDENTIALS_RETRY_MS } from './backoff.ts';
import { SourceClient } from './client.ts';
import type { SourceClientOptions } from './client.ts';
import type { HealthTransition } from './health.ts';
import { SIM_URL, SMALL_LOG, collect, fakeSleep, idsOf, json, replaceFirst, simFetch, tally } from '../../test/sourceHelpers.ts';

function client(sim: Sim, options: Partial<SourceClientOptions> = {}, onSleep?: (ms: number, calls: number) => void) {
  const lines: string[] = [];
  const transitions: HealthTransition[] = [];
  const { sleep, delays } = fakeSleep(onSleep);
  const c = new SourceClient({ baseUrl: SIM_URL, user: 'demo', password: 'demo', pageSize: 20, fetch: simFetch(sim), sleep, log: (l) => lines.push(l), onHealth: (t) => transitions.push(t), ...options });
  return { client: c, lines, delays, transitions };
}

const serverError = () => new Response('<h1>Server Error (500)</h1>', { status: 500, headers: { 'content-type': 'text/html' } });

describe('retry under faults', () => {
  for (const seed of [1, 2, 3]) {
    test(`fault mix 0.3 (seed ${seed}): every event of the log at least once, nothing else`, async () => {
      const sim = createSimApp({ events: SMALL_LOG, allVisible: true, seed, faults: { ...faultMix(0.3), slowMs: 0, timeoutMs: 1 } });
      const { client: c, delays } = client(sim, { pageSize: 5 }); // 54 pages: plenty of faults
      const pages = await collect(c.eventsSince(new Date(0)));
      const { ids, duplicates } = tally(pages);
      expect(ids).toEqual(idsOf(SMALL_LOG));
      // Every duplicate comes from the simulator's duplicate fault: the client neither drops nor adds.
      expect(duplicates).toBe(sim.log.totals.faults.duplicate ?? 0);
      expect(duplicates).toBeGreaterThan(0); // seeded: these seeds do duplicate
      const failures = ['http500', 'http429', 'http429RetryAfter', 'timeout', 'drop', 'badBody'] as const;
      expect(delays.length).toBe(failures.reduce((s, k) => s + (sim.log.totals.faults[k] ?? 0), 0));
      expect(delays.length).toBeGreaterThan(0);
    });
  }

  test('a bad body (HTML, truncated JSON, wrong shape, one bad event) is retried, never yielded', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const html = () => new Response('<html><title>502 Bad Gateway</title></html>', { status: 200, headers: { 'content-type': 'text/html' } });
    const truncated = async (real: () => Promise<Response>) => new Response((await (await real()).text()).slice(0, 100), { status: 200 });
    const wrongShape = async (real: () => Promise<Response>) => json(((await (await real()).json()) as { results: unknown[] }).results);
    const oneBadEvent = async (real: () => Promise<Response>) => {
      const body = (await (await real()).json()) as { results: { data: unknown }[] };
      body.results[3].data = 'not an object';
      return json(body);
    };
    const { client: c, delays, lines } = client(sim, { fetch: replaceFirst(simFetch(sim), SOURCE_PATHS.events, [html, truncated, wrongShape, oneBadEvent]) });
    const pages = await collect(c.eventsSince(new Date(0)));
    expect(tally(pages)).toMatchObject({ duplicates: 0, total: SMALL_LOG.length });
    expect(pages[0]).toHaveLength(20); // the first page came whole, once, after four bad ones
    expect(delays).toEqual([500, 1000, 2000, 4000]);
    expect(lines.filter((l) => l.includes('bad-body:'))).toHaveLength(4);
  });

  test('Retry-After is honoured, capped at 30 s', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const throttled = (after: string) => () => json({ detail: 'Request was throttled.' }, 429, { 'retry-after': after });
    const { client: c, delays } = client(sim, { fetch: replaceFirst(simFetch(sim), SOURCE_PATHS.events, [throttled('7'), throttled('120'), () => json({ detail: 'Request was throttled.' }, 429)]) });
    await collect(c.eventsSince(new Date(0)));
    expect(delays).toEqual([7000, 30000, 2000]); // the third has no Retry-After: plain backoff (3rd failure)
  });

  test("the simulator's 429 + Retry-After: every wait at least what it asked", async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true, seed: 4, faults: { http429RetryAfter: 0.4, retryAfterS: 3 } });
    const { client: c, delays } = client(sim);
    await collect(c.eventsSince(new Date(0)));
    expect(delays.length).toBe(sim.log.totals.faults.http429RetryAfter ?? -1);
    expect(delays.length).toBeGreaterThan(0);
    expect(delays.every((d) => d >= 3000)).toBe(true);
  });

  test('5 failures in a row: exactly one UNHEALTHY; then a success: exactly one HEALTHY', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const { client: c, delays, lines, transitions } = client(sim, { fetch: replaceFirst(simFetch(sim), SOURCE_PATHS.events, Array(7).fill(serverError)) });
    const pages = await collect(c.eventsSince(new Date(0)));
    expect(tally(pages).total).toBe(SMALL_LOG.length);
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 16000, 30000]);
    expect(transitions).toHaveLength(2);
    expect(transitions[0]).toMatchObject({ status: 'unhealthy', previous: 'unknown', consecutiveFailures: 5 });
    expect((transitions[0] as { lastError: string }).lastError).toContain('HTTP 500');
    expect(transitions[1]).toEqual({ status: 'healthy', previous: 'unhealthy' });
    expect(lines.filter((l) => l.includes('UNHEALTHY'))).toHaveLength(1);
    expect(lines.filter((l) => /source: HEALTHY/.test(l))).toHaveLength(1);
    expect(c.health).toMatchObject({ status: 'healthy', consecutiveFailures: 0 });
  });

  test('the very first success after start records HEALTHY, once', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const { client: c, transitions } = client(sim);
    await c.eventsPage({ dateFrom: new Date(0) });
    await c.roster();
    expect(transitions).toEqual([{ status: 'healthy', previous: 'unknown' }]);
  });

  test('the AbortSignal ends the retrying (the daemon shutting down)', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true, faults: { http500: 1 } });
    const controller = new AbortController();
    const { client: c, delays } = client(sim, {}, (_ms, calls) => {
      if (calls === 3) controller.abort();
    });
    const error = await collect(c.eventsSince(new Date(0), { signal: controller.signal })).catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(delays).toHaveLength(3);
  });

  test('a rotated password mid-run is retried every 10 minutes (not every 30 s: a real account could lock), not fatal', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const badLogin = () => json({ detail: 'Unable to log in with provided credentials.' }, 400);
    const { client: c, delays, lines } = client(sim, { fetch: replaceFirst(simFetch(sim), SOURCE_PATHS.token, [badLogin, badLogin]) });
    const pages = await collect(c.eventsSince(new Date(0)));
    expect(tally(pages).total).toBe(SMALL_LOG.length);
    expect(delays).toEqual([BAD_CREDENTIALS_RETRY_MS, BAD_CREDENTIALS_RETRY_MS]);
    expect(lines.some((l) => l.includes('login refused') && l.includes('retry in 600.0 s'))).toBe(true);
  });

  test('roster follows every page, retried', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const { client: c, delays } = client(sim, { pageSize: 3, fetch: replaceFirst(simFetch(sim), SOURCE_PATHS.students, [serverError]) });
    const all = await c.roster();
    expect(new Set(all.map((s) => s.id))).toEqual(new Set(SMALL_LOG.map((e) => e.student)));
    expect(delays).toEqual([500]);
    expect((await c.roster(all[0].id)).map((s) => s.id)).toContain(all[0].id);
  });
});
