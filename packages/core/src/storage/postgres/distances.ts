/**
 * The distance cache (`distance_cache`) on PostgreSQL. "Oldest" is the lowest `stored_at`, then
 * `pair_key` (indexed): PostgreSQL has no stable rowid, and a pair written again is re-stamped,
 * so it is young again as in SQLite (where INSERT OR REPLACE gives it a new rowid).
 */
import type { DistanceStore } from '../port.ts';
import type { PgConnection } from './connection.ts';

const WRITE = `INSERT INTO distance_cache (pair_key, distance, stored_at) SELECT k, d, $3 FROM unnest($1::text[], $2::integer[]) AS e(k, d)
  ON CONFLICT (pair_key) DO UPDATE SET distance = EXCLUDED.distance, stored_at = EXCLUDED.stored_at`;

export function postgresDistances(conn: PgConnection): DistanceStore {
  return {
    read: (pairKey) => conn.query<{ distance: number }>('SELECT distance FROM distance_cache WHERE pair_key = $1', [pairKey])[0]?.distance ?? null,
    write(entries, now) {
      if (entries.size === 0) return;
      conn.query(WRITE, [[...entries.keys()], [...entries.values()], now]); // one statement: atomic
    },
    count: () => conn.query<{ n: number }>('SELECT count(*) AS n FROM distance_cache')[0]!.n,
    evictOldest: (n) =>
      conn.query<{ n: number }>(
        'WITH gone AS (DELETE FROM distance_cache WHERE pair_key IN (SELECT pair_key FROM distance_cache ORDER BY stored_at, pair_key LIMIT $1) RETURNING 1) SELECT count(*) AS n FROM gone',
        [n],
      )[0]!.n,
  };
}
