/**
 * The PostgreSQL adapter of the storage port: the same operations as `sqlite/`, one file per
 * concern, over one synchronous bridge connection (`connection.ts`) per store.
 *
 * Isolation: writes are READ COMMITTED transactions that lock the `meta` row first, which
 * serialises writers as SQLite's BEGIN IMMEDIATE does (`versions.ts`); `consistent` is a
 * REPEATABLE READ READ ONLY transaction, one snapshot for everything it reads.
 * @module
 */
import type { Storage } from '../port.ts';
import { postgresActions } from './actions.ts';
import { isBusyError, openPgConnection, type PgConnection, type PostgresOptions } from './connection.ts';
import { postgresDistances } from './distances.ts';
import { postgresProgramSummaries } from './programSummaries.ts';
import { postgresLog } from './log.ts';
import { postgresProjection } from './projection.ts';
import { postgresPublished } from './published.ts';
import { postgresReads } from './reads.ts';
import { postgresRoster } from './roster.ts';
import { postgresStatus } from './status.ts';

/** The storage port over an open bridge connection (migrated: see `openPostgresStorage`). */
export function postgresStorage(conn: PgConnection): Storage {
  const reads = postgresReads(conn);
  return {
    log: postgresLog(conn),
    projection: postgresProjection(conn),
    distances: postgresDistances(conn),
    summaries: postgresProgramSummaries(conn),
    roster: postgresRoster(conn),
    status: postgresStatus(conn),
    reads,
    actions: postgresActions(conn, reads),
    published: postgresPublished(conn),
    consistent: <T>(fn: () => T): T => conn.transaction('read', fn),
    isBusy: isBusyError,
    claimWriter: () => conn.claimWriter(),
  };
}

export type OpenedPostgresStorage = { storage: Storage; connection: PgConnection; close: () => void; where: string };

/**
 * Connects (one connection for the port, owned by a worker thread), applies the migrations and
 * creates the single rows, and returns the storage port.
 * @example const { storage, close } = openPostgresStorage('postgres://lmdash@127.0.0.1/lmdash'); storage.status.version(); close();
 */
export function openPostgresStorage(url: string, options: PostgresOptions = {}): OpenedPostgresStorage {
  const connection = openPgConnection(url, options);
  try {
    connection.migrate();
  } catch (e) {
    connection.close();
    throw e;
  }
  return { storage: postgresStorage(connection), connection, close: () => connection.close(), where: connection.where };
}

export { resetAll } from './actions.ts';
export { MIGRATION_LOCK_KEY, VERSION_CHANNEL, WRITER_LOCK_KEY } from './channel.ts';
export type { VersionNotice } from './channel.ts';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  PostgresError,
  isBusyError,
  openPgConnection,
} from './connection.ts';
export type { PgConnection, PostgresOptions, Row, Statement, TransactionKind } from './connection.ts';
export { redactUrl } from './redact.ts';
