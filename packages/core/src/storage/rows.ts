/**
 * The rows the storage port reads and writes, derived from the drizzle tables (`$inferSelect`,
 * never written out by hand), and a type-level check that the dashboard's wire rows
 * (`wire/dashboard.ts`, which cannot import drizzle) say the same as the tables they mirror.
 */
import type { EpisodeRow as WireEpisode, Health as WireHealth, RosterEntry, RunRow as WireRun, StudentCard as WireCard, TriggerRow as WireTrigger } from '../wire/dashboard.ts';
import type { cursor, distanceCache, episode, meta, programSummary, publishedEvent, run, studentDirectory, studentState, triggerEvent, vexLog } from '../db/schema.ts';

export type LogRecord = typeof vexLog.$inferSelect;
export type CardRecord = typeof studentState.$inferSelect;
export type RunRecord = typeof run.$inferSelect;
export type EpisodeRecord = typeof episode.$inferSelect;
export type AlertRecord = typeof triggerEvent.$inferSelect;
export type DirectoryRecord = typeof studentDirectory.$inferSelect;
export type MetaRecord = typeof meta.$inferSelect;
export type DistanceRecord = typeof distanceCache.$inferSelect;
export type ProgramSummaryRecord = typeof programSummary.$inferSelect;
export type CursorRecord = typeof cursor.$inferSelect;
export type PublishedRecord = typeof publishedEvent.$inferSelect;

/** Where the drain resumes. */
export type CursorPosition = Pick<CursorRecord, 'lastEventTime' | 'lastSourceId'>;
/** A student of the mirrored roster, as a refresh brings it. */
export type DirectoryEntry = Omit<DirectoryRecord, 'updatedAt'>;

/** A projection row as the daemon computes it: every column but `version`, which the write stamps. */
type Projected<R> = Omit<R, 'version'>;
export type ProjectedCard = Projected<CardRecord>;
export type ProjectedRun = Projected<RunRecord>;
export type ProjectedEpisode = Projected<EpisodeRecord>;

/** A `vex_log` row as workers hold it: `data` parsed, `ingested_at` left out. */
export type StoredEvent = Omit<LogRecord, 'data' | 'ingestedAt'> & { data: unknown };
/** A `vex_log` row as the projection reads it. */
export type LogEvent = Pick<StoredEvent, 'sourceEventId' | 'type' | 'ts' | 'data'>;

/** An alert as the daemon's rules read it. */
export type StoredAlert = Pick<AlertRecord, 'id' | 'studentId' | 'kind' | 'status' | 'startedAt' | 'openedAt' | 'runIndex' | 'reopenedFrom'>;
export type AlertKind = AlertRecord['kind'];
export type AlertStatus = AlertRecord['status'];

/** The card fields the alert rules read, for every student with a card. */
export type SweepCard = Pick<CardRecord, 'studentId' | 'state' | 'stuckStreakRuns' | 'stuckStreakStartedAt' | 'lastEventAt' | 'sessionOpen'>;

/** Every column nullable: what a LEFT JOIN gives for a student without that row. */
type Nullable<T> = { [K in keyof T]: T[K] | null };

/**
 * A tracked (or asked-for) student's card as stored: the allowlist joined with the projection
 * and the roster, and the latest run's parse error. The API adds the ribbon and parses JSON.
 */
export type StoredCard = Pick<CardRecord, 'studentId'> &
  Nullable<Omit<CardRecord, 'studentId' | 'pseudocode' | 'prompt'>> &
  Nullable<Pick<DirectoryRecord, 'displayName' | 'classroom'>> & { lastRunError: RunRecord['parseError'] };

/** What the wire leaves out of a run: the source event id and the tree hash are internal. */
export type WireRunRecord = Omit<RunRecord, 'sourceEventId' | 'treeHash'>;
/** An episode's span, as the API's session rule walks it. */
export type EpisodeSpan = Pick<EpisodeRecord, 'studentId' | 'start' | 'end' | 'endReason'>;

// ---- The wire rows agree with the tables (a compile error here names the column at fault). ----

/** `true` when A and B have the same keys and each key the same type, else a type naming the first mismatch. */
type Same<A, B> = [keyof A] extends [keyof B]
  ? [keyof B] extends [keyof A]
    ? { [K in keyof A]: [A[K]] extends [B[K & keyof B]] ? ([B[K & keyof B]] extends [A[K]] ? true : K) : K }[keyof A] extends true
      ? true
      : { mismatch: { [K in keyof A]: [A[K]] extends [B[K & keyof B]] ? ([B[K & keyof B]] extends [A[K]] ? never : K) : K }[keyof A] }
    : { missingOnTheWire: Exclude<keyof B, keyof A> }
  : { notInTheTable: Exclude<keyof A, keyof B> };

/** JSON text columns are parsed on the wire, and `state` is narrowed to the three states: those are checked by name only. */
type Parsed<T, K extends keyof T> = Omit<T, K> & { [P in K]: unknown };

export const wireAgreesWithTables: {
  run: Same<Parsed<WireRun, 'posterior' | 'state'>, Parsed<WireRunRecord, 'posterior' | 'state'>>;
  episode: Same<Parsed<WireEpisode, 'counts' | 'stateMix'>, Parsed<EpisodeRecord, 'counts' | 'stateMix'>>;
  trigger: Same<Parsed<WireTrigger, 'detail'>, Parsed<AlertRecord, 'detail'>>;
  card: Same<
    Parsed<Omit<WireCard, 'ribbon' | 'displayName' | 'classroom' | 'lastRunError'>, 'recentScores' | 'state'>,
    Parsed<Omit<CardRecord, 'pseudocode' | 'prompt'>, 'recentScores' | 'state'>
  >;
  roster: Same<Omit<RosterEntry, 'tracked' | 'backfilled'>, DirectoryEntry>;
  health: Same<Pick<WireHealth, MetaFields> & { health: WireHealth['daemon'] }, Pick<MetaRecord, MetaFields | 'health'>>;
} = { run: true, episode: true, trigger: true, card: true, roster: true, health: true };

/** The fields of `Health` read from `meta` as they are (`daemon` is `meta.health`). */
type MetaFields = 'healthChangedAt' | 'lastError' | 'heartbeatAt' | 'modelHash' | 'epoch' | 'version';
