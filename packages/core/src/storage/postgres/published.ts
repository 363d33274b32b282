/**
 * What producers published (`published_event`) on PostgreSQL. As in the SQLite adapter, the
 * totals the pruning needs are kept in memory (re-counted when the row count says someone else
 * changed the table, every RECOUNT_EVERY appends, and after a failed append); an append is one
 * write transaction holding the `meta` row, so two appenders never prune on stale totals.
 * Pruning the oldest is one statement: a running count and byte sum say which rows must go.
 */
import type { PublishedStore, PublishedTotals, StoredPublishedRow, Tally } from '../port.ts';
import type { PgConnection } from './connection.ts';
import { writing } from './versions.ts';
import { RECOUNT_EVERY, tally, totalsOf, type Totals } from '../publishedTotals.ts';

const RECOUNT = 'SELECT type, count(*) AS n, coalesce(sum(octet_length(body)), 0) AS bytes FROM published_event GROUP BY type';

/**
 * Deletes the oldest events (of `$4` type, or of any when it is NULL), never `$1`, while the
 * totals exceed the limit: a row goes when, with every older row gone, the excess `$2` events /
 * `$3` bytes is not yet covered.
 */
const PRUNE_OLDEST = `WITH older AS (
    SELECT id, count(*) OVER w - 1 AS n_before, sum(octet_length(body)) OVER w - octet_length(body) AS bytes_before
    FROM published_event WHERE id != $1 AND ($4::text IS NULL OR type = $4)
    WINDOW w AS (ORDER BY id ROWS UNBOUNDED PRECEDING)
  ), doomed AS (SELECT id FROM older WHERE n_before < $2 OR bytes_before < $3)
  DELETE FROM published_event p USING doomed WHERE p.id = doomed.id RETURNING p.type AS type, octet_length(p.body) AS size`;

function pruneOldest(conn: PgConnection, t: Totals, keepId: number, type: string | null, limit: Tally): void {
  const now = type === null ? t.all : (t.byType.get(type) ?? { n: 0, bytes: 0 });
  const gone = conn.query<{ type: string; size: number }>(PRUNE_OLDEST, [keepId, now.n - limit.n, now.bytes - limit.bytes, type]);
  for (const r of gone) tally(t, r.type, -1, -r.size);
}

export function postgresPublished(conn: PgConnection): PublishedStore {
  let totals: Totals | null = null;
  return {
    append(e, keep) {
      const size = Buffer.byteLength(e.body, 'utf8');
      try {
        return writing(conn, () => {
          const [[count], [inserted], history] = conn.batch([
            { text: 'SELECT count(*) AS n FROM published_event' },
            { text: 'INSERT INTO published_event (type, name, received_at, body) VALUES ($1, $2, $3, $4) RETURNING id', params: [e.type, e.name, e.receivedAt, e.body] },
            {
              text: `DELETE FROM published_event WHERE type = $1 AND name = $2 AND id NOT IN (SELECT id FROM published_event WHERE type = $1 AND name = $2 ORDER BY id DESC LIMIT $3) RETURNING octet_length(body) AS size`,
              params: [e.type, e.name, keep.perName],
            },
          ]) as [{ n: number }[], { id: number }[], { size: number }[]];
          // The count was taken before this insert: the totals kept are good if it agrees with them.
          let t: Totals;
          if (totals && totals.all.n === count!.n && totals.writes < RECOUNT_EVERY) {
            t = totals;
            tally(t, e.type, 1, size);
            for (const r of history) tally(t, e.type, -1, -r.size);
          } else t = totalsOf(conn.query(RECOUNT)); // after the insert and the history: nothing to add
          totals = t;
          t.writes++;
          const ty = t.byType.get(e.type)!;
          if (ty.n > keep.type.n || ty.bytes > keep.type.bytes) pruneOldest(conn, t, inserted!.id, e.type, keep.type);
          if (t.all.n > keep.all.n || t.all.bytes > keep.all.bytes) pruneOldest(conn, t, inserted!.id, null, keep.all);
          return inserted!.id;
        });
      } catch (err) {
        totals = null; // rolled back: count again next time
        throw err;
      }
    },
    seqs: () => conn.query<{ id: number }>('SELECT id FROM published_event ORDER BY id').map((r) => r.id),
    lastSeq: () => conn.query<{ id: number }>('SELECT coalesce(max(id), 0) AS id FROM published_event')[0]!.id,
    page: (after, upTo, limit) =>
      conn.query<StoredPublishedRow>('SELECT id, received_at AS "receivedAt", body FROM published_event WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3', [after, upTo, limit]),
    totals(): PublishedTotals {
      const t = totalsOf(conn.query(RECOUNT));
      return { all: t.all, byType: Object.fromEntries(t.byType) };
    },
  };
}
