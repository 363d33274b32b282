/**
 * The version-notice listener on a real PostgreSQL server (a scratch database): a NOTIFY wakes
 * it within milliseconds; a connection terminated from outside, or a server gone for a while,
 * turns it to `polling` and it comes back to `listening` by itself; and the watcher on top of it
 * never misses a version: notices while listening, its 50 ms poll while the channel is down, a
 * read on every reconnect, and the safety poll for a notice that never came.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { VERSION_CHANNEL, createScratchPostgres, postgresTestsOff, type ScratchPostgres, type Storage } from '@lmdash/core';
import { SQL } from 'bun';
import { tcpProxy } from '../../test/tcpProxy.ts';
import { until } from '../../test/helpers.ts';
import { Hub } from './hub.ts';
import { PostgresVersionNotices, type Wake } from './notices.ts';
import { Watcher } from './watcher.ts';

const off = postgresTestsOff();
/** The scratch database (no schema needed: notices are only a channel) and a client of it that notifies and terminates. */
let db: ScratchPostgres & { admin: SQL };
beforeAll(() => {
  if (off) return;
  const pg = createScratchPostgres();
  db = { ...pg, admin: new SQL(pg.url, { max: 2 }) };
}, 30_000);
afterAll(async () => {
  await db?.admin.close();
  db?.drop();
});

/** Terminates every session of `applicationName` on the scratch database, as an operator or a failover would; how many. */
async function terminate(applicationName: string): Promise<number> {
  const rows = await db.admin`SELECT pg_terminate_backend(pid) AS ok FROM pg_stat_activity WHERE datname = ${db.name} AND application_name = ${applicationName} AND pid <> pg_backend_pid()`;
  return rows.filter((r: { ok: boolean }) => r.ok).length;
}

let apps = 0;
const appName = () => `lmdash-notices-test-${process.pid}-${++apps}`;
const notify = (epoch: number, version: number) => db.admin`SELECT pg_notify(${VERSION_CHANNEL}, ${JSON.stringify({ epoch, version })})`;
const sessions = async (name: string) => Number((await db.admin`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${db.name} AND application_name = ${name}`)[0].n);
const quiet = { log: () => {} };

function recorder() {
  const wakes: { at: number; wake: Wake }[] = [];
  return { wakes, onWake: (wake: Wake) => void wakes.push({ at: performance.now(), wake }) };
}

