/**
 * The synchronous bridge itself, against a real PostgreSQL (a scratch database of its own): errors
 * keep their SQLSTATE, bounds throw instead of hanging, close ends the worker and the session, a
 * connection killed from outside is reported once and the next call connects again, and the
 * password never shows.
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { openPgConnection, PostgresError, type PgConnection } from './connection.ts';
import { VERSION_CHANNEL } from './channel.ts';
import { openPostgresStorage } from './index.ts';
import { redactUrl } from './redact.ts';
import { createScratchPostgres, postgresTestsOff } from './scratch.ts';
import { LOCK_META } from './versions.ts';

const thrown = (fn: () => unknown): PostgresError => {
  try {
    fn();
  } catch (e) {
    return e as PostgresError;
  }
  throw new Error('it did not throw');
};
const backendPid = (c: PgConnection): number => c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')[0]!.pid;

if (postgresTestsOff()) {
  describe.skip('the PostgreSQL bridge (LMDASH_TEST_POSTGRES=off)', () => test('skipped', () => {}));
} else {
  const pg = createScratchPostgres();
  const admin = openPgConnection(pg.url, { applicationName: 'lmdash-bridge-admin' });
  afterAll(() => {
    admin.close();
    pg.drop();
  });

  describe('the PostgreSQL bridge', () => {
    test('answers synchronously; int8 comes back as a number; a batch is one call', () => {
      const c = openPgConnection(pg.url);
      try {
        expect(c.query('SELECT $1::bigint AS t, 2::int AS n, 0.5::float8 AS f, true AS b, NULL AS z', [1_790_000_000_123])).toEqual([{ t: 1_790_000_000_123, n: 2, f: 0.5, b: true, z: null }]);
        expect(c.batch([{ text: 'SELECT 1 AS a' }, { text: 'SELECT $1::text AS b', params: ['x'] }])).toEqual([[{ a: 1 }], [{ b: 'x' }]]);
      } finally {
        c.close();
      }
    });

    test('an error keeps its SQLSTATE, and the connection stays usable', () => {
      const c = openPgConnection(pg.url);
      try {
        const e = thrown(() => c.query('SELECT * FROM no_such_table'));
        expect(e).toBeInstanceOf(PostgresError);
        expect(e.code).toBe('42P01');
        expect(thrown(() => c.transaction('write', () => c.query('SELECT 1/0'))).code).toBe('22012');
        expect(c.inTransaction).toBe(false);
        expect(c.query('SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
      } finally {
        c.close();
      }
    });

    test('a writer held past lock_timeout fails with 55P03, which the port calls busy', () => {
      const holder = openPostgresStorage(pg.url);
      const waiter = openPostgresStorage(pg.url, { lockTimeoutMs: 100 });
      try {
        const err = holder.connection.transaction('write', () => {
          holder.connection.query(LOCK_META);
          return thrown(() => waiter.storage.actions.untrack(['s-1']));
        });
        expect(err.code).toBe('55P03');
        expect(waiter.storage.isBusy(err)).toBe(true);
        expect(waiter.storage.actions.untrack(['s-1']).untracked).toEqual([]); // free again
      } finally {
        holder.close();
        waiter.close();
      }
    });

    test('statement_timeout ends a slow statement on the server (57014)', () => {
      const c = openPgConnection(pg.url, { statementTimeoutMs: 100 });
      try {
        const t = performance.now();
        expect(thrown(() => c.query('SELECT pg_sleep(5)')).code).toBe('57014');
        expect(performance.now() - t).toBeLessThan(2_000);
        expect(c.query('SHOW statement_timeout')).toEqual([{ statement_timeout: '100ms' }]);
      } finally {
        c.close();
      }
    });

    test('a wait past waitTimeoutMs throws a clear error instead of hanging; the next call connects again', () => {
      const c = openPgConnection(pg.url, { statementTimeoutMs: 10_000, waitTimeoutMs: 300 });
      try {
        const before = backendPid(c);
        const t = performance.now();
        const e = thrown(() => c.query('SELECT pg_sleep(5)'));
        expect(performance.now() - t).toBeLessThan(2_000);
        expect(e.code).toBe('LMDASH_WAIT_TIMEOUT');
        expect(e.message).toContain('waitTimeoutMs');
        expect(e.message).toContain('statement_timeout');
        expect(backendPid(c)).not.toBe(before);
      } finally {
        c.close();
      }
    });

    test('close ends the session and the worker; a closed connection refuses calls', () => {
      const c = openPgConnection(pg.url, { applicationName: 'lmdash-close-test' });
      const pid = backendPid(c);
      c.close();
      c.close(); // idempotent
      expect(thrown(() => c.query('SELECT 1')).code).toBe('LMDASH_CLOSED');
      let left = 1;
      for (let i = 0; i < 50 && left > 0; i++) {
        left = admin.query<{ n: number }>('SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1', [pid])[0]!.n;
        if (left > 0) Bun.sleepSync(20);
      }
      expect(left).toBe(0);
    });

    test('a connection killed from outside: the next call fails once (the loss is never silent), the one after connects again', () => {
      const c = openPgConnection(pg.url);
      try {
        const pid = backendPid(c);
        expect(admin.query('SELECT pg_terminate_backend($1) AS ok', [pid])).toEqual([{ ok: true }]);
        Bun.sleepSync(50);
        const e = thrown(() => c.query('SELECT 1'));
        expect(e.code).toMatch(/^(57P01|08006|ERR_POSTGRES_CONNECTION_CLOSED)$/);
        expect(backendPid(c)).not.toBe(pid);
      } finally {
        c.close();
      }
    });

    test('the writer claim is a session lock: released by close, and at once', () => {
      const a = openPostgresStorage(pg.url);
      const b = openPostgresStorage(pg.url);
      try {
        expect(a.storage.claimWriter()).toBe(true);
        expect(b.storage.claimWriter()).toBe(false);
        a.close();
        expect(b.storage.claimWriter()).toBe(true);
      } finally {
        a.close();
        b.close();
      }
    });

    test('the password never shows: not in where, not in an error', () => {
      const url = 'postgres://postgres:s3cret-pw@127.0.0.1:1/nowhere';
      expect(redactUrl(url)).toBe('postgres://postgres:***@127.0.0.1:1/nowhere');
      const c = openPgConnection(url, { connectTimeoutMs: 1_000, waitTimeoutMs: 5_000 });
      try {
        expect(c.where).not.toContain('s3cret');
        const e = thrown(() => c.query('SELECT 1'));
        expect(e).toBeInstanceOf(PostgresError);
        expect(`${e.message} ${e.code} ${e.stack}`).not.toContain('s3cret');
      } finally {
        c.close();
      }
    });

    test('every version bump notifies VERSION_CHANNEL at commit; no change, no notice', async () => {
      const s = openPostgresStorage(pg.url);
      const { SQL } = await import('bun');
      const listener = new SQL({ url: pg.url, max: 1 });
      try {
        const got: string[] = [];
        await listener.listen(VERSION_CHANNEL, (p: string) => got.push(p));
        const before = s.storage.status.version();
        s.storage.actions.reset(1);
        expect(s.storage.projection.writeTick({ changes: [], actions: [] }, 2)).toBeNull();
        s.storage.projection.writeTick({ changes: [], actions: [{ action: 'open', studentId: 's-1', kind: 'inactive', startedAt: 1, runIndex: null, reopenedFrom: null, detail: {} }] }, 3);
        for (let i = 0; i < 100 && got.length < 2; i++) await Bun.sleep(10);
        await Bun.sleep(50); // nothing else arrives
        const e = before.epoch + 1;
        expect(got.map((p) => JSON.parse(p))).toEqual([{ epoch: e, version: before.version + 1 }, { epoch: e, version: before.version + 2 }]);
        expect(got[0]).toBe(`{"epoch":${e},"version":${before.version + 1}}`);
      } finally {
        await listener.close();
        s.close();
      }
    });
  });
}
