/**
 * The API's reads on PostgreSQL: cards (the allowlist joined with the projection and the
 * roster), runs, episodes and alerts, by student or changed after a version. Rows come back in
 * their drizzle shape (`rows.ts`), JSON columns as stored; text keys sort in byte order
 * (`COLLATE "C"`), as SQLite sorts them.
 */
import { episode, run, triggerEvent } from '../../db/postgres/schema.ts';
import type { ReadStore } from '../port.ts';
import type { AlertRecord, EpisodeRecord, EpisodeSpan, StoredCard, WireRunRecord } from '../rows.ts';
import { selectList } from './columns.ts';
import type { PgConnection } from './connection.ts';

const CARD_COLUMNS = `ids.student_id AS "studentId", d.display_name AS "displayName", d.classroom AS classroom,
  s.state AS state, s.state_since AS "stateSince", s.last_event_at AS "lastEventAt", s.last_run_at AS "lastRunAt",
  s.run_count AS "runCount", s.session_open AS "sessionOpen", s.stuck_streak_runs AS "stuckStreakRuns",
  s.stuck_streak_started_at AS "stuckStreakStartedAt", s.platform AS platform, s.project AS project,
  s.recent_scores AS "recentScores", s.version AS version,
  (SELECT r.parse_error FROM run r WHERE r.student_id = ids.student_id ORDER BY r.run_index DESC LIMIT 1) AS "lastRunError"`;
const CARD_JOINS = `LEFT JOIN student_state s ON s.student_id = ids.student_id LEFT JOIN student_directory d ON d.student_id = ids.student_id`;
const TRACKED_CARDS = `SELECT ${CARD_COLUMNS} FROM tracked_student ids ${CARD_JOINS} ORDER BY ids.student_id COLLATE "C"`;
const SOME_CARDS = `SELECT ${CARD_COLUMNS} FROM (SELECT DISTINCT unnest($1::text[]) AS student_id) ids ${CARD_JOINS} ORDER BY ids.student_id COLLATE "C"`;

const RUN_COLUMNS = selectList(run, { omit: ['sourceEventId', 'treeHash'] });
const EPISODE_COLUMNS = selectList(episode);
const ALERT_COLUMNS = selectList(triggerEvent);
const SPAN_COLUMNS = selectList(episode, { keys: ['studentId', 'start', 'end', 'endReason'] });

/** Tracked students only: rows of an untracked student are not sent. */
const TRACKED = `student_id IN (SELECT student_id FROM tracked_student)`;
const BY_STUDENT = (index: string) => `ORDER BY student_id COLLATE "C", ${index}`;

export function postgresReads(conn: PgConnection): ReadStore {
  return {
    cards(ids) {
      if (ids !== null && ids.length === 0) return [];
      return ids === null ? conn.query<StoredCard>(TRACKED_CARDS) : conn.query<StoredCard>(SOME_CARDS, [[...ids]]);
    },
    episodeSpans: (ids) =>
      ids === null
        ? conn.query<EpisodeSpan>(`SELECT ${SPAN_COLUMNS} FROM episode WHERE ${TRACKED} ${BY_STUDENT('episode_index')}`)
        : conn.query<EpisodeSpan>(`SELECT ${SPAN_COLUMNS} FROM episode WHERE student_id = ANY($1::text[]) ${BY_STUDENT('episode_index')}`, [[...ids]]),
    ribbon: (studentId, since, limit) =>
      conn.query<{ ts: number; state: number }>('SELECT ts, state FROM run WHERE student_id = $1 AND ts >= $2 ORDER BY run_index DESC LIMIT $3', [studentId, since, limit]).reverse(),

    recentRuns: (studentId, limit) => conn.query<WireRunRecord>(`SELECT ${RUN_COLUMNS} FROM run WHERE student_id = $1 ORDER BY run_index DESC LIMIT $2`, [studentId, limit]).reverse(),
    recentEpisodes: (studentId, limit) =>
      conn.query<EpisodeRecord>(`SELECT ${EPISODE_COLUMNS} FROM episode WHERE student_id = $1 ORDER BY episode_index DESC LIMIT $2`, [studentId, limit]).reverse(),
    runsSince: (version) => conn.query<WireRunRecord>(`SELECT ${RUN_COLUMNS} FROM run WHERE version > $1 AND ${TRACKED} ${BY_STUDENT('run_index')}`, [version]),
    episodesSince: (version) => conn.query<EpisodeRecord>(`SELECT ${EPISODE_COLUMNS} FROM episode WHERE version > $1 AND ${TRACKED} ${BY_STUDENT('episode_index')}`, [version]),
    studentsChangedSince: (version) =>
      new Set(
        conn
          .query<{ id: string }>('SELECT student_id AS id FROM student_state WHERE version > $1 UNION SELECT student_id FROM run WHERE version > $1 UNION SELECT student_id FROM episode WHERE version > $1', [
            version,
          ])
          .map((r) => r.id),
      ),
    rowsChangedSince: (version) =>
      conn.query<{ n: number }>(
        'SELECT (SELECT count(*) FROM run WHERE version > $1) + (SELECT count(*) FROM episode WHERE version > $1) + (SELECT count(*) FROM trigger_event WHERE version > $1) AS n',
        [version],
      )[0]!.n,

    alertsSince: (version) => conn.query<AlertRecord>(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE version > $1 ORDER BY id`, [version]),
    alertById: (id) => conn.query<AlertRecord>(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE id = $1`, [id])[0] ?? null,
    alertsOfStudent: (studentId, limit) => conn.query<AlertRecord>(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE student_id = $1 ORDER BY id DESC LIMIT $2`, [studentId, limit]),
    alertsByStatus: (status, limit) =>
      status === null
        ? conn.query<AlertRecord>(`SELECT ${ALERT_COLUMNS} FROM trigger_event ORDER BY id DESC LIMIT $1`, [limit])
        : conn.query<AlertRecord>(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE status = $1 ORDER BY id DESC LIMIT $2`, [status, limit]),
    liveAlerts: (resolvedAfter) => conn.query<AlertRecord>(`SELECT ${ALERT_COLUMNS} FROM trigger_event WHERE status != 'resolved' OR resolved_at >= $1 ORDER BY id`, [resolvedAfter]),

    presence: (studentId) =>
      conn.query<{ tracked: boolean; projected: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM tracked_student WHERE student_id = $1) AS tracked, EXISTS (SELECT 1 FROM student_state WHERE student_id = $1) AS projected',
        [studentId],
      )[0]!,
    texts: (studentId) => conn.query<{ pseudocode: string | null; prompt: string | null }>('SELECT pseudocode, prompt FROM student_state WHERE student_id = $1', [studentId])[0] ?? null,
  };
}