describe.skipIf(off)('PostgresVersionNotices', () => {
  test('a NOTIFY wakes it within milliseconds; it listens from one session of its own', async () => {
    const name = appName();
    const n = new PostgresVersionNotices({ url: db.url, applicationName: name, ...quiet });
    const r = recorder();
    expect(n.state()).toBe('polling');
    n.start(r.onWake);
    try {
      await until(() => n.state() === 'listening', 10_000, 'listening');
      // The (re)connect itself wakes the watcher: it reads what it may have missed.
      expect(r.wakes.map((w) => w.wake)).toEqual([null]);
      expect(await sessions(name)).toBe(1);
      const lags: number[] = [];
      for (let v = 1; v <= 20; v++) {
        const sent = performance.now();
        await notify(0, v);
        await until(() => r.wakes.some((w) => w.wake?.version === v), 5_000, `the notice of version ${v}`);
        lags.push(r.wakes.find((w) => w.wake?.version === v)!.at - sent);
      }
      lags.sort((a, b) => a - b);
      console.log(`notice → wake: p50 ${lags[10]!.toFixed(2)} ms, max ${lags.at(-1)!.toFixed(2)} ms over 20`);
      expect(lags[10]!).toBeLessThan(50);
      expect(n.stats()).toMatchObject({ notices: 20, connects: 1, drops: 0 });
    } finally {
      await n.stop();
    }
    expect(n.state()).toBe('polling');
    await until(async () => (await sessions(name)) === 0, 5_000, 'the session closed');
    // Stopped: nothing arrives any more.
    const before = r.wakes.length;
    await notify(0, 99);
    await Bun.sleep(100);
    expect(r.wakes.length).toBe(before);
  }, 30_000);

  test('terminated from outside: polling at once, then listening again by itself (and a wake to read what was missed)', async () => {
    const name = appName();
    const logs: string[] = [];
    const n = new PostgresVersionNotices({ url: db.url, applicationName: name, reconnectMinMs: 100, reconnectMaxMs: 400, log: (l) => logs.push(l) });
    const r = recorder();
    n.start(r.onWake);
    try {
      await until(() => n.state() === 'listening', 10_000, 'listening');
      for (let round = 1; round <= 3; round++) {
        const wakesBefore = r.wakes.length;
        expect(await terminate(name)).toBe(1);
        await until(() => n.state() === 'polling', 5_000, 'polling after the backend was terminated');
        // Sent while down: lost for the listener (the watcher's poll reads it instead).
        await notify(0, 1000 + round);
        await until(() => n.state() === 'listening', 10_000, 'listening again');
        // The reconnect woke it (null): the watcher reads the version row then.
        await until(() => r.wakes.slice(wakesBefore).some((w) => w.wake === null), 5_000, 'the wake of the reconnect');
        await notify(0, 2000 + round);
        await until(() => r.wakes.some((w) => w.wake?.version === 2000 + round), 5_000, 'a notice after the reconnect');
        expect(await sessions(name)).toBe(1);
      }
      expect(n.stats()).toMatchObject({ connects: 4, drops: 3 });
      expect(logs.some((l) => l.includes('down'))).toBe(true);
      expect(logs.some((l) => l.includes('listening again'))).toBe(true);
    } finally {
      await n.stop();
    }
    await until(async () => (await sessions(name)) === 0, 5_000, 'the session closed');
  }, 60_000);

  test('a server gone for a while (connections refused): polling, attempts backing off, listening once it is back', async () => {
    const proxy = tcpProxy(Number(new URL(db.url).port || 5432), new URL(db.url).hostname);
    const url = new URL(db.url);
    url.port = String(proxy.port);
    const name = appName();
    const logs: string[] = [];
    const n = new PostgresVersionNotices({ url: url.toString(), applicationName: name, reconnectMinMs: 50, reconnectMaxMs: 400, connectTimeoutS: 2, log: (l) => logs.push(l) });
    const r = recorder();
    n.start(r.onWake);
    try {
      await until(() => n.state() === 'listening', 10_000, 'listening');
      proxy.down();
      await until(() => n.state() === 'polling', 5_000, 'polling once the server is gone');
      await Bun.sleep(2_000);
      expect(n.state()).toBe('polling');
      const s = n.stats();
      // 50, 100, 200, 400, 400, ... ms: a handful of attempts in 2 s, each a drop.
      expect(s.drops).toBeGreaterThanOrEqual(4);
      expect(s.drops).toBeLessThanOrEqual(12);
      // One log line per kind of trouble, not one per attempt.
      expect(logs.length).toBeLessThanOrEqual(3);
      const back = performance.now();
      proxy.up();
      await until(() => n.state() === 'listening', 10_000, 'listening once the server is back');
      expect(performance.now() - back).toBeLessThan(2_000);
      await notify(0, 7);
      await until(() => r.wakes.some((w) => w.wake?.version === 7), 5_000, 'a notice');
    } finally {
      await n.stop();
      proxy.stop();
    }
  }, 60_000);

  test('stop() while reconnecting: no attempt afterwards', async () => {
    const proxy = tcpProxy(Number(new URL(db.url).port || 5432), new URL(db.url).hostname);
    const url = new URL(db.url);
    url.port = String(proxy.port);
    const name = appName();
    const n = new PostgresVersionNotices({ url: url.toString(), applicationName: name, reconnectMinMs: 50, reconnectMaxMs: 100, ...quiet });
    n.start(() => {});
    try {
      await until(() => n.state() === 'listening', 10_000, 'listening');
      proxy.down();
      await until(() => n.state() === 'polling', 5_000, 'polling');
      await n.stop();
      const drops = n.stats().drops;
      proxy.up();
      await Bun.sleep(500);
      expect(n.state()).toBe('polling');
      expect(n.stats().drops).toBe(drops);
      expect(await sessions(name)).toBe(0);
    } finally {
      await n.stop();
      proxy.stop();
    }
  }, 30_000);
});

