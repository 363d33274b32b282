/**
 * `/publish` refuses a peer that is really not on loopback — not a header, a socket: a network
 * namespace joined to this one by a veth pair, with 10.x addresses, and curl run inside it
 * against the API bound to 0.0.0.0 (with a token, as it must be). The same namespace shows the
 * token rules from a real remote peer, and the login every read needs from there: refused without
 * a session, a login, reads and the event stream with its cookie. Needs root and `ip netns`;
 * skipped loudly otherwise.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { seedClass, tempDb, type TempDb } from './daemonWrites.ts';
import { spawnApi, type ApiProcess } from './helpers.ts';

const TOKEN = 'netns-token-0123456789abcdef';
const tag = `lmd${process.pid % 100000}`;
const ns = `${tag}ns`;
const hostIf = `${tag}h`;
const nsIf = `${tag}n`;
const subnet = `10.${200 + (process.pid % 50)}.${process.pid % 250}`;
const hostIp = `${subnet}.1`;
const nsIp = `${subnet}.2`;

const sh = (cmd: string[]) => {
  const r = Bun.spawnSync(cmd, { stdout: 'pipe', stderr: 'pipe' });
  return { ok: r.exitCode === 0, out: r.stdout.toString(), err: r.stderr.toString().trim() };
};

function setUpNamespace(): string | null {
  if (process.getuid?.() !== 0) return 'not running as root';
  if (!Bun.which('ip')) return 'the ip command (iproute2) is missing';
  if (!Bun.which('curl')) return 'curl is missing';
  const steps = [
    ['ip', 'netns', 'add', ns],
    ['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf],
    ['ip', 'link', 'set', nsIf, 'netns', ns],
    ['ip', 'addr', 'add', `${hostIp}/24`, 'dev', hostIf],
    ['ip', 'link', 'set', hostIf, 'up'],
    ['ip', 'netns', 'exec', ns, 'ip', 'addr', 'add', `${nsIp}/24`, 'dev', nsIf],
    ['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up'],
    ['ip', 'netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up'],
  ];
  for (const step of steps) {
    const r = sh(step);
    if (!r.ok) return `\`${step.join(' ')}\` failed: ${r.err}`;
  }
  return null;
}

function tearDownNamespace(): void {
  sh(['ip', 'link', 'del', hostIf]);
  sh(['ip', 'netns', 'del', ns]);
}

const skipReason = setUpNamespace();
if (skipReason) {
  tearDownNamespace();
  console.warn(`\n!!! network namespace unavailable (${skipReason}): the non-loopback /publish test is SKIPPED.\n`);
}

/** curl inside the namespace: status and body; `jar`: a cookie file it reads and writes. */
function curlFromNamespace(method: string, url: string, body?: string, headers: string[] = [], jar?: string): { status: number; body: string } {
  const args = ['ip', 'netns', 'exec', ns, 'curl', '-sS', '--max-time', '20', '-o', '-', '-w', '\n%{http_code}', '-X', method, ...headers.flatMap((h) => ['-H', h]), ...(jar ? ['-b', jar, '-c', jar] : [])];
  if (body !== undefined) args.push('-H', 'content-type: application/json', '--data-binary', body);
  const r = sh([...args, url]);
  if (!r.ok) throw new Error(`curl in the namespace failed: ${r.err}`);
  const i = r.out.lastIndexOf('\n');
  return { body: r.out.slice(0, i), status: Number(r.out.slice(i + 1)) };
}

let db: TempDb;
let api: ApiProcess;
// Whatever runs or is filtered out, the namespace goes away with the file.
afterAll(() => {
  if (skipReason === null) tearDownNamespace();
});

