/**
 * The SQLite file, as drizzle tables. The daemon is its only writer, except for the API's
 * tiny writes (track, ack, reset). Names of tables and columns are relied on by tools and
 * checks: change them only with a migration and a note.
 *
 * Times are epoch milliseconds (INTEGER). `version` columns hold the `meta.version` at which a
 * projection row last changed, so the API can send only what is newer than a client has seen.
 * `student_state`, `run` and `episode` are a pure function of `vex_log` (rebuildable);
 * `trigger_event` also depends on the clock and on researchers' acks.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Append-only mirror of the source's events for tracked students. `id` is the global position. */
export const vexLog = sqliteTable(
  'vex_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** The source's event id, as `sourceEventKey(id)` (numbers and strings kept apart). */
    sourceEventId: text('source_event_id').notNull().unique(),
    studentId: text('student_id').notNull(),
    type: text('type').notNull(),
    ts: integer('ts').notNull(),
    /** The event's `data`, as JSON text, untouched. */
    data: text('data').notNull(),
    ingestedAt: integer('ingested_at').notNull(),
  },
  (t) => [index('vex_log_student_ts').on(t.studentId, t.ts, t.id)],
);

/** Where the drain resumes: one row (id = 1), moved only after a drain is committed. */
export const cursor = sqliteTable('cursor', {
  id: integer('id').primaryKey(),
  lastEventTime: integer('last_event_time'),
  lastSourceId: text('last_source_id'),
  updatedAt: integer('updated_at').notNull(),
});

/** The allowlist of students whose events are mirrored. */
export const trackedStudent = sqliteTable('tracked_student', {
  studentId: text('student_id').primaryKey(),
  addedAt: integer('added_at').notNull(),
  /** When the one-time backfill of recent history finished; null until then. */
  backfilledAt: integer('backfilled_at'),
});

