/**
 * The program summaries (`program_summary`) on SQLite. The oldest rows are those with the lowest
 * rowid, as in `distance_cache`.
 */
import type { Database } from 'bun:sqlite';
import type { ProgramSummaryStore } from '../port.ts';

export function sqliteProgramSummaries(sqlite: Database): ProgramSummaryStore {
  // Not prepared ahead: the table may be dropped by hand, and a read must then fail alone.
  return {
    readMany(keys) {
      // One statement whatever the number of keys (a list of ? would make one per length).
      const rows = sqlite.query('SELECT program_key AS k, summary AS s FROM program_summary WHERE program_key IN (SELECT value FROM json_each(?))').all(JSON.stringify(keys)) as { k: string; s: string }[];
      return new Map(rows.map((r) => [r.k, r.s]));
    },
    write(entries, now) {
      const insert = sqlite.query('INSERT OR REPLACE INTO program_summary (program_key, summary, stored_at) VALUES (?, ?, ?)');
      sqlite.transaction(() => {
        for (const [key, summary] of entries) insert.run(key, summary, now);
      })();
    },
    count: () => (sqlite.query('SELECT count(*) AS n FROM program_summary').get() as { n: number }).n,
    evictOldest: (n) => sqlite.query('DELETE FROM program_summary WHERE rowid IN (SELECT rowid FROM program_summary ORDER BY rowid LIMIT ?)').run(n).changes,
  };
}
