import { afterEach, describe, expect, test } from 'bun:test';
import { makeApi, type TestApi } from '../../test/unit.ts';

let api: TestApi;
afterEach(() => api.cleanup());

const meta = (api: TestApi) => api.db.sqlite.query('SELECT version, epoch, reset_requested_at AS resetAt FROM meta').get() as { version: number; epoch: number; resetAt: number | null };
const tracked = (api: TestApi) => (api.db.sqlite.query('SELECT student_id AS id, backfilled_at AS b FROM tracked_student ORDER BY student_id').all() as { id: string; b: number | null }[]);
const TOKEN = 'a-long-enough-secret-token';

describe('POST /api/track and /api/untrack', () => {
  test('tracking adds allowlist rows awaiting backfill, bumps the version once, stamps re-tracked cards', async () => {
    api = makeApi();
    const before = meta(api).version;
    // s-1 is already tracked: reported, not an error.
    const res = await api.post('/api/track', { studentIds: ['s-4', 's-5', 's-1', 's-4'] });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ version: before + 1, tracked: ['s-4', 's-5'], alreadyTracked: ['s-1'] });
    expect(tracked(api).filter((t) => t.id === 's-4' || t.id === 's-5')).toEqual([
      { id: 's-4', b: null },
      { id: 's-5', b: null },
    ]);
    // Untrack keeps the projection; tracking again stamps the card so deltas carry it.
    await api.post('/api/untrack', { studentIds: ['s-1'] });
    const again = (await (await api.post('/api/track', { studentIds: ['s-1'] })).json()) as { version: number };
    expect((api.db.sqlite.query(`SELECT version FROM student_state WHERE student_id = 's-1'`).get() as { version: number }).version).toBe(again.version);
  });

  test('tracking an id the roster does not know is a 404 and writes nothing', async () => {
    api = makeApi();
    const before = meta(api).version;
    const res = await api.post('/api/track', { studentIds: ['s-4', 'nobody'] });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'unknown student (not in the roster): nobody' });
    expect(tracked(api).map((t) => t.id)).toEqual(['s-1', 's-2', 's-3']);
    expect(meta(api).version).toBe(before);
  });

  test('untracking deletes the allowlist row only and bumps the version; nothing to untrack changes nothing', async () => {
    api = makeApi();
    const before = meta(api).version;
    const res = await api.post('/api/untrack', { studentIds: ['s-1', 's-9'] });
    expect(await res.json()).toEqual({ version: before + 1, untracked: ['s-1'], notTracked: ['s-9'] });
    expect(tracked(api).map((t) => t.id)).toEqual(['s-2', 's-3']);
    expect(api.db.sqlite.query(`SELECT COUNT(*) AS n FROM run WHERE student_id = 's-1'`).get()).toEqual({ n: 3 });
    expect(((await (await api.request('/api/students')).json()) as { studentId: string }[]).map((c) => c.studentId)).toEqual(['s-2', 's-3']);
    expect(await (await api.post('/api/untrack', { studentIds: ['s-1'] })).json()).toEqual({ version: before + 1, untracked: [], notTracked: ['s-1'] });
  });

  test('400 naming the path for a bad body', async () => {
    api = makeApi();
    for (const [body, reason] of [
      [{ studentIds: [] }, 'invalid body: studentIds: '],
      [{ studentIds: ['ok', ''] }, 'invalid body: studentIds.1: '],
      [{ ids: ['s-1'] }, 'invalid body: studentIds: '],
      ['[1,2', 'body is not valid JSON'],
    ] as const) {
      const res = await api.post('/api/track', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toStartWith(reason);
    }
  });
});

describe('POST /api/reset', () => {
  test('requires {"confirm":"RESET"}', async () => {
    api = makeApi();
    for (const body of [{}, { confirm: 'reset' }, { confirm: true }]) {
      const res = await api.post('/api/reset', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: string }).error).toContain('confirm');
    }
    expect(meta(api).epoch).toBe(0);
  });

  test('wipes the mirror and the projection, keeps the roster, bumps the epoch, stamps reset_requested_at', async () => {
    api = makeApi();
    api.db.sqlite.run(`INSERT INTO published_event (type, name, received_at, body) VALUES ('note', '', 0, '{"type":"note","text":"x"}')`);
    const before = meta(api);
    const res = await api.post('/api/reset', { confirm: 'RESET' });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ epoch: before.epoch + 1, version: before.version + 1 });
    expect(meta(api)).toEqual({ epoch: before.epoch + 1, version: before.version + 1, resetAt: api.clock.now });
    for (const t of ['tracked_student', 'student_state', 'run', 'published_event']) expect(api.db.sqlite.query(`SELECT COUNT(*) AS n FROM ${t}`).get()).toEqual({ n: 0 });
    expect(api.db.sqlite.query('SELECT COUNT(*) AS n FROM student_directory').get()).toEqual({ n: 10 });
  });
});

describe('who may write', () => {
  test('with a token: 401 without it or with a wrong one, 200 with it; reads stay open', async () => {
    api = makeApi({ env: { LMDASH_API_TOKEN: TOKEN } });
    const none = await api.post('/api/untrack', { studentIds: ['s-1'] });
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toContain('Bearer');
    expect(((await none.json()) as { error: string }).error).toContain('Authorization: Bearer');
    expect((await api.post('/api/untrack', { studentIds: ['s-1'] }, { authorization: `Bearer ${TOKEN}x` })).status).toBe(401);
    expect((await api.post('/api/untrack', { studentIds: ['s-1'] }, { authorization: TOKEN })).status).toBe(401);
    expect((await api.post('/api/reset', { confirm: 'RESET' }, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await api.post('/api/triggers/1/ack', {}, { authorization: 'Bearer nope' })).status).toBe(401);
    expect(tracked(api)).toHaveLength(3);
    expect((await api.post('/api/untrack', { studentIds: ['s-1'] }, { authorization: `Bearer ${TOKEN}` })).status).toBe(200);
    expect((await api.request('/api/students')).status).toBe(200);
  });

  test('without a token on loopback, writes are open', async () => {
    api = makeApi();
    expect((await api.post('/api/untrack', { studentIds: ['s-1'] })).status).toBe(200);
  });

  test('a write from a foreign Origin is refused; the own origin and loopback origins pass', async () => {
    api = makeApi();
    const foreign = await api.post('/api/untrack', { studentIds: ['s-1'] }, { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await api.post('/api/untrack', { studentIds: ['s-1'] }, { origin: 'null' })).status).toBe(403);
    expect(tracked(api)).toHaveLength(3);
    expect((await api.post('/api/untrack', { studentIds: ['s-1'] }, { origin: 'http://localhost' })).status).toBe(200);
    expect((await api.post('/api/untrack', { studentIds: ['s-2'] }, { origin: 'http://127.0.0.1:5173' })).status).toBe(200);
  });

  test('a loopback-bound server refuses a Host that is not a loopback name (DNS rebinding)', async () => {
    api = makeApi();
    const res = await api.app.request('http://attacker.example:8447/api/students');
    expect(res.status).toBe(403);
    expect((await api.app.request('http://127.0.0.1:8447/api/students')).status).toBe(200);
    expect((await api.app.request('http://[::1]:8447/api/students')).status).toBe(200);
  });
});

describe('limits', () => {
  test('a write body over 1 MiB is a 413', async () => {
    api = makeApi();
    const res = await api.post('/api/track', { studentIds: ['s-1'], pad: 'x'.repeat(1024 * 1024) });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toStartWith('body too large');
  });
});
