/**
 * Scratch PostgreSQL databases for tests: each test file works in its own database, created from
 * an admin URL and dropped at the end, so files run side by side without seeing each other.
 * Synchronous (through the bridge), so it fits a test file's top level and `afterAll`.
 *
 *   const pg = createScratchPostgres();             // throws a clear error when PostgreSQL is unreachable
 *   afterAll(() => pg.drop());
 *   const { storage } = openPostgresStorage(pg.url);
 */
import { openPgConnection, type PgConnection } from './connection.ts';
import { redactUrl } from './redact.ts';

/** Where the tests find PostgreSQL unless LMDASH_TEST_POSTGRES_URL says otherwise (CI starts it). */
export const DEFAULT_TEST_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Whether the PostgreSQL tests are switched off (`LMDASH_TEST_POSTGRES=off`); otherwise an unreachable server fails them. */
export const postgresTestsOff = (env: Record<string, string | undefined> = process.env): boolean => env.LMDASH_TEST_POSTGRES === 'off';

export type ScratchPostgres = {
  /** The scratch database's URL. */
  url: string;
  name: string;
  /** Drops the database (`WITH (FORCE)`: connections still open are ended). Idempotent. */
  drop(): void;
};

/** Every table of the schema, emptied between tests. */
const TABLES = ['vex_log', 'cursor', 'tracked_student', 'student_directory', 'student_state', 'run', 'episode', 'trigger_event', 'published_event', 'distance_cache', 'program_summary', 'meta'];

/**
 * Creates an empty database on the server of `adminUrl` (LMDASH_TEST_POSTGRES_URL, or the
 * default) and returns its URL. Synchronous.
 */
export function createScratchPostgres(adminUrl: string = process.env.LMDASH_TEST_POSTGRES_URL ?? DEFAULT_TEST_POSTGRES_URL): ScratchPostgres {
  const name = `lmdash_scratch_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = openPgConnection(adminUrl, { connectTimeoutMs: 5_000, waitTimeoutMs: 20_000, applicationName: 'lmdash-tests' });
  try {
    admin.query(`CREATE DATABASE "${name}"`);
  } catch (e) {
    admin.close();
    throw new Error(
      `PostgreSQL for the tests is unreachable or refused a scratch database at ${redactUrl(adminUrl)}: ${(e as Error).message}. ` +
        'Start PostgreSQL, point LMDASH_TEST_POSTGRES_URL at an admin URL, or set LMDASH_TEST_POSTGRES=off to skip the PostgreSQL tests.',
    );
  }
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  let dropped = false;
  return {
    url: u.toString(),
    name,
    drop() {
      if (dropped) return;
      dropped = true;
      try {
        admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        admin.close();
      }
    },
  };
}

/** Tables whose ids come from a sequence, restarted with them. */
const SEQUENCED = ['vex_log', 'trigger_event', 'published_event'];

/**
 * Empties every table of a migrated store, restarts its id sequences and puts the single rows
 * back: a fresh store, faster than a new database. DELETE, not TRUNCATE: on tables this small
 * it is ~10x faster (TRUNCATE replaces every file).
 */
export function emptyPostgresStore(conn: PgConnection): void {
  conn.batch([
    ...TABLES.map((t) => ({ text: `DELETE FROM ${t}` })),
    ...SEQUENCED.map((t) => ({ text: `SELECT setval(pg_get_serial_sequence('${t}', 'id'), 1, false)` })),
    { text: 'INSERT INTO meta (id) VALUES (1)' },
    { text: 'INSERT INTO cursor (id, updated_at) VALUES (1, 0)' },
  ]);
}
