import { SOURCE_PATHS } from '@lmdash/core';
import { createSimApp, faultMix } from '@lmdash/fixtures';
import type { Sim } from '@lmdash/fixtures';
import { describe, expect, test } from 'bun:test';
import { SourceClient } from './client.ts';
import type { FetchLike, SourceClientOptions } from './client.ts';
import { SourceError } from './errors.ts';
import { SIM_URL, SMALL_LOG, collect, fakeSleep, idsOf, json, replaceFirst, simFetch, tally } from '../../test/sourceHelpers.ts';

function client(sim: Sim, options: Partial<SourceClientOptions> = {}): { client: SourceClient; lines: string[]; delays: number[] } {
  const lines: string[] = [];
  const { sleep, delays } = fakeSleep();
  const c = new SourceClient({ baseUrl: SIM_URL, user: 'demo', password: 'demo', pageSize: 20, fetch: simFetch(sim), sleep, log: (l) => lines.push(l), ...options });
  return { client: c, lines, delays };
}

async function simToken(sim: Sim): Promise<string> {
  const res = await sim.app.request(`${SIM_URL}${SOURCE_PATHS.token}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'demo', password: 'demo' }) });
  return ((await res.json()) as { token: string }).token;
}

describe('session', () => {
  test('one login serves many requests, with the same token each time', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const seen = new Set<string>();
    const inner = simFetch(sim);
    const { client: c } = client(sim, {
      fetch: (url, init) => {
        const auth = new Headers(init.headers).get('authorization');
        if (auth) seen.add(auth);
        return inner(url, init);
      },
    });
    const pages = await collect(c.eventsSince(new Date(0)));
    const roster = await c.roster();
    expect(pages.length).toBe(Math.ceil(SMALL_LOG.length / 20));
    expect(tally(pages).ids).toEqual(idsOf(SMALL_LOG));
    expect(roster.length).toBeGreaterThan(0);
    expect(sim.log.totals.logins).toBe(1);
    expect(seen.size).toBe(1);
    expect(c.health.status).toBe('healthy');
  });

  test('an expired token: one new login, and the request succeeds', async () => {
    let now = Date.parse('2026-11-22T10:00:00.000Z');
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true, now: () => now, tokenTtlS: 60 });
    const { client: c, delays } = client(sim);
    expect((await c.eventsPage({ dateFrom: new Date(0) })).results).toHaveLength(20);
    now += 61_000;
    expect((await c.eventsPage({ dateFrom: new Date(0), page: 2 })).results).toHaveLength(20);
    expect(sim.log.totals.logins).toBe(2);
    expect(sim.log.totals.unauthorized).toBe(1);
    expect(delays).toEqual([]); // a re-login is not a failure
    expect(c.health.consecutiveFailures).toBe(0);
  });

  test('a second 401 in a row is an auth failure (after exactly one re-login)', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const unauthorized = () => json({ detail: 'Invalid token.' }, 401);
    const { client: c } = client(sim, { fetch: replaceFirst(simFetch(sim), SOURCE_PATHS.events, [unauthorized, unauthorized]) });
    const error = await c.eventsPage({ dateFrom: new Date(0) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('auth');
    expect(sim.log.totals.logins).toBe(2);
    expect(c.health.consecutiveFailures).toBe(1);
  });

  test('a fixed token (LMDASH_SOURCE_TOKEN) skips the login', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const token = await simToken(sim);
    const { client: c } = client(sim, { token, password: 'not-the-password' });
    await c.login();
    expect((await c.eventsPage({ dateFrom: new Date(0) })).count).toBe(SMALL_LOG.length);
    expect(sim.log.totals.logins).toBe(1); // the test's own
  });

  test('a wrong fixed token fails as auth, without trying to log in', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const { client: c } = client(sim, { token: 'f'.repeat(40) });
    const error = (await c.eventsPage({ dateFrom: new Date(0) }).catch((e: unknown) => e)) as SourceError;
    expect(error.kind).toBe('auth');
    expect(sim.log.totals.logins).toBe(0);
    expect(sim.log.totals.badRequests).toBe(0);
  });

  test('concurrent requests share one login', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const { client: c } = client(sim);
    await Promise.all([1, 2, 3, 4].map((page) => c.eventsPage({ dateFrom: new Date(0), page })));
    expect(sim.log.totals.logins).toBe(1);
  });

  test('a base URL path prefix is kept; next links are taken onto the base origin', async () => {
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true });
    const inner = simFetch(sim);
    const asked: string[] = [];
    const prefixed: FetchLike = (url, init) => {
      asked.push(url);
      const u = new URL(url);
      return inner(`${SIM_URL}${u.pathname.replace(/^\/prefix/, '')}${u.search}`, init).then(async (res) => {
        if (!u.pathname.startsWith(`/prefix${SOURCE_PATHS.events}`)) return res;
        // Links as a Django behind a proxy writes them: another host, the prefix kept.
        const body = (await res.json()) as { next: string | null };
        if (body.next) body.next = body.next.replace(SIM_URL, 'http://internal:8000/prefix');
        return json(body);
      });
    };
    const { client: c } = client(sim, { baseUrl: 'https://source.example/prefix/', fetch: prefixed });
    const pages = await collect(c.eventsSince(new Date(0)));
    expect(tally(pages).ids.size).toBe(SMALL_LOG.length);
    expect(asked.every((u) => u.startsWith('https://source.example/prefix/api/'))).toBe(true);
  });

  test('the password and the token never appear in a log line or an error message', async () => {
    const password = 'pw-Sup3r-s3cret!';
    let now = Date.parse('2026-11-22T10:00:00.000Z');
    const sim = createSimApp({ events: SMALL_LOG, allVisible: true, now: () => now, tokenTtlS: 30, credentials: { username: 'teacher', password }, seed: 9, faults: { ...faultMix(0.4), slowMs: 0, timeoutMs: 1 } });
    const tokens: string[] = [];
    const inner = simFetch(sim);
    const recording: FetchLike = async (url, init) => {
      const res = await inner(url, init);
      if (url.endsWith(SOURCE_PATHS.token) && res.status === 200) {
        const text = await res.text();
        tokens.push((JSON.parse(text) as { token: string }).token);
        return new Response(text, { status: 200, headers: res.headers });
      }
      now += 20_000; // tokens expire every other request: many re-logins
      return res;
    };
    const { client: c, lines } = client(sim, { user: 'teacher', password, fetch: recording });
    const pages = await collect(c.eventsSince(new Date(0)));
    expect(tally(pages).ids.size).toBe(SMALL_LOG.length);
    const wrong = client(sim, { user: 'teacher', password: `${password}-wrong` });
    const checked = await wrong.client.check();
    const errors = [JSON.stringify(checked), ...wrong.lines, ...lines];
    expect(tokens.length).toBeGreaterThan(3);
    expect(lines.some((l) => /retry in/.test(l))).toBe(true);
    for (const text of errors) {
      expect(text).not.toContain(password);
      for (const t of tokens) expect(text).not.toContain(t);
    }
  });
});
