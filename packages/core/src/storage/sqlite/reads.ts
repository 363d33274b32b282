/**
 * The API's reads on SQLite: cards (the allowlist joined with the projection and the roster),
 * runs, episodes and alerts, by student or changed after a version. Rows come back in their
 * drizzle shape (`rows.ts`), JSON columns as stored: the API maps them to the wire.
 */
import type { Database } from 'bun:sqlite';
import type { ReadStore } from '../port.ts';
import type { AlertRecord, EpisodeRecord, EpisodeSpan, StoredCard, WireRunRecord } from '../rows.ts';

const CARD_COLUMNS = `ids.student_id AS studentId, d.display_name AS displayName, d.classroom AS classroom,
  s.state AS state, s.state_since AS stateSince, s.last_event_at AS lastEventAt, s.last_run_at AS lastRunAt,
  s.run_count AS runCount, s.session_open AS sessionOpen, s.stuck_streak_runs AS stuckStreakRuns,
  s.stuck_streak_started_at AS stuckStreakStartedAt, s.platform AS platform, s.project AS project,
  s.recent_scores AS recentScores, s.version AS version,
  (SELECT r.parse_error FROM run r WHERE r.student_id = ids.student_id ORDER BY r.run_index DESC LIMIT 1) AS lastRunError`;
const CARD_JOINS = `LEFT JOIN student_state s ON s.student_id = ids.student_id LEFT JOIN student_directory d ON d.student_id = ids.student_id`;
const TRACKED_CARDS = `SELECT ${CARD_COLUMNS} FROM tracked_student ids ${CARD_JOINS} ORDER BY ids.student_id`;
const SOME_CARDS = `SELECT ${CARD_COLUMNS} FROM (SELECT DISTINCT value AS student_id FROM json_each(?)) ids ${CARD_JOINS} ORDER BY ids.student_id`;

const RUN_COLUMNS = `student_id AS studentId, run_index AS runIndex, ts, project, ast_size AS astSize, distance, score, bucket,
  state, posterior, parse_error AS parseError, version`;
const EPISODE_COLUMNS = `student_id AS studentId, episode_index AS episodeIndex, start, "end", project, end_reason AS endReason,
  counts, state_mix AS stateMix, longest_stuck_streak AS longestStuckStreak, net_change AS netChange, version`;
const ALERT_COLUMNS = `id, student_id AS studentId, kind, status, started_at AS startedAt, opened_at AS openedAt, acked_at AS ackedAt,
  ack_note AS ackNote, resolved_at AS resolvedAt, run_index AS runIndex, reopened_from AS reopenedFrom, detail, version`;
const SPAN_COLUMNS = `student_id AS studentId, start, "end", end_reason AS endReason`;

/** Tracked students only: rows of an untracked student are not sent. */
const TRACKED = `student_id IN (SELECT student_id FROM tracked_student)`;

/** Binds a list of ids as one parameter (`json_each(?)`). */
const idList = (ids: Iterable<string>): string => JSON.stringify([...ids]);

export function sqliteReads(sqlite: Database): ReadStore {
  return {
    cards(ids) {
      if (ids !== null && ids.length === 0) return [];
      const rows = (ids === null ? sqlite.query(TRACKED_CARDS).all() : sqlite.query(SOME_CARDS).all(idList(ids))) as (Omit<StoredCard, 'sessionOpen'> & { sessionOpen: number | null })[];
      return rows.map((r) => ({ ...r, sessionOpen: r.sessionOpen === null ? null : r.sessionOpen === 1 }));
    },
    episodeSpans: (ids) =>
      (ids === null
        ? sqlite.query(`SELECT ${SPAN_COLUMNS} FROM episode WHERE ${TRACKED} ORDER BY student_id, episode_index`).all()
        : sqlite.query(`SELECT ${SPAN_COLUMNS} FROM episode WHERE student_id IN (SELECT value FROM json_each(?)) ORDER BY student_id, episode_index`).all(idList(ids))) as EpisodeSpan[],
    ribbon: (studentId, since, limit) =>
      (sqlite.query('SELECT ts, state FROM run WHERE student_id = ? AND ts >= ? ORDER BY run_index DESC LIMIT ?').all(studentId, since, limit) as { ts: number; state: number }[]).reverse(),

    recentRuns: (studentId, limit) => (sqlite.query(`SELECT ${RUN_COLUMNS} FROM run WHERE student_id = ? ORDER BY run_index DESC LIMIT ?`).all(studentId, limit) as WireRunRecord[]).reverse(),
    recentEpisodes: (studentId, limit) =>
      (sqlite.query(`SELECT ${EPISODE_COLUMNS} FROM episode WHERE student_id = ? ORDER BY episode_index DESC LIMIT ?`).all(studentId, limit) as EpisodeRecord[]).reverse(),
    runsSince: (version) => sqlite.query(`SELECT ${RUN_COLUMNS} FROM run WHERE version > ? AND ${TRACKED} ORDER BY student_id, run_index`).all(version) as WireRunRecord[],
    episodesSince: (version) => sqlite.query(`SELECT ${EPISODE_COLUMNS} FROM episode WHERE version > ? AND ${TRACKED} ORDER BY student_id, episode_index`).all(version) as EpisodeRecord[],
    studentsChangedSince: (version) =>
      new Set(
        (
          sqlite
            .query(`SELECT student_id AS id FROM student_state WHERE version > ?1 UNION SELECT student_id FROM run WHERE version > ?1 UNION SELECT student_id FROM episode WHERE version > ?1`)
            .all(version) as { id: string }[]
        ).map((r) => r.id),
      ),
    rowsChangedSince: (version) =>
      (
        sqlite
          .query(`SELECT (SELECT COUNT(*) FROM run WHERE version > ?1) + (SELECT COUNT(*) FROM episode WHERE version > ?1) + (SELECT COUNT(*) FROM trigger_event WHERE version > ?1) AS n`)
          .get(version) as { n: number }
      ).n,

    alertsSince: (version) => sqlite.query(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE version > ? ORDER BY id`).all(version) as AlertRecord[],
    alertById: (id) => sqlite.query(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE id = ?`).get(id) as AlertRecord | null,
    alertsOfStudent: (studentId, limit) => sqlite.query(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE student_id = ? ORDER BY id DESC LIMIT ?`).all(studentId, limit) as AlertRecord[],
    alertsByStatus: (status, limit) =>
      (status === null
        ? sqlite.query(`SELECT ${ALERT_COLUMNS} FROM trigger_event ORDER BY id DESC LIMIT ?`).all(limit)
        : sqlite.query(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE status = ? ORDER BY id DESC LIMIT ?`).all(status, limit)) as AlertRecord[],
    liveAlerts: (resolvedAfter) => sqlite.query(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE status != 'resolved' OR resolved_at >= ? ORDER BY id`).all(resolvedAfter) as AlertRecord[],

    presence(studentId) {
      const r = sqlite.query('SELECT (SELECT 1 FROM tracked_student WHERE student_id = ?1) AS tracked, (SELECT 1 FROM student_state WHERE student_id = ?1) AS projected').get(studentId) as {
        tracked: number | null;
        projected: number | null;
      };
      return { tracked: r.tracked === 1, projected: r.projected === 1 };
    },
    texts: (studentId) => sqlite.query('SELECT pseudocode, prompt FROM student_state WHERE student_id = ?').get(studentId) as { pseudocode: string | null; prompt: string | null } | null,
  };
}
