/**
 * The program summaries (`program_summary`) on SQLite. The oldest rows are those with the lowest
 * rowid, as in `distance_cache`.
 */
import type { Database } from 'bun:sqlite';
import type { ProgramSummaryStore } from '../port.ts';

/** Keys read per statement (well under SQLite's bound on host parameters). */
const READ_CHUNK = 500;

export function sqliteProgramSummaries(sqlite: Database): ProgramSummaryStore {
  // Not prepared ahead: the table may be dropped by hand, and a read must then fail alone.
  return {
    readMany(keys) {
      const found = new Map<string, string>();
      for (let i = 0; i < keys.length; i += READ_CHUNK) {
        const chunk = keys.slice(i, i + READ_CHUNK);
        const rows = sqlite.query(`SELECT program_key AS k, summary AS s FROM program_summary WHERE program_key IN (${chunk.map(() => '?').join(',')})`).all(...chunk) as { k: string; s: string }[];
        for (const r of rows) found.set(r.k, r.s);
      }
      return found;
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