describe.skipIf(skipReason !== null)('a peer on another network (a namespace over a veth pair)', () => {
  beforeAll(async () => {
    db = tempDb();
    seedClass(db.sqlite);
    api = await spawnApi(['--db', db.path, '--host', '0.0.0.0', '--port', '0'], { LMDASH_API_TOKEN: TOKEN });
  }, 60_000);

  afterAll(async () => {
    await api?.stop();
    db?.cleanup();
  });

  const remote = () => `http://${hostIp}:${new URL(api.url).port}`;

  test('the remote peer reaches the API (health is public), so what follows is not a routing artefact', () => {
    const r = curlFromNamespace('GET', `${remote()}/api/health`);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body).epoch).toBe(0);
  });

  test('POST /publish from the remote peer: 403, even claiming loopback in headers, even with the token; nothing stored', () => {
    for (const headers of [[], ['X-Forwarded-For: 127.0.0.1', 'X-Real-IP: 127.0.0.1', 'Forwarded: for=127.0.0.1'], [`Authorization: Bearer ${TOKEN}`]]) {
      for (const path of ['/publish', '/api/publish']) {
        const r = curlFromNamespace('POST', `${remote()}${path}`, '{"type":"metric","name":"x","value":1}', headers);
        expect({ path, headers, status: r.status }).toEqual({ path, headers, status: 403 });
        expect(JSON.parse(r.body).error).toContain('loopback');
      }
    }
    expect(db.sqlite.query('SELECT COUNT(*) AS n FROM published_event').get()).toEqual({ n: 0 });
  });

  test('the same server takes /publish from a loopback peer', async () => {
    const res = await fetch(`${api.url.replace('0.0.0.0', '127.0.0.1')}/publish`, { method: 'POST', body: '{"type":"metric","name":"x","value":1}' });
    expect(res.status).toBe(200);
  });

  test('writes from the remote peer: 401 without the token or with a wrong one, 200 with it', () => {
    const body = '{"studentIds":["s-1"]}';
    expect(curlFromNamespace('POST', `${remote()}/api/untrack`, body).status).toBe(401);
    expect(curlFromNamespace('POST', `${remote()}/api/untrack`, body, ['Authorization: Bearer wrong-token-0123456789']).status).toBe(401);
    expect(db.sqlite.query(`SELECT COUNT(*) AS n FROM tracked_student WHERE student_id = 's-1'`).get()).toEqual({ n: 1 });
    const ok = curlFromNamespace('POST', `${remote()}/api/untrack`, body, [`Authorization: Bearer ${TOKEN}`]);
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).untracked).toEqual(['s-1']);
  });

  test('reads from the remote peer need a login: 401, then a login with the token, then reads and the stream with its cookie', () => {
    for (const path of ['/api/students', '/api/roster', '/api/stream', '/metrics']) {
      const r = curlFromNamespace('GET', `${remote()}${path}`);
      expect({ path, status: r.status }).toEqual({ path, status: 401 });
      expect(JSON.parse(r.body).error).toContain('sign in first');
    }
    const jar = join(db.dir, 'cookies.txt');
    expect(curlFromNamespace('POST', `${remote()}/api/login`, JSON.stringify({ token: 'wrong-token-0123456789' }), [], jar).status).toBe(401);
    const login = curlFromNamespace('POST', `${remote()}/api/login`, JSON.stringify({ token: TOKEN }), [], jar);
    expect(login.status).toBe(200);
    expect(JSON.parse(login.body).user).toBe('token');
    const cards = curlFromNamespace('GET', `${remote()}/api/students`, undefined, [], jar);
    expect(cards.status).toBe(200);
    expect(JSON.parse(cards.body).length).toBeGreaterThan(0);
    // The stream with the cookie: curl reads it for 3 s (it ends on its --max-time, exit 28).
    const r = Bun.spawnSync(['ip', 'netns', 'exec', ns, 'curl', '-sS', '-N', '--max-time', '3', '-b', jar, `${remote()}/api/stream`], { stdout: 'pipe', stderr: 'pipe' });
    expect(r.exitCode).toBe(28);
    const frames = r.stdout.toString();
    expect(frames).toContain('event: snapshot');
    const snapshot = JSON.parse(/event: snapshot\n(?:id: .*\n)?data: (.*)\n/.exec(frames)![1]!);
    expect(snapshot.students.length).toBe(JSON.parse(cards.body).length);
    // A write with the cookie but without the CSRF token: 403.
    expect(curlFromNamespace('POST', `${remote()}/api/track`, '{"studentIds":["s-5"]}', [], jar).status).toBe(403);
  });
});
