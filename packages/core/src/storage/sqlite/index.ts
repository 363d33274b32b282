/**
 * The SQLite adapter of the storage port: one per connection (`sqliteStorage(db)` returns the
 * same object for the same connection, so its prepared statements are made once).
 * @module
 */
import type { Database } from 'bun:sqlite';
import type { Db } from '../../db/open.ts';
import type { Storage } from '../port.ts';
import { sqliteActions } from './actions.ts';
import { sqliteDistances } from './distances.ts';
import { sqliteProgramSummaries } from './programSummaries.ts';
import { sqliteLog } from './log.ts';
import { sqliteProjection } from './projection.ts';
import { sqlitePublished } from './published.ts';
import { sqliteReads } from './reads.ts';
import { sqliteRoster } from './roster.ts';
import { sqliteStatus } from './status.ts';
import { sqliteWriterClaim } from './writerClaim.ts';

const adapters = new WeakMap<Database, Storage>();

/**
 * The storage port over an opened SQLite database (`openDatabase` gives it as `storage`).
 * @example const { storage } = openDatabase(':memory:'); storage.log.append(events, null, Date.now());
 */
export function sqliteStorage(db: Db | Database): Storage {
  const sqlite = '$client' in db ? db.$client : db;
  let s = adapters.get(sqlite);
  if (!s) {
    const reads = sqliteReads(sqlite);
    s = {
      log: sqliteLog(sqlite),
      projection: sqliteProjection(sqlite),
      distances: sqliteDistances(sqlite),
      summaries: sqliteProgramSummaries(sqlite),
      roster: sqliteRoster(sqlite),
      status: sqliteStatus(sqlite),
      reads,
      actions: sqliteActions(sqlite, reads),
      published: sqlitePublished(sqlite),
      consistent: <T>(fn: () => T): T => sqlite.transaction(fn)(),
      // bun:sqlite's error for a lock held past the busy timeout.
      isBusy: (err) => (err as { code?: unknown } | null)?.code === 'SQLITE_BUSY',
      claimWriter: sqliteWriterClaim(sqlite),
    };
    adapters.set(sqlite, s);
  }
  return s;
}

export { resetAll } from './actions.ts';
