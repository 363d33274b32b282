/**
 * The same tables as `db/schema.ts` (SQLite), for PostgreSQL: the same table and column names
 * and meaning, so the storage port's rows (`storage/rows.ts`, derived from the SQLite tables)
 * hold for both engines; `tablesAgree` below checks it at compile time.
 *
 * Types: times and other counters that may pass 2^31 are `bigint` read as JS numbers (epoch ms
 * fit in 2^53); ids are identity-like `bigserial`; JSON stays TEXT so dumps are byte-identical
 * across engines (jsonb would reorder keys and respace). Text sorts that must match SQLite's
 * byte order say `COLLATE "C"` in the queries, not here, so the database's default collation
 * can stay whatever the operator chose.
 */
import { sql } from 'drizzle-orm';
import { bigint, bigserial, boolean, doublePrecision, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core';
import type * as sqlite from '../schema.ts';

const epochMs = (name: string) => bigint(name, { mode: 'number' });

export const vexLog = pgTable(
  'vex_log',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    sourceEventId: text('source_event_id').notNull().unique(),
    studentId: text('student_id').notNull(),
    type: text('type').notNull(),
    ts: epochMs('ts').notNull(),
    data: text('data').notNull(),
    ingestedAt: epochMs('ingested_at').notNull(),
  },
  (t) => [index('vex_log_student_ts').on(t.studentId, t.ts, t.id)],
);

export const cursor = pgTable('cursor', {
  id: integer('id').primaryKey(),
  lastEventTime: epochMs('last_event_time'),
  lastSourceId: text('last_source_id'),
  updatedAt: epochMs('updated_at').notNull(),
});

export const trackedStudent = pgTable('tracked_student', {
  studentId: text('student_id').primaryKey(),
  addedAt: epochMs('added_at').notNull(),
  backfilledAt: epochMs('backfilled_at'),
});

export const studentDirectory = pgTable(
  'student_directory',
  {
    studentId: text('student_id').primaryKey(),
    displayName: text('display_name').notNull(),
    classroom: text('classroom').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  (t) => [index('student_directory_name').on(t.displayName)],
);

export const studentState = pgTable('student_state', {
  studentId: text('student_id').primaryKey(),
  state: integer('state'),
  stateSince: epochMs('state_since'),
  lastEventAt: epochMs('last_event_at'),
  lastRunAt: epochMs('last_run_at'),
  runCount: integer('run_count').notNull().default(0),
  sessionOpen: boolean('session_open').notNull().default(false),
  stuckStreakRuns: integer('stuck_streak_runs').notNull().default(0),
  stuckStreakStartedAt: epochMs('stuck_streak_started_at'),
  platform: text('platform'),
  project: text('project'),
  pseudocode: text('pseudocode'),
  prompt: text('prompt'),
  recentScores: text('recent_scores').notNull().default('[]'),
  version: bigint('version', { mode: 'number' }).notNull(),
});

export const run = pgTable(
  'run',
  {
    studentId: text('student_id').notNull(),
    runIndex: integer('run_index').notNull(),
    sourceEventId: text('source_event_id').notNull(),
    ts: epochMs('ts').notNull(),
    project: text('project'),
    astSize: integer('ast_size'),
    treeHash: text('tree_hash'),
    distance: integer('distance'),
    score: doublePrecision('score'),
    bucket: integer('bucket'),
    state: integer('state').notNull(),
    posterior: text('posterior').notNull(),
    parseError: text('parse_error'),
    version: bigint('version', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.studentId, t.runIndex] }), index('run_version').on(t.version)],
);

export const episode = pgTable(
  'episode',
  {
    studentId: text('student_id').notNull(),
    episodeIndex: integer('episode_index').notNull(),
    start: epochMs('start').notNull(),
    end: epochMs('end').notNull(),
    project: text('project'),
    endReason: text('end_reason').notNull(),
    counts: text('counts').notNull(),
    stateMix: text('state_mix').notNull(),
    longestStuckStreak: integer('longest_stuck_streak').notNull(),
    netChange: integer('net_change'),
    version: bigint('version', { mode: 'number' }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.studentId, t.episodeIndex] }), index('episode_version').on(t.version)],
);