/** The mirrored roster (all students of the source, tracked or not). */
export const studentDirectory = sqliteTable(
  'student_directory',
  {
    studentId: text('student_id').primaryKey(),
    displayName: text('display_name').notNull(),
    classroom: text('classroom').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [index('student_directory_name').on(t.displayName)],
);

/** One row per tracked student: the card on the dashboard. */
export const studentState = sqliteTable('student_state', {
  studentId: text('student_id').primaryKey(),
  /** 0 iterator, 1 explorer, 2 stuck; null before the first run. */
  state: integer('state'),
  stateSince: integer('state_since'),
  lastEventAt: integer('last_event_at'),
  lastRunAt: integer('last_run_at'),
  runCount: integer('run_count').notNull().default(0),
  sessionOpen: integer('session_open', { mode: 'boolean' }).notNull().default(false),
  stuckStreakRuns: integer('stuck_streak_runs').notNull().default(0),
  stuckStreakStartedAt: integer('stuck_streak_started_at'),
  platform: text('platform'),
  project: text('project'),
  /** The current program as pseudo-code, and the playground prompt (the API does no inference). */
  pseudocode: text('pseudocode'),
  prompt: text('prompt'),
  /** Recent change scores, JSON array, for the sparkline. */
  recentScores: text('recent_scores').notNull().default('[]'),
  version: integer('version').notNull(),
});

/** One row per runProject of a tracked student. */
export const run = sqliteTable(
  'run',
  {
    studentId: text('student_id').notNull(),
    runIndex: integer('run_index').notNull(),
    sourceEventId: text('source_event_id').notNull(),
    ts: integer('ts').notNull(),
    project: text('project'),
    astSize: integer('ast_size'),
    treeHash: text('tree_hash'),
    distance: integer('distance'),
    score: real('score'),
    bucket: integer('bucket'),
    state: integer('state').notNull(),
    /** Posterior of [iterator, explorer, stuck], JSON. */
    posterior: text('posterior').notNull(),
    parseError: text('parse_error'),
    version: integer('version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.studentId, t.runIndex] }), index('run_version').on(t.version)],
);

/** Work episodes of a student (see @lmdash/inference, segmentEpisodes). */
export const episode = sqliteTable(
  'episode',
  {
    studentId: text('student_id').notNull(),
    episodeIndex: integer('episode_index').notNull(),
    start: integer('start').notNull(),
    end: integer('end').notNull(),
    project: text('project'),
    endReason: text('end_reason').notNull(),
    /** { events, runs, edits, stops, errors, parseErrors }, JSON. */
    counts: text('counts').notNull(),
    /** { iterator, explorer, stuck } run counts, JSON. */
    stateMix: text('state_mix').notNull(),
    longestStuckStreak: integer('longest_stuck_streak').notNull(),
    netChange: integer('net_change'),
    version: integer('version').notNull(),
  },
  (t) => [primaryKey({ columns: [t.studentId, t.episodeIndex] }), index('episode_version').on(t.version)],
);

/** Alerts: sustained (wheel-spin, inactive) and momentary (big rewrite). */
export const triggerEvent = sqliteTable(
  'trigger_event',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    studentId: text('student_id').notNull(),
    kind: text('kind', { enum: ['wheelspin', 'inactive', 'big_rewrite'] }).notNull(),
    status: text('status', { enum: ['open', 'acked', 'resolved'] }).notNull(),
    /** When the condition began (e.g. the first run of the stuck streak), not when it was noticed. */
    startedAt: integer('started_at').notNull(),
    openedAt: integer('opened_at').notNull(),
    ackedAt: integer('acked_at'),
    ackNote: text('ack_note'),
    resolvedAt: integer('resolved_at'),
    /** The run a momentary trigger belongs to (dedupes big rewrites across restarts). */
    runIndex: integer('run_index'),
    /** Set when this alert re-opens an acked one whose condition still held. */
    reopenedFrom: integer('reopened_from'),
    detail: text('detail').notNull().default('{}'),
    version: integer('version').notNull(),
  },
  (t) => [
    index('trigger_status').on(t.status, t.kind),
    index('trigger_student').on(t.studentId, t.kind, t.status),
    index('trigger_version').on(t.version),
    uniqueIndex('trigger_once_per_run').on(t.studentId, t.kind, t.runIndex).where(sql`${t.runIndex} IS NOT NULL`),
  ],
);

/**
 * What local producers published (`POST /publish`), written by the API alone so that a
 * dashboard opened later, or after an API restart, starts warm. The API keeps the latest event
 * per (type, name) — for `series` and `note`, the latest few hundred — and prunes the rest.
 * `id` is the order of arrival (the stream's `seq`).
 */
export const publishedEvent = sqliteTable(
  'published_event',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    type: text('type').notNull(),
    /** The event's `name`, or '' for types without one. */
    name: text('name').notNull(),
    receivedAt: integer('received_at').notNull(),
    /** The whole event, JSON. */
    body: text('body').notNull(),
  },
  (t) => [index('published_event_type_name').on(t.type, t.name, t.id)],
);

/**
 * Exact tree edit distances already computed, keyed as `changeScore` keys them: the two trees'
 * content hashes, `prevHash + '>' + nextHash`. A cache, not part of the projection: it depends
 * only on the two programs (not on the model, the bounds or the log), so a restart or a rebuild
 * never recomputes a known pair, and deleting any rows (or all) only costs recomputation. Written
 * by the daemon alone; bounded by LMDASH_DISTANCE_CACHE_ROWS, the oldest rows (lowest rowid)
 * evicted first.
 */
export const distanceCache = sqliteTable('distance_cache', {
  pairKey: text('pair_key').primaryKey(),
  distance: integer('distance').notNull(),
  storedAt: integer('stored_at').notNull(),
});

/**
 * What parsing a run's program gave (`ParsedProgram` without the tree: tree hash, size,
 * metadata, shape; or the parse error), keyed by a hash of the program text, the program bounds
 * and the parser's version (`summaryKey` in the daemon). A cache, not part of the projection, as
 * `distance_cache`: a restart or a rebuild reads it instead of parsing every program again, and
 * deleting any rows (or all) only costs parsing. `summary` is JSON; a row that does not read as
 * one is a miss. Bounded by LMDASH_PROGRAM_SUMMARY_ROWS, the oldest rows (lowest rowid) evicted first.
 */
export const programSummary = sqliteTable('program_summary', {
  programKey: text('program_key').primaryKey(),
  summary: text('summary').notNull(),
  storedAt: integer('stored_at').notNull(),
});

/** One row (id = 1): change counter, reset epoch, daemon health. */
export const meta = sqliteTable('meta', {
  id: integer('id').primaryKey(),
  /** Bumped in the same transaction as every projection change; the API watches it. */
  version: integer('version').notNull().default(0),
  /** Bumped by a reset: a client on an older epoch needs a fresh snapshot. */
  epoch: integer('epoch').notNull().default(0),
  resetRequestedAt: integer('reset_requested_at'),
  health: text('health', { enum: ['unknown', 'healthy', 'unhealthy'] }).notNull().default('unknown'),
  healthChangedAt: integer('health_changed_at'),
  lastError: text('last_error'),
  heartbeatAt: integer('heartbeat_at'),
  /** Ticks run since the daemon started, and the duration of the last one (for /metrics). */
  tickCount: integer('tick_count').notNull().default(0),
  lastTickMs: real('last_tick_ms'),
  /** When a drain last reached the end of the source: the mirror's lag is now minus this. */
  caughtUpAt: integer('caught_up_at'),
  /** Identity of the HMM that decoded the projection (a hash of its parameters). */
  modelHash: text('model_hash'),
});

/** The key under which a source event id is stored: numbers and strings never collide. */
export function sourceEventKey(id: number | string): string {
  return typeof id === 'number' ? String(id) : `s:${id}`;
}