/** A storage port reduced to what the watcher reads with no stream open: the version row, here a variable the test moves. */
function versionRow() {
  const row = { epoch: 0, version: 0 };
  let reads = 0;
  const storage = {
    status: { version: () => (reads++, { ...row }) },
    consistent: <T>(fn: () => T): T => fn(),
    roster: { trackedIds: () => new Set<string>() },
    published: { lastSeq: () => 0, page: () => [] },
  } as unknown as Storage;
  return { row, storage, reads: () => reads };
}

describe.skipIf(off)('Watcher woken by PostgresVersionNotices', () => {
  test('follows every version: notices while listening, its poll while the channel is down, a read on reconnect, the safety poll for a lost notice', async () => {
    const name = appName();
    const v = versionRow();
    const notices = new PostgresVersionNotices({ url: db.url, applicationName: name, reconnectMinMs: 300, reconnectMaxMs: 300, ...quiet });
    const w = new Watcher({ storage: v.storage, hub: new Hub(), now: Date.now, rule: { sessionGapMs: 600_000 }, log: () => {}, pollMs: 50, safetyPollMs: 1_500, healthCheckMs: 60_000, notices });
    // Commits as the adapter makes them: the row moves, then the notice goes out.
    const commit = async (o: { notify?: boolean } = {}) => {
      v.row.version++;
      if (o.notify !== false) await notify(v.row.epoch, v.row.version);
      return v.row.version;
    };
    w.start();
    try {
      await until(() => notices.state() === 'listening', 10_000, 'listening');
      await Bun.sleep(100);

      // Listening: nothing read while nothing happens (the safety poll is 1.5 s away)...
      let reads = v.reads();
      await Bun.sleep(400);
      expect(v.reads() - reads).toBeLessThanOrEqual(1);
      // ...and a notice is followed within milliseconds.
      for (let i = 0; i < 10; i++) {
        const version = await commit();
        const t = performance.now();
        await until(() => w.version === version, 2_000, `version ${version} by its notice`);
        expect(performance.now() - t).toBeLessThan(200);
      }
      // A notice of a version already followed is not even read.
      reads = v.reads();
      await notify(0, w.version);
      await Bun.sleep(100);
      expect(v.reads()).toBe(reads);

      // The channel dropped: versions committed meanwhile (their notices lost) are polled.
      await terminate(name);
      await until(() => notices.state() === 'polling', 5_000, 'polling');
      for (let i = 0; i < 3; i++) {
        const version = await commit();
        await until(() => w.version === version, 1_000, `version ${version} by the 50 ms poll`);
      }
      // Committed just before the reconnect, with nobody listening: read on reconnect at the latest.
      const missed = await commit();
      await until(() => notices.state() === 'listening', 10_000, 'listening again');
      await until(() => w.version === missed, 1_000, 'the version committed while down');

      // A notice that never came (the payload lost on the way): the safety poll reads it.
      const lost = await commit({ notify: false });
      const t = performance.now();
      await until(() => w.version === lost, 5_000, 'the version of the lost notice');
      expect(performance.now() - t).toBeLessThan(1_500 + 300);
      // Back to notices.
      const last = await commit();
      await until(() => w.version === last, 1_000, 'a notice again');
    } finally {
      await w.stop();
    }
    expect(notices.state()).toBe('polling');
  }, 60_000);
});
