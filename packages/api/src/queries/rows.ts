/**
 * Runs, episodes and alerts, mapped from their SQLite rows to the wire rows (`@lmdash/core`
 * dashboard.ts): JSON columns parsed, internal columns (tree hashes, source ids) left out.
 */
import type { EpisodeRow, RunRow, StrategyState, TriggerRow } from '@lmdash/core/wire';
import type { Database } from 'bun:sqlite';
import { parseJson } from './json.ts';

const RUN_COLUMNS = `student_id AS studentId, run_index AS runIndex, ts, project, ast_size AS astSize, distance, score, bucket,
  state, posterior, parse_error AS parseError, version`;
const EPISODE_COLUMNS = `student_id AS studentId, episode_index AS episodeIndex, start, "end", project, end_reason AS endReason,
  counts, state_mix AS stateMix, longest_stuck_streak AS longestStuckStreak, net_change AS netChange, version`;
const TRIGGER_COLUMNS = `id, student_id AS studentId, kind, status, started_at AS startedAt, opened_at AS openedAt, acked_at AS ackedAt,
  ack_note AS ackNote, resolved_at AS resolvedAt, run_index AS runIndex, reopened_from AS reopenedFrom, detail, version`;

type Raw<T, K extends keyof T> = Omit<T, K> & { [P in K]: string };

const toRun = (r: Raw<RunRow, 'posterior'>): RunRow => ({ ...r, state: r.state as StrategyState, posterior: parseJson<number[]>(r.posterior, []) });
const toEpisode = (r: Raw<EpisodeRow, 'counts' | 'stateMix'>): EpisodeRow => ({
  ...r,
  counts: parseJson<Record<string, number>>(r.counts, {}),
  stateMix: parseJson<EpisodeRow['stateMix']>(r.stateMix, { iterator: 0, explorer: 0, stuck: 0 }),
});
const toTrigger = (r: Raw<TriggerRow, 'detail'>): TriggerRow => ({ ...r, detail: parseJson<Record<string, unknown>>(r.detail, {}) });

/** Tracked students only: rows of an untracked student are not sent. */
const TRACKED = `student_id IN (SELECT student_id FROM tracked_student)`;

/** A student's most recent runs, oldest first. */
export function recentRuns(sqlite: Database, studentId: string, limit: number): RunRow[] {
  const rows = sqlite.query(`SELECT ${RUN_COLUMNS} FROM run WHERE student_id = ? ORDER BY run_index DESC LIMIT ?`).all(studentId, limit) as Raw<RunRow, 'posterior'>[];
  return rows.reverse().map(toRun);
}

/** A student's most recent episodes, oldest first. */
export function recentEpisodes(sqlite: Database, studentId: string, limit: number): EpisodeRow[] {
  const rows = sqlite.query(`SELECT ${EPISODE_COLUMNS} FROM episode WHERE student_id = ? ORDER BY episode_index DESC LIMIT ?`).all(studentId, limit) as Raw<EpisodeRow, 'counts' | 'stateMix'>[];
  return rows.reverse().map(toEpisode);
}

/** Tracked students' runs changed after `version`. */
export function runsSince(sqlite: Database, version: number): RunRow[] {
  const rows = sqlite.query(`SELECT ${RUN_COLUMNS} FROM run WHERE version > ? AND ${TRACKED} ORDER BY student_id, run_index`).all(version) as Raw<RunRow, 'posterior'>[];
  return rows.map(toRun);
}

/** Tracked students' episodes changed after `version`. */
export function episodesSince(sqlite: Database, version: number): EpisodeRow[] {
  const rows = sqlite.query(`SELECT ${EPISODE_COLUMNS} FROM episode WHERE version > ? AND ${TRACKED} ORDER BY student_id, episode_index`).all(version) as Raw<EpisodeRow, 'counts' | 'stateMix'>[];
  return rows.map(toEpisode);
}

/** Students with any projection row (card, run, episode) changed after `version`. */
export function studentsChangedSince(sqlite: Database, version: number): Set<string> {
  const rows = sqlite
    .query(`SELECT student_id AS id FROM student_state WHERE version > ?1 UNION SELECT student_id FROM run WHERE version > ?1 UNION SELECT student_id FROM episode WHERE version > ?1`)
    .all(version) as { id: string }[];
  return new Set(rows.map((r) => r.id));
}

/** Alerts changed after `version`, by id. */
export function triggersSince(sqlite: Database, version: number): TriggerRow[] {
  return (sqlite.query(`SELECT ${TRIGGER_COLUMNS} FROM trigger_event WHERE version > ? ORDER BY id`).all(version) as Raw<TriggerRow, 'detail'>[]).map(toTrigger);
}

/** One alert, or null. */
export function triggerById(sqlite: Database, id: number): TriggerRow | null {
  const r = sqlite.query(`SELECT ${TRIGGER_COLUMNS} FROM trigger_event WHERE id = ?`).get(id) as Raw<TriggerRow, 'detail'> | null;
  return r ? toTrigger(r) : null;
}

/** A student's alerts, newest first. */
export function triggersOfStudent(sqlite: Database, studentId: string, limit: number): TriggerRow[] {
  return (sqlite.query(`SELECT ${TRIGGER_COLUMNS} FROM trigger_event WHERE student_id = ? ORDER BY id DESC LIMIT ?`).all(studentId, limit) as Raw<TriggerRow, 'detail'>[]).map(toTrigger);
}

/** Alerts by status (all when null), newest first. */
export function triggersByStatus(sqlite: Database, status: TriggerRow['status'] | null, limit: number): TriggerRow[] {
  const rows =
    status === null
      ? sqlite.query(`SELECT ${TRIGGER_COLUMNS} FROM trigger_event ORDER BY id DESC LIMIT ?`).all(limit)
      : sqlite.query(`SELECT ${TRIGGER_COLUMNS} FROM trigger_event WHERE status = ? ORDER BY id DESC LIMIT ?`).all(status, limit);
  return (rows as Raw<TriggerRow, 'detail'>[]).map(toTrigger);
}

/** What a snapshot carries: open and acked alerts, and those resolved since `resolvedAfter`, by id. */
export function liveTriggerRows(sqlite: Database, resolvedAfter: number): TriggerRow[] {
  const rows = sqlite.query(`SELECT ${TRIGGER_COLUMNS} FROM trigger_event WHERE status != 'resolved' OR resolved_at >= ? ORDER BY id`).all(resolvedAfter);
  return (rows as Raw<TriggerRow, 'detail'>[]).map(toTrigger);
}
