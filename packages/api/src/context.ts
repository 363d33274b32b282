/** What every route shares: the database, the clock, the config, the streams and their watcher. */
import type { Config, Db } from '@lmdash/core';
import type { Database } from 'bun:sqlite';
import type { SessionRule } from './queries/cards.ts';
import type { Hub } from './stream/hub.ts';
import type { Watcher } from './stream/watcher.ts';

export type ApiDeps = {
  sqlite: Database;
  db: Db;
  config: Config;
  now: () => number;
  log: (line: string) => void;
  hub: Hub;
  watcher: Watcher;
  rule: SessionRule;
  /** Counters kept since this API process started (for /metrics). */
  stats: { publishedByType: Map<string, number> };
};

/**
 * Runs a write in an IMMEDIATE transaction: the write lock is taken at BEGIN, so the daemon's
 * concurrent tick makes this wait (busy timeout) instead of failing with SQLITE_BUSY on upgrade.
 */
export function writeTransaction<T>(sqlite: Database, fn: () => T): T {
  return sqlite.transaction(fn).immediate();
}

/** Inside a write transaction: bumps `meta.version` and returns the new one. */
export function bumpVersion(sqlite: Database): number {
  return (sqlite.query('UPDATE meta SET version = version + 1 WHERE id = 1 RETURNING version').get() as { version: number }).version;
}
