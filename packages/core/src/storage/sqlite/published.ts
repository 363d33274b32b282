/**
 * What producers published (`published_event`) on SQLite. The totals the pruning needs are kept
 * in memory so that an append does not sum every body (tens of ms at the default bound);
 * re-counted from the table when its row count says someone else changed it (a reset), every
 * RECOUNT_EVERY appends in case another process wrote too, and after a failed append.
 */
import type { Database } from 'bun:sqlite';
import type { PublishedStore, PublishedTotals, StoredPublishedRow, Tally } from '../port.ts';
import { RECOUNT_EVERY, tally, totalsOf, type Totals } from '../publishedTotals.ts';

/** UTF-8 bytes of a stored body, as SQLite counts them. */
const SIZE = 'LENGTH(CAST(body AS BLOB))';

function recount(sqlite: Database): Totals {
  return totalsOf(sqlite.query(`SELECT type, COUNT(*) AS n, COALESCE(SUM(${SIZE}), 0) AS bytes FROM published_event GROUP BY type`).all() as { type: string; n: number; bytes: number }[]);
}

/** Deletes the oldest events (of `type`, or of any type), never `keepId`, until within `limit`. */
function pruneOldest(sqlite: Database, t: Totals, keepId: number, type: string | null, limit: Tally): void {
  const within = () => (type === null ? t.all : (t.byType.get(type) ?? { n: 0, bytes: 0 }));
  const oldest = (
    type === null
      ? sqlite.query(`SELECT id, type, ${SIZE} AS size FROM published_event WHERE id != ?1 ORDER BY id`).iterate(keepId)
      : sqlite.query(`SELECT id, type, ${SIZE} AS size FROM published_event WHERE type = ?2 AND id != ?1 ORDER BY id`).iterate(keepId, type)
  ) as IterableIterator<{ id: number; type: string; size: number }>;
  const doomed: number[] = [];
  for (const r of oldest) {
    const now = within();
    if (now.n <= limit.n && now.bytes <= limit.bytes) break;
    doomed.push(r.id);
    tally(t, r.type, -1, -r.size);
  }
  if (doomed.length > 0) sqlite.query('DELETE FROM published_event WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(doomed));
}

export function sqlitePublished(sqlite: Database): PublishedStore {
  let totals: Totals | null = null;
  const currentTotals = (): Totals => {
    const { n } = sqlite.query('SELECT COUNT(*) AS n FROM published_event').get() as { n: number };
    return totals && totals.all.n === n && totals.writes < RECOUNT_EVERY ? totals : recount(sqlite);
  };
  return {
    append(e, keep) {
      const size = Buffer.byteLength(e.body, 'utf8');
      try {
        return sqlite
          .transaction(() => {
            const t = (totals = currentTotals());
            t.writes++;
            const { id } = sqlite.query('INSERT INTO published_event (type, name, received_at, body) VALUES (?, ?, ?, ?) RETURNING id').get(e.type, e.name, e.receivedAt, e.body) as { id: number };
            tally(t, e.type, 1, size);
            const history = sqlite
              .query(`DELETE FROM published_event WHERE type = ?1 AND name = ?2 AND id NOT IN (SELECT id FROM published_event WHERE type = ?1 AND name = ?2 ORDER BY id DESC LIMIT ?3) RETURNING ${SIZE} AS size`)
              .all(e.type, e.name, keep.perName) as { size: number }[];
            for (const r of history) tally(t, e.type, -1, -r.size);
            const ty = t.byType.get(e.type)!;
            if (ty.n > keep.type.n || ty.bytes > keep.type.bytes) pruneOldest(sqlite, t, id, e.type, keep.type);
            if (t.all.n > keep.all.n || t.all.bytes > keep.all.bytes) pruneOldest(sqlite, t, id, null, keep.all);
            return id;
          })
          .immediate();
      } catch (err) {
        totals = null; // rolled back: count again next time
        throw err;
      }
    },
    seqs: () => (sqlite.query('SELECT id FROM published_event ORDER BY id').values() as [number][]).map((r) => r[0]),
    lastSeq: () => (sqlite.query('SELECT COALESCE(MAX(id), 0) AS id FROM published_event').get() as { id: number }).id,
    page: (after, upTo, limit) => sqlite.query('SELECT id, received_at AS receivedAt, body FROM published_event WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT ?3').all(after, upTo, limit) as StoredPublishedRow[],
    totals(): PublishedTotals {
      const t = recount(sqlite);
      return { all: t.all, byType: Object.fromEntries(t.byType) };
    },
  };
}
