/**
 * Student cards: the tracked allowlist joined with the projection (`student_state`) and the
 * roster (`student_directory`), plus the state ribbon of the current session and the latest
 * run's parse error (why its program could not be analysed, read from `run`: no extra column).
 * A tracked student the daemon has not projected yet (backfill pending) gets a card with empty fields.
 */
import type { StrategyState, StudentCard } from '@lmdash/core/wire';
import type { Database } from 'bun:sqlite';
import { idList, parseJson } from './json.ts';

/** The ribbon shows at most this many runs. */
export const RIBBON_RUNS = 60;

type CardRow = Omit<StudentCard, 'displayName' | 'sessionOpen' | 'recentScores' | 'ribbon' | 'runCount' | 'stuckStreakRuns' | 'version' | 'state'> & {
  displayName: string | null;
  state: number | null;
  runCount: number | null;
  stuckStreakRuns: number | null;
  sessionOpen: number | null;
  recentScores: string | null;
  version: number | null;
};

const COLUMNS = `ids.student_id AS studentId, d.display_name AS displayName, d.classroom AS classroom,
  s.state AS state, s.state_since AS stateSince, s.last_event_at AS lastEventAt, s.last_run_at AS lastRunAt,
  s.run_count AS runCount, s.session_open AS sessionOpen, s.stuck_streak_runs AS stuckStreakRuns,
  s.stuck_streak_started_at AS stuckStreakStartedAt, s.platform AS platform, s.project AS project,
  s.recent_scores AS recentScores, s.version AS version,
  (SELECT r.parse_error FROM run r WHERE r.student_id = ids.student_id ORDER BY r.run_index DESC LIMIT 1) AS lastRunError`;
const JOINS = `LEFT JOIN student_state s ON s.student_id = ids.student_id LEFT JOIN student_directory d ON d.student_id = ids.student_id`;

const TRACKED_SQL = `SELECT ${COLUMNS} FROM tracked_student ids ${JOINS} ORDER BY ids.student_id`;
const SOME_SQL = `SELECT ${COLUMNS} FROM (SELECT DISTINCT value AS student_id FROM json_each(?)) ids ${JOINS} ORDER BY ids.student_id`;

/** How a session continues across episodes: a project switch, or a gap shorter than the session gap. */
export type SessionRule = { sessionGapMs: number };

/**
 * When each student's current session began: the start of their last episode, walked back over
 * episodes that a project switch or a short gap (not a sessionStart, a sessionEnd or a silence
 * longer than the session gap) separates. Students without episodes are absent.
 */
function sessionStarts(sqlite: Database, ids: string[] | null, rule: SessionRule): Map<string, number> {
  const rows = (
    ids === null
      ? sqlite.query(`SELECT student_id AS studentId, start, "end" AS e, end_reason AS endReason FROM episode WHERE student_id IN (SELECT student_id FROM tracked_student) ORDER BY student_id, episode_index`).all()
      : sqlite.query(`SELECT student_id AS studentId, start, "end" AS e, end_reason AS endReason FROM episode WHERE student_id IN (SELECT value FROM json_each(?)) ORDER BY student_id, episode_index`).all(idList(ids))
  ) as { studentId: string; start: number; e: number; endReason: string }[];
  const out = new Map<string, number>();
  let prev: (typeof rows)[number] | null = null;
  for (const r of rows) {
    const continues =
      prev !== null && prev.studentId === r.studentId && (prev.endReason === 'project-switch' || (prev.endReason === 'gap' && r.start - prev.e <= rule.sessionGapMs));
    if (!continues) out.set(r.studentId, r.start);
    prev = r;
  }
  return out;
}

function ribbon(sqlite: Database, studentId: string, since: number | undefined): StudentCard['ribbon'] {
  const rows = sqlite
    .query(`SELECT ts, state FROM run WHERE student_id = ? AND ts >= ? ORDER BY run_index DESC LIMIT ${RIBBON_RUNS}`)
    .all(studentId, since ?? Number.MIN_SAFE_INTEGER) as { ts: number; state: number }[];
  return rows.reverse().map((r) => ({ ts: r.ts, state: r.state as StrategyState }));
}

function toCard(sqlite: Database, r: CardRow, starts: Map<string, number>): StudentCard {
  return {
    studentId: r.studentId,
    displayName: r.displayName ?? r.studentId,
    classroom: r.classroom,
    state: r.state as StrategyState | null,
    stateSince: r.stateSince,
    lastEventAt: r.lastEventAt,
    lastRunAt: r.lastRunAt,
    runCount: r.runCount ?? 0,
    sessionOpen: r.sessionOpen === 1,
    stuckStreakRuns: r.stuckStreakRuns ?? 0,
    stuckStreakStartedAt: r.stuckStreakStartedAt,
    platform: r.platform,
    project: r.project,
    recentScores: parseJson<(number | null)[]>(r.recentScores, []),
    ribbon: r.version === null ? [] : ribbon(sqlite, r.studentId, starts.get(r.studentId)),
    lastRunError: r.lastRunError,
    version: r.version ?? 0,
  };
}

/** Every tracked student's card, by student id. */
export function trackedCards(sqlite: Database, rule: SessionRule): StudentCard[] {
  const rows = sqlite.query(TRACKED_SQL).all() as CardRow[];
  const starts = sessionStarts(sqlite, null, rule);
  return rows.map((r) => toCard(sqlite, r, starts));
}

/** The cards of these students (tracked or not; a caller filters), by student id. */
export function cardsOf(sqlite: Database, ids: Iterable<string>, rule: SessionRule): StudentCard[] {
  const list = [...ids];
  if (list.length === 0) return [];
  const rows = sqlite.query(SOME_SQL).all(idList(list)) as CardRow[];
  const starts = sessionStarts(sqlite, list, rule);
  return rows.map((r) => toCard(sqlite, r, starts));
}

/** The tracked students' ids. */
export function trackedIds(sqlite: Database): Set<string> {
  return new Set((sqlite.query('SELECT student_id AS id FROM tracked_student').all() as { id: string }[]).map((r) => r.id));
}
