/**
 * The distance cache (`distance_cache`) on SQLite. The oldest rows are those with the lowest
 * rowid: a TEXT primary key keeps SQLite's implicit rowid, which grows with each insert.
 */
import type { Database } from 'bun:sqlite';
import type { DistanceStore } from '../port.ts';

export function sqliteDistances(sqlite: Database): DistanceStore {
  // Not prepared ahead: the table may be dropped by hand, and a read must then fail alone.
  return {
    read: (pairKey) => (sqlite.query('SELECT distance FROM distance_cache WHERE pair_key = ?').get(pairKey) as { distance: number } | null)?.distance ?? null,
    write(entries, now) {
      const insert = sqlite.query('INSERT OR REPLACE INTO distance_cache (pair_key, distance, stored_at) VALUES (?, ?, ?)');
      sqlite.transaction(() => {
        for (const [key, distance] of entries) insert.run(key, distance, now);
      })();
    },
    count: () => (sqlite.query('SELECT count(*) AS n FROM distance_cache').get() as { n: number }).n,
    evictOldest: (n) => sqlite.query('DELETE FROM distance_cache WHERE rowid IN (SELECT rowid FROM distance_cache ORDER BY rowid LIMIT ?)').run(n).changes,
  };
}
