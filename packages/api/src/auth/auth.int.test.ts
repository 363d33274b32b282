/**
 * Reads behind a login beyond loopback, through `app.request()` with a faked socket peer: the
 * app is built with LMDASH_API_HOST=0.0.0.0 (so a login is required) and a clock the test moves.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import { loadConfig, openDatabase, type OpenedDatabase } from '@lmdash/core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyWrite, seedClass } from '../../test/daemonWrites.ts';
import { FrameReader, makeApi, T0, type TestApi } from '../../test/unit.ts';
import { createApiApp, type ApiApp } from '../app.ts';
import { LOGIN_MAX_FAILURES } from './rateLimit.ts';

const TOKEN = 'a-long-enough-secret-token';
const PEER = '10.0.0.7';
const H = 3_600_000;
const BEYOND = { LMDASH_API_HOST: '0.0.0.0', LMDASH_API_TOKEN: TOKEN };

let dir = '';
let usersFile = '';
let usersFileWithoutAlice = '';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lmdash-auth-'));
  const cheap = (pw: string) => Bun.password.hash(pw, { algorithm: 'argon2id', memoryCost: 1024, timeCost: 1 });
  usersFile = join(dir, 'users');
  const bob = `bob:${await cheap('battery staple')}`;
  writeFileSync(usersFile, `# test users\nalice:${await cheap('correct horse')}\n${bob}\n`);
  usersFileWithoutAlice = join(dir, 'users-without-alice');
  writeFileSync(usersFileWithoutAlice, `${bob}\n`);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Beyond = {
  api: ApiApp;
  db: OpenedDatabase;
  clock: { now: number };
  logs: string[];
  request: (path: string, init?: RequestInit, peer?: string | null) => Promise<Response>;
  login: (body: unknown, peer?: string | null, headers?: Record<string, string>) => Promise<Response>;
  cleanup: () => void;
};
const open: Beyond[] = [];
afterEach(() => {
  for (const a of open.splice(0)) a.cleanup();
});

/** The API bound beyond loopback over its own seeded in-memory database; `clock` may be shared by two instances. */
function beyond(env: Record<string, string> = {}, clock = { now: T0 + 600_000 }): Beyond {
  const db = openDatabase(':memory:');
  seedClass(db.sqlite, T0);
  const logs: string[] = [];
  const api = createApiApp({ db, config: loadConfig({ env: { ...BEYOND, LMDASH_API_USERS_FILE: usersFile, ...env } }), now: () => clock.now, webRoot: null, log: (l) => logs.push(l), pollMs: 10 });
  const request = (path: string, init: RequestInit = {}, peer: string | null = PEER) =>
    Promise.resolve(api.app.request(path, init, peer === null ? undefined : { requestIP: () => ({ address: peer, family: peer.includes(':') ? 'IPv6' : 'IPv4', port: 40000 }) }));
  const login = (body: unknown, peer: string | null = PEER, headers: Record<string, string> = {}) => request('/api/login', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }, peer);
  const a: Beyond = { api, db, clock, logs, request, login, cleanup: () => (api.close(), db.close()) };
  open.push(a);
  return a;
}

/** The cookies a response sets, as a Cookie header, and the CSRF token among them. */
function jar(res: Response): { cookie: string; csrf: string; session: string } {
  const pairs = res.headers.getSetCookie().map((c) => c.split(';')[0]!);
  const get = (name: string) => pairs.find((p) => p.startsWith(`${name}=`))?.slice(name.length + 1) ?? '';
  return { cookie: pairs.join('; '), csrf: get('lmdash_csrf'), session: get('lmdash_session') };
}

async function signedIn(a: Beyond, body: unknown = { token: TOKEN }) {
  const res = await a.login(body);
  expect(res.status).toBe(200);
  return jar(res);
}

const error = async (res: Response) => ((await res.json()) as { error: string }).error;
const WRITES = [
  ['/api/track', { studentIds: ['s-4'] }],
  ['/api/untrack', { studentIds: ['s-2'] }],
  ['/api/triggers/1/ack', { note: 'seen' }], // the first alert: made in the test that posts them
  ['/api/reset', { confirm: 'RESET' }],
  ['/api/logout', {}],
] as const;
const post = (a: Beyond, path: string, body: unknown, headers: Record<string, string>) => a.request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

