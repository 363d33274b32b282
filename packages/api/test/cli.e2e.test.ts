/**
 * `bun run lmdash api` as a researcher runs it: the one line it prints, clean stops, usage
 * errors, the refusal to bind beyond loopback without a token, the token rules when it does
 * (reads need a login or the token too), `--hash-password` and a bad users file, and published
 * events that survive a restart of the process.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { PublishedEvent, SnapshotEvent } from '@lmdash/core/wire';
import { seedClass, tempDb, type TempDb } from './daemonWrites.ts';
import { REPO_ROOT, SseClient, json, spawnApi, until } from './helpers.ts';

const TOKEN = 'e2e-token-0123456789abcdef';
const { LMDASH_API_TOKEN: _t, LMDASH_API_HOST: _h, LMDASH_API_PORT: _p, LMDASH_API_USERS_FILE: _f, LMDASH_SESSION_SECRET: _s, ...cleanEnv } = process.env;

let db: TempDb;
beforeAll(() => {
  db = tempDb();
  seedClass(db.sqlite);
});
afterAll(() => db?.cleanup());

const lmdash = (args: string[], env: Record<string, string> = {}, stdin?: string) => {
  const r = Bun.spawnSync(['bun', 'scripts/lmdash.ts', ...args], { cwd: REPO_ROOT, env: { ...cleanEnv, ...env }, ...(stdin !== undefined ? { stdin: new TextEncoder().encode(stdin) } : {}) });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
};

describe('lmdash api', () => {
  test('prints exactly "listening on http://HOST:PORT", serves, and stops cleanly on SIGTERM and SIGINT', async () => {
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      const api = await spawnApi(['--db', db.path, '--port', '0'], cleanEnv as Record<string, string>);
      expect(api.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(api.out[0]).toBe(`listening on ${api.url}`);
      expect((await fetch(`${api.url}/api/health`)).status).toBe(200);
      const stream = new SseClient(`${api.url}/api/stream`);
      await stream.next((f) => f.event === 'snapshot');
      // An open stream must not hold the process up.
      expect(await api.stop(signal)).toBe(0);
      expect(api.out).toContain('lmdash api: stopped');
      stream.close();
    }
  }, 120_000);

  test('--help, and usage errors exit 2 with a reason', () => {
    const help = lmdash(['api', '--help']);
    expect(help.code).toBe(0);
    expect(help.out).toContain('usage: bun run lmdash api');
    for (const [args, reason] of [
      [['api', '--port', 'eighty'], '--port must be a number'],
      [['api', '--bogus'], "Unknown option '--bogus'"],
      [['api', '--port', '70000'], 'LMDASH_API_PORT'],
    ] as const) {
      const r = lmdash([...args]);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.err).toContain(reason);
    }
  }, 60_000);

  test('beyond loopback without LMDASH_API_TOKEN: refuses to start, saying why', () => {
    const r = lmdash(['api', '--db', db.path, '--host', '0.0.0.0', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('LMDASH_API_TOKEN');
    expect(r.out).not.toContain('listening');
  }, 60_000);

  test('bound to 0.0.0.0 with a token: every write needs it (401 without or wrong), and so does every read (or a login)', async () => {
    const api = await spawnApi(['--db', db.path, '--host', '0.0.0.0', '--port', '0'], { ...(cleanEnv as Record<string, string>), LMDASH_API_TOKEN: TOKEN });
    try {
      expect(api.url).toMatch(/^http:\/\/0\.0\.0\.0:\d+$/);
      const base = api.url.replace('0.0.0.0', '127.0.0.1');
      const post = (path: string, body: unknown, auth?: string) =>
        fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: auth } : {}) }, body: JSON.stringify(body) });
      for (const [path, body] of [
        ['/api/track', { studentIds: ['s-4'] }],
        ['/api/untrack', { studentIds: ['s-1'] }],
        ['/api/triggers/1/ack', {}],
        ['/api/reset', { confirm: 'RESET' }],
      ] as const) {
        expect({ path, status: (await post(path, body)).status }).toEqual({ path, status: 401 });
        expect({ path, status: (await post(path, body, `Bearer ${TOKEN.slice(0, -1)}X`)).status }).toEqual({ path, status: 401 });
      }
      expect((await fetch(`${base}/api/students`)).status).toBe(401);
      expect((await fetch(`${base}/api/students`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
      expect((await fetch(`${base}/api/health`)).status).toBe(200);
      const ok = await post('/api/track', { studentIds: ['s-4'] }, `Bearer ${TOKEN}`);
      expect(ok.status).toBe(200);
      expect(((await ok.json()) as { tracked: string[] }).tracked).toEqual(['s-4']);
      // Still loopback-only, token or not.
      expect((await fetch(`${base}/publish`, { method: 'POST', body: '{"type":"x"}' })).status).toBe(200);
    } finally {
      expect(await api.stop()).toBe(0);
    }
  }, 60_000);

  test('--hash-password USER prints a users-file line for the password on stdin; a bad users file stops the start', async () => {
    const r = lmdash(['api', '--hash-password', 'alice'], {}, 'correct horse\n');
    expect(r.code).toBe(0);
    const [user, hash] = [r.out.trim().slice(0, 5), r.out.trim().slice(6)];
    expect(user).toBe('alice');
    expect(hash).toStartWith('$argon2id$');
    expect(await Bun.password.verify('correct horse', hash)).toBe(true);
    expect(r.out).not.toContain('correct horse');
    expect(lmdash(['api', '--hash-password', 'bad name'], {}, 'x\n').code).toBe(2);
    expect(lmdash(['api', '--hash-password', 'alice'], {}, '').code).toBe(2);

    const file = `${db.dir}/users-plain`;
    await Bun.write(file, 'alice:hunter2\n');
    const bad = lmdash(['api', '--db', db.path, '--host', '0.0.0.0', '--port', '0'], { LMDASH_API_TOKEN: TOKEN, LMDASH_API_USERS_FILE: file });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('line 1: the password of alice is not an argon2 or bcrypt hash');
    expect(bad.err).not.toContain('hunter2');
    expect(bad.out).not.toContain('listening');
  }, 60_000);

  test('published events survive a restart: a new process replays them in its snapshot', async () => {
    const own = tempDb();
    own.close();
    const first = await spawnApi(['--db', own.path, '--port', '0'], cleanEnv as Record<string, string>);
    try {
      for (const event of [
        { type: 'metric', name: 'accuracy', value: 0.83 },
        { type: 'series', name: 'loss', t: 1, value: 0.9 },
        { type: 'series', name: 'loss', t: 2, value: 0.7 },
        { type: 'note', text: 'model v2 deployed', level: 'info' },
      ]) {
        expect((await fetch(`${first.url}/publish`, { method: 'POST', body: JSON.stringify(event) })).status).toBe(200);
      }
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const second = await spawnApi(['--db', own.path, '--port', '0'], cleanEnv as Record<string, string>);
    try {
      const stream = new SseClient(`${second.url}/api/stream`);
      const snap = SnapshotEvent.parse(json(await stream.next((f) => f.event === 'snapshot')));
      expect(snap.publishedSeqs).toHaveLength(4);
      // The stored events follow the snapshot as publish frames.
      await until(() => stream.events('publish').length >= 4, 15_000, 'the four stored events');
      const replayed = stream.events('publish').map((f) => PublishedEvent.parse(json(f)));
      expect(replayed.map((p) => p.seq)).toEqual(snap.publishedSeqs);
      expect(replayed.map((p) => p.event)).toEqual([
        { type: 'metric', name: 'accuracy', value: 0.83 },
        { type: 'series', name: 'loss', t: 1, value: 0.9 },
        { type: 'series', name: 'loss', t: 2, value: 0.7 },
        { type: 'note', text: 'model v2 deployed', level: 'info' },
      ]);
      stream.close();
    } finally {
      expect(await second.stop()).toBe(0);
      own.cleanup();
    }
  }, 120_000);
});
