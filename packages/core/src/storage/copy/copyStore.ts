/**
 * `lmdash copy`: moves a whole mirror from one store to another (SQLite to PostgreSQL, or back):
 * every table, ids, versions and the epoch kept, so `lmdash dump` prints the same bytes on both
 * and dashboards resume where they were. The target must be new (empty); no daemon may write
 * either store meanwhile (both writer claims are held for the whole copy).
 */
import { databaseTarget } from '../../config/database.ts';
import { openStorage, type OpenedStorage } from '../open.ts';
import { COPIED_TABLES, tableAccess, type CopiedTable } from './tables.ts';

/** Rows per insert: under PostgreSQL's 65,535 parameters for the widest table. */
export const COPY_PAGE_ROWS = 1_000;

export type CopyProgress = { table: CopiedTable; copied: number; total: number };
export type CopyResult = { rows: Record<CopiedTable, number>; version: number; epoch: number };

export class CopyRefused extends Error {
  override readonly name = 'CopyRefused';
}

/**
 * @example await copyStore('data/lmdash.sqlite', 'postgres://lmdash@localhost/lmdash', { progress: (p) => console.error(p) });
 */
export async function copyStore(fromTarget: string, toTarget: string, o: { progress?: (p: CopyProgress) => void } = {}): Promise<CopyResult> {
  // `sqlite:FILE` and relative paths named once, for both connections to each store.
  const [from, to] = [fromTarget, toTarget].map((t) => databaseTarget({ databaseUrl: undefined, dataDir: '.' }, t)) as [string, string];
  // Opening migrates both (an old file is brought up to date first) and makes the single rows.
  const source = openStorage(from);
  let target: OpenedStorage | null = null;
  try {
    target = openStorage(to);
    if (source.where === target.where) throw new CopyRefused('the source and the target are the same store');
    if (!source.storage.claimWriter()) throw new CopyRefused(`a daemon is writing ${source.where}: stop it first`);
    if (!target.storage.claimWriter()) throw new CopyRefused(`a daemon is writing ${target.where}: stop it first`);
    const meta = target.storage.status.meta();
    if (target.storage.log.lastPosition() !== 0 || meta.version !== 0 || target.storage.roster.search('', 1).length > 0) {
      throw new CopyRefused(`${target.where} is not empty: copy into a new database (or drop this one's tables first)`);
    }
    const highWater = source.storage.status.counters().eventsIngested;
    const a = tableAccess(from);
    const b = tableAccess(to);
    try {
      const rows = {} as Record<CopiedTable, number>;
      for (const table of COPIED_TABLES) {
        const total = await a.count(table);
        let copied = 0;
        let lastId = 0;
        while (copied < total) {
          const page = await a.page(table, copied, COPY_PAGE_ROWS, lastId);
          if (page.length === 0) break;
          await b.insert(table, page);
          copied += page.length;
          if (table === 'vexLog') lastId = page.at(-1)!.id as number;
          o.progress?.({ table, copied, total });
        }
        rows[table] = copied;
      }
      await b.setSingle('cursor', await a.single('cursor'));
      // The meta row last: version and epoch say what the copied rows are stamped with.
      const m = await a.single('meta');
      await b.setSingle('meta', m);
      await b.continueIds(highWater);
      return { rows, version: Number(m.version), epoch: Number(m.epoch) };
    } finally {
      await a.close();
      await b.close();
    }
  } finally {
    target?.close();
    source.close();
  }
}