describe('on loopback nothing changes', () => {
  let api: TestApi;
  afterEach(() => api.cleanup());
  test('reads open, no login route, /api/session says none is needed', async () => {
    api = makeApi();
    expect((await api.request('/api/students')).status).toBe(200);
    expect((await api.request('/metrics')).status).toBe(200);
    expect((await api.post('/api/login', { token: TOKEN })).status).toBe(404);
    expect(await (await api.request('/api/session')).json()).toEqual({ loginRequired: false, user: null, kind: null, expiresAt: null });
  });
  test('with a token on loopback: writes still take the bearer only, as before', async () => {
    api = makeApi({ env: { LMDASH_API_TOKEN: TOKEN } });
    expect((await api.post('/api/track', { studentIds: ['s-4'] })).status).toBe(401);
    expect((await api.post('/api/track', { studentIds: ['s-4'] }, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
  });
});

describe('beyond loopback: what is public', () => {
  test('every route of the app but health, the login and /publish: 401 without a session, saying how to sign in', async () => {
    const a = beyond();
    const seen: string[] = [];
    for (const r of a.api.app.routes) {
      if (r.method === 'ALL') continue;
      const path = r.path.replace(':id', 's-1').replace(':file', 'config.md');
      if (['/api/health', '/api/login', '/api/session', '/publish', '/api/publish'].includes(path)) continue;
      const res = await a.request(path, { method: r.method, headers: { 'content-type': 'application/json' }, ...(r.method === 'GET' ? {} : { body: '{}' }) });
      expect({ route: `${r.method} ${path}`, status: res.status }).toEqual({ route: `${r.method} ${path}`, status: 401 });
      expect(res.headers.get('www-authenticate')).toBe('Bearer realm="lmdash"');
      expect(await error(res)).toContain('sign in first');
      seen.push(`${r.method} ${path}`);
    }
    expect(seen).toEqual(expect.arrayContaining(['GET /api/students', 'GET /api/students/s-1', 'GET /api/triggers', 'GET /api/roster', 'GET /api/stream', 'GET /api/schema', 'GET /metrics', 'GET /docs/config.md', 'POST /api/track', 'POST /api/reset', 'POST /api/logout']));
    // HEAD, unknown API paths, and paths spelled with percent escapes the router decodes.
    for (const path of ['/api/students', '/api/nothing-here', '/api', '/%61pi/students', '/%6detrics', '/api/%73tream']) {
      for (const method of ['GET', 'HEAD']) expect({ method, path, status: (await a.request(path, { method })).status }).toEqual({ method, path, status: 401 });
    }
    expect(a.db.sqlite.query('SELECT COUNT(*) AS n FROM tracked_student').get()).toEqual({ n: 3 });
  });

  test('health, /api/session and the dashboard page (the login form) are public', async () => {
    const a = beyond();
    expect((await a.request('/api/health')).status).toBe(200);
    expect(await (await a.request('/api/session')).json()).toEqual({ loginRequired: true, user: null, kind: null, expiresAt: null });
    const page = await a.request('/');
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('LM Dashboard');
  });

  test('/publish stays loopback-only and needs no session', async () => {
    const a = beyond();
    expect((await a.request('/publish', { method: 'POST', body: '{"type":"x"}' }, '127.0.0.1')).status).toBe(200);
    expect((await a.request('/publish', { method: 'POST', body: '{"type":"x"}' })).status).toBe(403);
  });
});

describe('beyond loopback: logging in', () => {
  test('with the token: cookies HttpOnly (session) and readable (CSRF), SameSite=Strict, Path=/, Max-Age of the session; reads allowed', async () => {
    const a = beyond();
    const res = await a.login({ token: TOKEN });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = (await res.json()) as { user: string; kind: string; expiresAt: number; csrfToken: string };
    expect(body).toEqual({ user: 'token', kind: 'token', expiresAt: a.clock.now + 12 * H, csrfToken: expect.any(String) });
    const [session, csrf] = res.headers.getSetCookie();
    expect(session).toMatch(/^lmdash_session=v1\.[^;]+; Max-Age=43200; Path=\/; HttpOnly; SameSite=Strict$/);
    expect(csrf).toBe(`lmdash_csrf=${body.csrfToken}; Max-Age=43200; Path=/; SameSite=Strict`);
    const { cookie } = jar(res);
    const cards = await a.request('/api/students', { headers: { cookie } });
    expect(cards.status).toBe(200);
    expect(((await cards.json()) as unknown[]).length).toBe(3);
    for (const path of ['/api/students/s-1', '/api/triggers', '/api/roster?q=a', '/api/schema', '/metrics']) expect({ path, status: (await a.request(path, { headers: { cookie } })).status }).toEqual({ path, status: 200 });
    expect(await (await a.request('/api/session', { headers: { cookie } })).json()).toEqual({ loginRequired: true, user: 'token', kind: 'token', expiresAt: a.clock.now + 12 * H });
  });

  test('the stream opens with the session cookie and starts with a snapshot', async () => {
    const a = beyond();
    const { cookie } = await signedIn(a);
    const res = await a.request('/api/stream', { headers: { cookie } });
    expect(res.status).toBe(200);
    const frames = new FrameReader(res);
    const snap = await frames.until((f) => f.event === 'snapshot');
    expect(JSON.parse(snap.data!).students.length).toBe(3);
    await frames.cancel();
  });

  test('with a user of the users file; wrong or unknown: 401 that echoes nothing', async () => {
    const a = beyond();
    const { cookie } = await signedIn(a, { user: 'alice', password: 'correct horse' });
    expect(await (await a.request('/api/session', { headers: { cookie } })).json()).toMatchObject({ user: 'alice', kind: 'user' });
    expect((await a.request('/api/students', { headers: { cookie } })).status).toBe(200);
    for (const [body, reason] of [
      [{ user: 'alice', password: 'wrong horse' }, 'wrong user or password'],
      [{ user: 'mallory', password: 'correct horse' }, 'wrong user or password'],
      [{ token: 'not-the-token-at-all' }, 'wrong token'],
    ] as const) {
      const res = await a.login(body);
      expect(res.status).toBe(401);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ error: reason });
      expect(res.headers.getSetCookie()).toEqual([]);
    }
    for (const body of [{}, { token: '' }, { user: 'alice' }, { token: TOKEN, extra: 1 }, 'not json']) {
      const res = await a.login(body);
      expect(res.status).toBe(400);
      expect(await error(res)).not.toContain(TOKEN);
    }
    // Nothing secret in the log: who signed in, from where; never a password or the token.
    expect(a.logs.some((l) => l.includes('user alice from 10.0.0.7'))).toBe(true);
    for (const l of a.logs) for (const secret of [TOKEN, 'correct horse', 'wrong horse', 'not-the-token-at-all']) expect(l).not.toContain(secret);
  });

  test('a login from another site is refused (Origin)', async () => {
    const a = beyond();
    expect((await a.login({ token: TOKEN }, PEER, { origin: 'https://evil.example' })).status).toBe(403);
  });

  test(`rate limit: ${LOGIN_MAX_FAILURES} failures a minute from one address, then 429 with Retry-After, even for the right token`, async () => {
    const a = beyond();
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) expect((await a.login({ user: 'alice', password: `guess ${i}` })).status).toBe(401);
    const limited = await a.login({ token: TOKEN });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('60');
    expect(await error(limited)).toBe('too many failed logins from this address: try again in 60 s');
    // Wrong bearer tokens count too, and are refused the same way once the address is limited.
    expect((await a.request('/api/students', { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(429);
    // Another address is not concerned.
    expect((await a.login({ token: TOKEN }, '10.0.0.8')).status).toBe(200);
    a.clock.now += 60_000;
    expect((await a.login({ token: TOKEN })).status).toBe(200);
  });

  test('wrong bearer tokens count as failed logins', async () => {
    const a = beyond();
    for (let i = 0; i < LOGIN_MAX_FAILURES; i++) expect((await a.request('/api/students', { headers: { authorization: `Bearer wrong-token-${i}-xxxxxxxx` } })).status).toBe(401);
    expect((await a.login({ token: TOKEN })).status).toBe(429);
  });

  test('Secure when configured, when the request came over https, or when a TLS proxy says so', async () => {
    const secure = async (a: Beyond, url = '/api/login', headers: Record<string, string> = {}) =>
      (await a.request(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ token: TOKEN }) })).headers.getSetCookie().every((c) => /; Secure(;|$)/.test(c));
    const auto = beyond();
    expect(await secure(auto)).toBe(false);
    expect(await secure(auto, 'https://dash.example/api/login')).toBe(true);
    expect(await secure(auto, '/api/login', { 'x-forwarded-proto': 'https' })).toBe(true);
    expect(await secure(beyond({ LMDASH_SESSION_COOKIE_SECURE: 'always' }))).toBe(true);
    expect(await secure(beyond({ LMDASH_SESSION_COOKIE_SECURE: 'never' }), 'https://dash.example/api/login')).toBe(false);
  });
});

describe('beyond loopback: which sessions hold', () => {
  test('a session minted by one process is accepted by another with the same config (a load balancer)', async () => {
    const clock = { now: T0 + 600_000 };
    const one = beyond({}, clock);
    const two = beyond({}, clock);
    const { cookie, csrf } = await signedIn(one, { user: 'bob', password: 'battery staple' });
    expect((await two.request('/api/students', { headers: { cookie } })).status).toBe(200);
    expect((await post(two, '/api/track', { studentIds: ['s-4'] }, { cookie, 'x-csrf-token': csrf })).status).toBe(200);
    // Also with an explicit session secret, whatever the tokens.
    const s1 = beyond({ LMDASH_SESSION_SECRET: 's'.repeat(40) }, clock);
    const s2 = beyond({ LMDASH_SESSION_SECRET: 's'.repeat(40), LMDASH_API_TOKEN: 'another-long-secret-token' }, clock);
    const user = await signedIn(s1, { user: 'bob', password: 'battery staple' });
    expect((await s2.request('/api/students', { headers: { cookie: user.cookie } })).status).toBe(200);
    // ...but a token login ends with the token it was made from.
    const tok = await signedIn(s1);
    const refused = await s2.request('/api/students', { headers: { cookie: tok.cookie } });
    expect(refused.status).toBe(401);
    expect(await error(refused)).toBe('session refused (the token changed): sign in again');
  });

  test('a cookie signed with another secret is refused, and cleared', async () => {
    const clock = { now: T0 + 600_000 };
    const mine = beyond({}, clock);
    const theirs = beyond({ LMDASH_SESSION_SECRET: 'another-secret-of-32-characters-or-more' }, clock);
    const { cookie } = await signedIn(theirs);
    const res = await mine.request('/api/students', { headers: { cookie } });
    expect(res.status).toBe(401);
    expect(await error(res)).toBe('session refused (bad signature): sign in again');
    expect(res.headers.getSetCookie()).toEqual(['lmdash_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict', 'lmdash_csrf=; Max-Age=0; Path=/; SameSite=Strict']);
    // A rotated token (no session secret) ends every session too.
    const rotated = beyond({ LMDASH_API_TOKEN: 'the-new-token-0123456789' }, clock);
    expect(await error(await rotated.request('/api/students', { headers: { cookie: (await signedIn(mine)).cookie } }))).toBe('session refused (bad signature): sign in again');
  });

  test('expired: refused after LMDASH_SESSION_HOURS, and sooner once fewer hours are configured', async () => {
    const clock = { now: T0 + 600_000 };
    const a = beyond({}, clock);
    const { cookie } = await signedIn(a);
    clock.now += 12 * H - 1;
    expect((await a.request('/api/students', { headers: { cookie } })).status).toBe(200);
    clock.now += 1;
    const res = await a.request('/api/students', { headers: { cookie } });
    expect(res.status).toBe(401);
    expect(await error(res)).toBe('session refused (expired): sign in again');
    const b = beyond({}, clock);
    const fresh = await signedIn(b);
    clock.now += 2 * H;
    expect((await beyond({ LMDASH_SESSION_HOURS: '1' }, clock).request('/api/students', { headers: { cookie: fresh.cookie } })).status).toBe(401);
  });

  test('a user removed from the users file (or whose password changed) is signed out', async () => {
    const clock = { now: T0 + 600_000 };
    const a = beyond({}, clock);
    const alice = await signedIn(a, { user: 'alice', password: 'correct horse' });
    const bob = await signedIn(a, { user: 'bob', password: 'battery staple' });
    const b = beyond({ LMDASH_API_USERS_FILE: usersFileWithoutAlice }, clock);
    expect(await error(await b.request('/api/students', { headers: { cookie: alice.cookie } }))).toBe('session refused (that user was removed or changed password): sign in again');
    expect((await b.request('/api/students', { headers: { cookie: bob.cookie } })).status).toBe(200);
  });

  test('a stream opened with a session ends when the session does; one opened with the bearer token does not', async () => {
    const clock = { now: T0 + 600_000 };
    const a = beyond({ LMDASH_SESSION_HOURS: '0.0002' }, clock); // 720 ms
    const { cookie } = await signedIn(a);
    const withSession = new FrameReader(await a.request('/api/stream', { headers: { cookie } }));
    const withBearer = new FrameReader(await a.request('/api/stream', { headers: { authorization: `Bearer ${TOKEN}` } }));
    await withSession.until((f) => f.event === 'snapshot');
    await withBearer.until((f) => f.event === 'snapshot');
    clock.now += 720;
    await expect(withSession.until(() => false, 5000)).rejects.toThrow('stream ended');
    await Bun.sleep(50);
    expect(a.api.deps.hub.size).toBe(1); // the expired one left the hub; the bearer's stays
    await withBearer.cancel();
  });
});

describe('beyond loopback: writes', () => {
  test('every write made with the session cookie needs its CSRF token: missing or wrong 403, right 200', async () => {
    const a = beyond();
    const alert = applyWrite(a.db.sqlite, { op: 'trigger', studentId: 's-1', kind: 'wheelspin', at: T0 }).id!;
    expect(alert).toBe(1);
    const { cookie, csrf } = await signedIn(a);
    const other = await signedIn(a); // another session's token does not fit this one
    for (const [path, body] of WRITES) {
      const missing = await post(a, path, body, { cookie });
      expect({ path, status: missing.status }).toEqual({ path, status: 403 });
      expect(await error(missing)).toBe('missing X-CSRF-Token header: a write made with the session cookie must echo the lmdash_csrf cookie in it');
      for (const wrong of [other.csrf, `${csrf}x`, 'x']) {
        const res = await post(a, path, body, { cookie, 'x-csrf-token': wrong });
        expect({ path, wrong, status: res.status }).toEqual({ path, wrong, status: 403 });
        expect(await error(res)).toStartWith('wrong X-CSRF-Token for this session');
      }
    }
    expect(a.db.sqlite.query('SELECT COUNT(*) AS n FROM tracked_student').get()).toEqual({ n: 3 });
    expect(a.db.sqlite.query(`SELECT status FROM trigger_event WHERE id = ${alert}`).get()).toEqual({ status: 'open' });
    // With it: each goes through (the logout last).
    for (const [path, body] of WRITES) {
      const res = await post(a, path, body, { cookie, 'x-csrf-token': csrf });
      expect({ path, status: res.status }).toEqual({ path, status: 200 });
    }
    expect(a.db.sqlite.query('SELECT student_id AS id FROM tracked_student').all()).toEqual([]); // reset went through
  });

  test('the same-origin check still applies to a write with the right CSRF token', async () => {
    const a = beyond();
    const { cookie, csrf } = await signedIn(a);
    const res = await post(a, '/api/track', { studentIds: ['s-4'] }, { cookie, 'x-csrf-token': csrf, origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(await error(res)).toContain('cross-origin write refused');
  });

  test('scripts with the bearer token: reads and writes as before, no cookie, no CSRF token', async () => {
    const a = beyond();
    const auth = { authorization: `Bearer ${TOKEN}` };
    expect((await a.request('/api/students', { headers: auth })).status).toBe(200);
    expect((await a.request('/metrics', { headers: auth })).status).toBe(200);
    const res = await post(a, '/api/track', { studentIds: ['s-4'] }, auth);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { tracked: string[] }).tracked).toEqual(['s-4']);
    expect((await post(a, '/api/track', { studentIds: ['s-5'] }, { authorization: 'Bearer wrong-token-0123456789' })).status).toBe(401);
    expect((await a.request('/api/students', { headers: { authorization: 'Bearer' } })).status).toBe(401);
  });

  test('logout clears both cookies; a copy of the old cookie stays valid until it expires (stateless sessions)', async () => {
    const a = beyond();
    const { cookie, csrf } = await signedIn(a);
    const res = await post(a, '/api/logout', {}, { cookie, 'x-csrf-token': csrf });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ loggedOut: true });
    expect(res.headers.getSetCookie()).toEqual(['lmdash_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict', 'lmdash_csrf=; Max-Age=0; Path=/; SameSite=Strict']);
    // The browser drops it; a copy kept elsewhere is the documented limit.
    expect((await a.request('/api/students', { headers: { cookie } })).status).toBe(200);
  });
});
