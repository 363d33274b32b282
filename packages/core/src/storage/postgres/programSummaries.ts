/**
 * The program summaries (`program_summary`) on PostgreSQL. "Oldest" is the lowest `stored_at`,
 * then `program_key` (indexed), as in `distance_cache`.
 */
import type { ProgramSummaryStore } from '../port.ts';
import type { PgConnection } from './connection.ts';

const WRITE = `INSERT INTO program_summary (program_key, summary, stored_at) SELECT k, s, $3 FROM unnest($1::text[], $2::text[]) AS e(k, s)
  ON CONFLICT (program_key) DO UPDATE SET summary = EXCLUDED.summary, stored_at = EXCLUDED.stored_at`;

export function postgresProgramSummaries(conn: PgConnection): ProgramSummaryStore {
  return {
    readMany(keys) {
      const found = new Map<string, string>();
      if (keys.length === 0) return found;
      for (const r of conn.query<{ k: string; s: string }>('SELECT program_key AS k, summary AS s FROM program_summary WHERE program_key = ANY($1::text[])', [keys])) found.set(r.k, r.s);
      return found;
    },
    write(entries, now) {
      if (entries.size === 0) return;
      conn.query(WRITE, [[...entries.keys()], [...entries.values()], now]); // one statement: atomic
    },
    count: () => conn.query<{ n: number }>('SELECT count(*) AS n FROM program_summary')[0]!.n,
    evictOldest: (n) =>
      conn.query<{ n: number }>(
        'WITH gone AS (DELETE FROM program_summary WHERE program_key IN (SELECT program_key FROM program_summary ORDER BY stored_at, program_key LIMIT $1) RETURNING 1) SELECT count(*) AS n FROM gone',
        [n],
      )[0]!.n,
  };
}