export const triggerEvent = pgTable(
  'trigger_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    studentId: text('student_id').notNull(),
    kind: text('kind', { enum: ['wheelspin', 'inactive', 'big_rewrite'] }).notNull(),
    status: text('status', { enum: ['open', 'acked', 'resolved'] }).notNull(),
    startedAt: epochMs('started_at').notNull(),
    openedAt: epochMs('opened_at').notNull(),
    ackedAt: epochMs('acked_at'),
    ackNote: text('ack_note'),
    resolvedAt: epochMs('resolved_at'),
    runIndex: integer('run_index'),
    reopenedFrom: bigint('reopened_from', { mode: 'number' }),
    detail: text('detail').notNull().default('{}'),
    version: bigint('version', { mode: 'number' }).notNull(),
  },
  (t) => [
    index('trigger_status').on(t.status, t.kind),
    index('trigger_student').on(t.studentId, t.kind, t.status),
    index('trigger_version').on(t.version),
    uniqueIndex('trigger_once_per_run').on(t.studentId, t.kind, t.runIndex).where(sql`${t.runIndex} IS NOT NULL`),
  ],
);

export const publishedEvent = pgTable(
  'published_event',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    type: text('type').notNull(),
    name: text('name').notNull(),
    receivedAt: epochMs('received_at').notNull(),
    body: text('body').notNull(),
  },
  (t) => [index('published_event_type_name').on(t.type, t.name, t.id)],
);

/**
 * The distance cache. "Oldest" is `stored_at`, then `pair_key` (SQLite uses its implicit rowid,
 * which PostgreSQL has no stable equivalent of; a replaced pair is re-stamped, so it is young
 * again in both). Ties are rows of one write: equally old.
 */
export const distanceCache = pgTable(
  'distance_cache',
  {
    pairKey: text('pair_key').primaryKey(),
    distance: integer('distance').notNull(),
    storedAt: epochMs('stored_at').notNull(),
  },
  (t) => [index('distance_cache_age').on(t.storedAt, t.pairKey)],
);

/** The program summaries; "oldest" as in `distance_cache`: `stored_at`, then the key. */
export const programSummary = pgTable(
  'program_summary',
  {
    programKey: text('program_key').primaryKey(),
    summary: text('summary').notNull(),
    storedAt: epochMs('stored_at').notNull(),
  },
  (t) => [index('program_summary_age').on(t.storedAt, t.programKey)],
);

export const meta = pgTable('meta', {
  id: integer('id').primaryKey(),
  version: bigint('version', { mode: 'number' }).notNull().default(0),
  epoch: integer('epoch').notNull().default(0),
  resetRequestedAt: epochMs('reset_requested_at'),
  health: text('health', { enum: ['unknown', 'healthy', 'unhealthy'] }).notNull().default('unknown'),
  healthChangedAt: epochMs('health_changed_at'),
  lastError: text('last_error'),
  heartbeatAt: epochMs('heartbeat_at'),
  tickCount: bigint('tick_count', { mode: 'number' }).notNull().default(0),
  lastTickMs: doublePrecision('last_tick_ms'),
  caughtUpAt: epochMs('caught_up_at'),
  modelHash: text('model_hash'),
});

// ---- Every table reads as its SQLite twin (a compile error here names the table at fault). ----

/** `true` when A and B are the same type, else `false`. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Twin<P extends { $inferSelect: unknown }, S extends { $inferSelect: unknown }> = Equal<P['$inferSelect'], S['$inferSelect']>;

export const tablesAgree: {
  vexLog: Twin<typeof vexLog, typeof sqlite.vexLog>;
  cursor: Twin<typeof cursor, typeof sqlite.cursor>;
  trackedStudent: Twin<typeof trackedStudent, typeof sqlite.trackedStudent>;
  studentDirectory: Twin<typeof studentDirectory, typeof sqlite.studentDirectory>;
  studentState: Twin<typeof studentState, typeof sqlite.studentState>;
  run: Twin<typeof run, typeof sqlite.run>;
  episode: Twin<typeof episode, typeof sqlite.episode>;
  triggerEvent: Twin<typeof triggerEvent, typeof sqlite.triggerEvent>;
  publishedEvent: Twin<typeof publishedEvent, typeof sqlite.publishedEvent>;
  distanceCache: Twin<typeof distanceCache, typeof sqlite.distanceCache>;
  programSummary: Twin<typeof programSummary, typeof sqlite.programSummary>;
  meta: Twin<typeof meta, typeof sqlite.meta>;
} = {
  vexLog: true,
  cursor: true,
  trackedStudent: true,
  studentDirectory: true,
  studentState: true,
  run: true,
  episode: true,
  triggerEvent: true,
  publishedEvent: true,
  distanceCache: true,
  programSummary: true,
  meta: true,
};
