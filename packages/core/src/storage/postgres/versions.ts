/**
 * How a PostgreSQL write transaction starts and how it bumps `meta.version`. Writers are
 * serialised like SQLite's BEGIN IMMEDIATE: a write transaction (READ COMMITTED) first locks the
 * `meta` row (`FOR UPDATE`), so a second writer waits there (up to `lock_timeout`, then 55P03,
 * "busy") and, once through, sees everything the first committed. Every bump announces itself on
 * VERSION_CHANNEL in the same transaction, so listeners wake at commit and never for a rollback.
 */
import type { PgConnection, Statement } from './connection.ts';
import { VERSION_CHANNEL, type VersionNotice } from './channel.ts';

export type MetaVersion = { version: number; epoch: number };

export const LOCK_META = 'SELECT version, epoch FROM meta WHERE id = 1 FOR UPDATE';

/** Runs `fn` in a write transaction that holds the `meta` row; `fn` gets the version and epoch as they were. */
export function writing<T>(conn: PgConnection, fn: (m: MetaVersion) => T): T {
  return conn.transaction('write', () => {
    const [m] = conn.query<MetaVersion>(LOCK_META);
    if (!m) throw new Error('meta row 1 is missing: the database was not opened through openPostgresStorage');
    return fn(m);
  });
}

/** The statements that set `meta.version` and `meta.epoch` and notify the listeners. */
export function bumpTo(n: VersionNotice): Statement[] {
  return [
    { text: 'UPDATE meta SET version = $1, epoch = $2 WHERE id = 1', params: [n.version, n.epoch] },
    { text: 'SELECT pg_notify($1, $2)', params: [VERSION_CHANNEL, JSON.stringify({ epoch: n.epoch, version: n.version })] },
  ];
}
