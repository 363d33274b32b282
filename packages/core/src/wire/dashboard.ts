/**
 * The rows the read API sends to the dashboard (REST bodies and stream events alike), as zod
 * schemas. JSON, camelCase, times in epoch milliseconds. They mirror the SQLite projection
 * (`db/schema.ts`) with the JSON text columns parsed; the API adds the roster's name and a
 * state ribbon so that a card needs nothing else.
 */
import { z } from 'zod';

/** 0 iterator, 1 explorer, 2 stuck (the HMM's labelled states). */
export const StrategyState = z.union([z.literal(0), z.literal(1), z.literal(2)]);
export type StrategyState = z.infer<typeof StrategyState>;
export const STATE_NAMES = ['iterator', 'explorer', 'stuck'] as const;

/** One tracked student's card. */
export const StudentCard = z.object({
  studentId: z.string(),
  displayName: z.string(),
  classroom: z.string().nullable(),
  state: StrategyState.nullable(),
  stateSince: z.number().nullable(),
  lastEventAt: z.number().nullable(),
  lastRunAt: z.number().nullable(),
  runCount: z.number().int(),
  sessionOpen: z.boolean(),
  stuckStreakRuns: z.number().int(),
  stuckStreakStartedAt: z.number().nullable(),
  platform: z.string().nullable(),
  project: z.string().nullable(),
  /** Change scores of the most recent runs, oldest first (null: a run that could not be parsed). */
  recentScores: z.array(z.number().nullable()),
  /** States of the runs of the current session (at most the last 60), oldest first. */
  ribbon: z.array(z.object({ ts: z.number(), state: StrategyState })),
  /**
   * Why the latest run's program could not be analysed (its `parseError`: too large, or not
   * readable), else null. Such a run counts but is not compared, so the card says so.
   */
  lastRunError: z.string().nullable(),
  version: z.number().int(),
});
export type StudentCard = z.infer<typeof StudentCard>;

export const RunRow = z.object({
  studentId: z.string(),
  runIndex: z.number().int(),
  ts: z.number(),
  project: z.string().nullable(),
  astSize: z.number().int().nullable(),
  distance: z.number().nullable(),
  score: z.number().nullable(),
  bucket: z.number().int().nullable(),
  state: StrategyState,
  /** Posterior probability of [iterator, explorer, stuck]. */
  posterior: z.array(z.number()),
  parseError: z.string().nullable(),
  version: z.number().int(),
});
export type RunRow = z.infer<typeof RunRow>;

export const EpisodeRow = z.object({
  studentId: z.string(),
  episodeIndex: z.number().int(),
  start: z.number(),
  end: z.number(),
  project: z.string().nullable(),
  endReason: z.string(),
  counts: z.record(z.string(), z.number()),
  stateMix: z.object({ iterator: z.number(), explorer: z.number(), stuck: z.number() }),
  longestStuckStreak: z.number().int(),
  netChange: z.number().nullable(),
  version: z.number().int(),
});
export type EpisodeRow = z.infer<typeof EpisodeRow>;

export const TriggerKind = z.enum(['wheelspin', 'inactive', 'big_rewrite']);
export type TriggerKind = z.infer<typeof TriggerKind>;
export const TriggerStatus = z.enum(['open', 'acked', 'resolved']);
export type TriggerStatus = z.infer<typeof TriggerStatus>;

export const TriggerRow = z.object({
  id: z.number().int(),
  studentId: z.string(),
  kind: TriggerKind,
  status: TriggerStatus,
  /** When the condition began; an alert's age counts from here. */
  startedAt: z.number(),
  openedAt: z.number(),
  ackedAt: z.number().nullable(),
  ackNote: z.string().nullable(),
  resolvedAt: z.number().nullable(),
  runIndex: z.number().int().nullable(),
  /** Set when this alert re-opens an acked one whose condition still held (a re-alert). */
  reopenedFrom: z.number().int().nullable(),
  detail: z.record(z.string(), z.unknown()),
  version: z.number().int(),
});
export type TriggerRow = z.infer<typeof TriggerRow>;

/** The daemon's health as the API reads it from `meta`. */
export const Health = z.object({
  daemon: z.enum(['unknown', 'healthy', 'unhealthy']),
  healthChangedAt: z.number().nullable(),
  lastError: z.string().nullable(),
  heartbeatAt: z.number().nullable(),
  /** No heartbeat for longer than a few ticks: the daemon is probably not running. */
  heartbeatStale: z.boolean(),
  /** Time of the newest event the drain has reached (the cursor). */
  cursorAt: z.number().nullable(),
  /** Seconds since the drain last reached the end of the source (now − `meta.caught_up_at`); null before it ever did. */
  sourceLagSeconds: z.number().nullable(),
  /** The model that decoded the states (`meta.model_hash`): `name@hash` for a named model, else the hash; then the program bounds when not the defaults. */
  modelHash: z.string().nullable(),
  epoch: z.number().int(),
  version: z.number().int(),
  /** The API's clock when this was read. */
  now: z.number(),
  /**
   * Present (true) only on `GET /api/health` of an API started with `--simulated`: the source is
   * the embedded simulator (`lmdash start` without LMDASH_SOURCE_URL), not a real deployment.
   */
  simulated: z.boolean().optional(),
  /**
   * Present only on `GET /api/health`: what wakes this API process's stream — `listening`
   * (PostgreSQL notices), `polling` (the notice channel is down: `meta.version` read every 50 ms
   * until it is back), `none` (SQLite: read every 50 ms).
   */
  versionNotices: z.enum(['listening', 'polling', 'none']).optional(),
});
export type Health = z.infer<typeof Health>;

/** A student of the mirrored roster (search results). */
export const RosterEntry = z.object({
  studentId: z.string(),
  displayName: z.string(),
  classroom: z.string(),
  tracked: z.boolean(),
  /** Tracked and the one-time backfill of recent history is done. */
  backfilled: z.boolean(),
});
export type RosterEntry = z.infer<typeof RosterEntry>;

/** `GET /api/students/:id`: the card plus what the drill-down shows. */
export const StudentDetail = z.object({
  card: StudentCard,
  runs: z.array(RunRow),
  episodes: z.array(EpisodeRow),
  triggers: z.array(TriggerRow),
  pseudocode: z.string().nullable(),
  prompt: z.string().nullable(),
});
export type StudentDetail = z.infer<typeof StudentDetail>;
