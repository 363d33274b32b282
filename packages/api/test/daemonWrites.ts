/**
 * Writes as the daemon makes them (roster, cards, runs, episodes, alerts, one `meta.version`
 * bump per write), small enough to read in a test, and the temporary database they go to. Used
 * in process by the `.int` tests and by `writer.ts`, the child process the `.e2e` tests drive.
 */
import { openDatabase, type OpenedDatabase } from '@lmdash/core';
import type { Database } from 'bun:sqlite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TempDb = OpenedDatabase & { path: string; dir: string; cleanup: () => void };

export function tempDb(): TempDb {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-api-'));
  const path = join(dir, 'lmdash.sqlite');
  const opened = openDatabase(path);
  return { ...opened, path, dir, cleanup: () => (opened.close(), rmSync(dir, { recursive: true, force: true })) };
}

export type RunSpec = { ts: number; state: 0 | 1 | 2; score?: number | null; distance?: number | null };
export type EpisodeSpec = { start: number; end: number; endReason: string; project?: string };

export type WriteOp =
  | { op: 'roster'; students: { id: string; name: string; classroom?: string }[]; track?: boolean }
  | { op: 'student'; id: string; runs: RunSpec[]; episodes?: EpisodeSpec[]; project?: string }
  | { op: 'trigger'; studentId: string; kind: 'wheelspin' | 'inactive' | 'big_rewrite'; at: number }
  | { op: 'resolve'; id: number; at: number }
  | { op: 'heartbeat'; at: number | null; health?: 'unknown' | 'healthy' | 'unhealthy' }
  | { op: 'bump' }
  | { op: 'reset'; at: number };

const bump = (sqlite: Database): number => (sqlite.query('UPDATE meta SET version = version + 1 WHERE id = 1 RETURNING version').get() as { version: number }).version;

/** Applies one write in one transaction; returns `meta` after it. */
export function applyWrite(sqlite: Database, w: WriteOp): { epoch: number; version: number; id?: number } {
  return sqlite.transaction(() => {
    let id: number | undefined;
    switch (w.op) {
      case 'roster':
        for (const s of w.students) {
          sqlite.query('INSERT OR REPLACE INTO student_directory (student_id, display_name, classroom, updated_at) VALUES (?, ?, ?, 0)').run(s.id, s.name, s.classroom ?? 'Period 3');
          if (w.track) sqlite.query('INSERT OR IGNORE INTO tracked_student (student_id, added_at, backfilled_at) VALUES (?, 0, 0)').run(s.id);
        }
        bump(sqlite);
        break;
      case 'student': {
        const v = bump(sqlite);
        const last = w.runs.at(-1);
        sqlite
          .query(
            `INSERT OR REPLACE INTO student_state (student_id, state, state_since, last_event_at, last_run_at, run_count, session_open, stuck_streak_runs, platform, project, pseudocode, prompt, recent_scores, version)
             VALUES (?, ?, ?, ?, ?, ?, 1, 0, 'IQ', ?, ?, ?, ?, ?)`,
          )
          .run(w.id, last?.state ?? null, last?.ts ?? null, last?.ts ?? null, last?.ts ?? null, w.runs.length, w.project ?? 'Drive Square', `when started\n  drive ${w.runs.length}`, `prompt of ${w.id}`, JSON.stringify(w.runs.map((r) => r.score ?? null).slice(-20)), v);
        const existing = new Map((sqlite.query('SELECT run_index AS i, ts, state FROM run WHERE student_id = ?').all(w.id) as { i: number; ts: number; state: number }[]).map((r) => [r.i, r]));
        w.runs.forEach((r, i) => {
          const old = existing.get(i);
          if (old && old.ts === r.ts && old.state === r.state) return;
          sqlite
            .query(`INSERT OR REPLACE INTO run (student_id, run_index, source_event_id, ts, project, ast_size, tree_hash, distance, score, bucket, state, posterior, parse_error, version) VALUES (?, ?, ?, ?, ?, 12, 'h', ?, ?, 1, ?, ?, NULL, ?)`)
            .run(w.id, i, `${w.id}-${i}`, r.ts, w.project ?? 'Drive Square', r.distance ?? null, r.score ?? null, r.state, JSON.stringify([0.8, 0.1, 0.1]), v);
        });
        (w.episodes ?? []).forEach((e, i) =>
          sqlite
            .query(`INSERT OR REPLACE INTO episode (student_id, episode_index, start, "end", project, end_reason, counts, state_mix, longest_stuck_streak, net_change, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, NULL, ?)`)
            .run(w.id, i, e.start, e.end, e.project ?? 'Drive Square', e.endReason, JSON.stringify({ events: 3, runs: 1 }), JSON.stringify({ iterator: 1, explorer: 0, stuck: 0 }), v),
        );
        break;
      }
      case 'trigger': {
        const v = bump(sqlite);
        id = (sqlite.query(`INSERT INTO trigger_event (student_id, kind, status, started_at, opened_at, detail, version) VALUES (?, ?, 'open', ?, ?, '{"runs":3}', ?) RETURNING id`).get(w.studentId, w.kind, w.at, w.at, v) as { id: number }).id;
        break;
      }
      case 'resolve':
        sqlite.query(`UPDATE trigger_event SET status = 'resolved', resolved_at = ?, version = ? WHERE id = ?`).run(w.at, bump(sqlite), w.id);
        break;
      case 'heartbeat':
        sqlite.query('UPDATE meta SET heartbeat_at = ?, health = COALESCE(?, health) WHERE id = 1').run(w.at, w.health ?? null);
        break;
      case 'bump':
        bump(sqlite);
        break;
      case 'reset':
        for (const t of ['vex_log', 'tracked_student', 'student_state', 'run', 'episode', 'trigger_event', 'published_event']) sqlite.run(`DELETE FROM ${t}`);
        sqlite.query('UPDATE meta SET epoch = epoch + 1, version = version + 1, reset_requested_at = ? WHERE id = 1').run(w.at);
        break;
    }
    const m = sqlite.query('SELECT epoch, version FROM meta WHERE id = 1').get() as { epoch: number; version: number };
    return id === undefined ? m : { ...m, id };
  }).immediate();
}

/** Ten students on the roster, the first three tracked with a few runs each. */
export function seedClass(sqlite: Database, at = 1_000_000): void {
  applyWrite(sqlite, { op: 'roster', students: Array.from({ length: 10 }, (_, i) => ({ id: `s-${i + 1}`, name: ['Ada L.', 'Ben K.', 'Cleo M.', 'Dev P.', 'Eli R.', 'Fay S.', 'Gus T.', 'Hana U.', 'Ivo V.', 'Jo W.'][i]! })) });
  sqlite.run(`INSERT INTO tracked_student (student_id, added_at, backfilled_at) VALUES ('s-1', 0, 0), ('s-2', 0, 0), ('s-3', 0, NULL)`);
  applyWrite(sqlite, { op: 'student', id: 's-1', runs: [{ ts: at, state: 0 }, { ts: at + 60_000, state: 0, score: 0.1 }, { ts: at + 120_000, state: 2, score: 0 }] });
  applyWrite(sqlite, { op: 'student', id: 's-2', runs: [{ ts: at, state: 1 }] });
}
