/**
 * The storage port: every operation the daemon and the API perform on stored data, named for
 * what it does, with rows derived from the tables (`rows.ts`). Nothing outside an adapter
 * writes SQL. The SQLite file is the first adapter (`sqlite/`); `contract.ts` is the behaviour
 * any adapter must show, written once.
 *
 * Versions: every change a reader must see bumps `meta.version` once, in the same transaction,
 * and stamps the changed rows with it; a reset bumps `meta.epoch`.
 */
import type { SourceEvent } from '../wire/source.ts';
import type {
  AlertKind,
  AlertRecord,
  AlertStatus,
  CardRecord,
  CursorPosition,
  DirectoryEntry,
  EpisodeRecord,
  EpisodeSpan,
  LogEvent,
  MetaRecord,
  ProgramSummaryRecord,
  PublishedRecord,
  ProjectedCard,
  ProjectedEpisode,
  ProjectedRun,
  RunRecord,
  StoredAlert,
  StoredCard,
  StoredEvent,
  SweepCard,
  WireRunRecord,
} from './rows.ts';
import type { RosterEntry } from '../wire/dashboard.ts';

// ---------------------------------------------------------------- the log and its cursor

/** `bytes`: the JSON text of the events' data stored or found stored (what the drain's memory follows). */
export type AppendResult = { inserted: number; duplicates: number; students: Set<string>; bytes: number };
export type Cursor = CursorPosition;
export type CursorMove = { ok: true } | { ok: false; reason: 'moved' | 'backwards' };
/** A time window over the log (epoch ms): `from` included, `to` excluded. */
export type LogWindow = { from?: number; to?: number };
/** A place in one student's log order (time, then storage order): where a page of `studentPage` ended. */
export type StudentLogPosition = Pick<StoredEvent, 'ts' | 'id'>;

export interface LogStore {
  /** Stores the events of tracked students (all if `tracked` is null) in one transaction; an event already stored is skipped. */
  append(events: readonly SourceEvent[], tracked: ReadonlySet<string> | null, now: number): AppendResult;
  readCursor(): Cursor;
  /** Compare-and-set: moves the cursor from `expected` to `next` (never back), or says why not. */
  advanceCursor(expected: Cursor, next: Cursor, now: number): CursorMove;
  /** A student's most recent events (up to `limit`), oldest first. */
  studentTail(studentId: string, limit: number): StoredEvent[];
  /** Every event stored after log position `afterId`, in log order. */
  eventsAfter(afterId: number): StoredEvent[];
  /** The newest log position (0 for an empty log). */
  lastPosition(): number;
  /** One stored event's `data`, parsed; undefined when it is not in the log. */
  eventData(sourceEventId: string): unknown;
  /** The students with events in the window, sorted. */
  students(window?: LogWindow): string[];
  /** One student's events in the window, in log order (time, then storage order). */
  studentEvents(studentId: string, window?: LogWindow): LogEvent[];
  /**
   * `studentEvents` a page at a time, for readers that must not hold a whole history (the research
   * export): up to `limit` of the student's events in the window that come after `after` (null:
   * from the first) in log order. The next page starts after the last event of this one.
   */
  studentPage(studentId: string, after: StudentLogPosition | null, limit: number, window?: LogWindow): StoredEvent[];
}

// ---------------------------------------------------------------- the projection and the alerts

/** What changed for one student since the rows last written: the card if it differs, rows to upsert, indexes to delete. */
export type StudentChange = {
  studentId: string;
  card: ProjectedCard | null;
  runs: { upsert: ProjectedRun[]; remove: number[] };
  episodes: { upsert: ProjectedEpisode[]; remove: number[] };
};
/** The rows of a student as last written (keyed by run and episode index), without versions. */
export type WrittenRows = { card: ProjectedCard | null; runs: Map<number, ProjectedRun>; episodes: Map<number, ProjectedEpisode> };
/** What the alert rules decided: open an alert, or resolve one. */
export type AlertAction =
  | { action: 'open'; studentId: string; kind: AlertKind; startedAt: number; runIndex: number | null; reopenedFrom: number | null; detail: Record<string, unknown> }
  | { action: 'resolve'; id: number; reason: 'condition-ended' | 'reopened' };
export type TickWrite = { changes: readonly StudentChange[]; actions: readonly AlertAction[] };
/** The whole projection, for the dump. */
export type ProjectionRows = { modelHash: string | null; cards: CardRecord[]; runs: RunRecord[]; episodes: EpisodeRecord[] };

export interface ProjectionStore {
  /** A student's rows as stored: what a cold worker diffs its first projection against. */
  readWritten(studentId: string): WrittenRows;
  /**
   * Applies a tick's changes and alert actions atomically with one version bump. Returns the new
   * version, or null when nothing changed (no bump; a replayed big rewrite changes nothing).
   */
  writeTick(w: TickWrite, now: number): number | null;
  /** Deletes every card, run and episode (a rebuild replays the log next). */
  clear(): void;
  readAll(): ProjectionRows;
  /**
   * A student's runs a page at a time, as stored (versions included): up to `limit` runs with an
   * index above `afterRunIndex` (-1: from the first) whose time is in the window, by index.
   */
  runsPage(studentId: string, afterRunIndex: number, limit: number, window?: LogWindow): RunRecord[];
  /** Every open or acked alert. */
  liveAlerts(): StoredAlert[];
  /** Every big rewrite ever raised for a student, whatever its status. */
  bigRewritesOf(studentId: string): StoredAlert[];
  /** The card fields the alert rules read, for every student with a card. */
  sweepCards(): SweepCard[];
}

// ---------------------------------------------------------------- the distance cache

export interface DistanceStore {
  /** The stored distance of a pair as stored (unchecked: the caller judges it), or null. Throws when the store is unreadable. */
  read(pairKey: string): number | null;
  /** Stores distances in one transaction (replacing a pair's row). */
  write(entries: ReadonlyMap<string, number>, now: number): void;
  count(): number;
  /** Deletes the `n` oldest rows; returns how many went. */
  evictOldest(n: number): number;
}

// ---------------------------------------------------------------- the program summaries

export interface ProgramSummaryStore {
  /** The stored summaries (JSON, unchecked: the caller judges it) of those keys that have one. Throws when the store is unreadable. */
  readMany(programKeys: readonly string[]): Map<string, ProgramSummaryRecord['summary']>;
  /** Stores summaries in one transaction (replacing a key's row). */
  write(entries: ReadonlyMap<string, ProgramSummaryRecord['summary']>, now: number): void;
  count(): number;
  /** Deletes the `n` oldest rows; returns how many went. */
  evictOldest(n: number): number;
}

// ---------------------------------------------------------------- roster, tracking, daemon status

export type { DirectoryEntry };
/** Which students a roster refresh tracks: newcomers of the roster (all when nothing is tracked), a list, or none. */
export type RosterTracking = { mode: 'all' } | { mode: 'list'; students: readonly string[] } | { mode: 'table' };

export interface RosterStore {
  /** Mirrors the roster and tracks who `tracking` says, in one transaction. */
  mirror(students: readonly DirectoryEntry[], tracking: RosterTracking, now: number): void;
  trackedIds(): Set<string>;
  /** Tracked students whose one-time backfill has not finished. */
  awaitingBackfill(): string[];
  markBackfilled(studentId: string, now: number): void;
  /** Students whose name or id contains `q` (case-insensitive; all when empty), by name then id. */
  search(q: string, limit: number): RosterEntry[];
}

export type HealthStatus = MetaRecord['health'];

export interface StatusStore {
  /** `meta.version` and `meta.epoch`: what readers watch. */
  version(): { version: number; epoch: number };
  meta(): MetaRecord;
  /** Where the drain's cursor is (the newest event time it reached). */
  cursorAt(): number | null;
  /** The heartbeat after a tick, with its duration and whether the drain caught up. */
  recordTick(t: { now: number; tickMs: number | null; caughtUp: boolean }): void;
  recordHealth(h: { status: HealthStatus; at: number; lastError: string | null }): void;
  setModelHash(hash: string): void;
  resetRequestedAt(): number | null;
  /** Events ever stored (it survives a reset), open alerts by kind, tracked students: for /metrics. */
  counters(): { eventsIngested: number; openAlerts: Map<AlertKind, number>; tracked: number };
  /** Maintenance now and then (SQLite: a passive WAL checkpoint). */
  checkpoint(): void;
}

// ---------------------------------------------------------------- the API's reads

export interface ReadStore {
  /** Cards of the tracked students (ids null) or of these ids, by student id. */
  cards(ids: readonly string[] | null): StoredCard[];
  /** Episode spans of the tracked students (ids null) or of these, by student then index. */
  episodeSpans(ids: readonly string[] | null): EpisodeSpan[];
  /** States of a student's runs at or after `since`, at most `limit` (the latest), oldest first. */
  ribbon(studentId: string, since: number, limit: number): Pick<RunRecord, 'ts' | 'state'>[];
  /** A student's most recent runs / episodes, oldest first. */
  recentRuns(studentId: string, limit: number): WireRunRecord[];
  recentEpisodes(studentId: string, limit: number): EpisodeRecord[];
  /** Tracked students' runs / episodes changed after `version`, by student then index. */
  runsSince(version: number): WireRunRecord[];
  episodesSince(version: number): EpisodeRecord[];
  /** Students with any card, run or episode changed after `version`. */
  studentsChangedSince(version: number): Set<string>;
  /** Runs, episodes and alerts changed after `version`: the size of a delta. */
  rowsChangedSince(version: number): number;
  alertsSince(version: number): AlertRecord[];
  alertById(id: number): AlertRecord | null;
  /** A student's alerts, newest first. */
  alertsOfStudent(studentId: string, limit: number): AlertRecord[];
  /** Alerts of one status (all when null), newest first. */
  alertsByStatus(status: AlertStatus | null, limit: number): AlertRecord[];
  /** Open and acked alerts, and those resolved at or after `resolvedAfter`, by id. */
  liveAlerts(resolvedAfter: number): AlertRecord[];
  /** Whether a student is tracked and whether they have a card. */
  presence(studentId: string): { tracked: boolean; projected: boolean };
  /** The card's texts the drill-down shows, or null without a card. */
  texts(studentId: string): Pick<CardRecord, 'pseudocode' | 'prompt'> | null;
}

// ---------------------------------------------------------------- the researcher's writes

export type TrackResult = { ok: true; version: number; tracked: string[]; alreadyTracked: string[] } | { ok: false; unknown: string[] };
export type UntrackResult = { version: number; untracked: string[]; notTracked: string[] };
export type AckResult = { ok: true; alert: AlertRecord } | { ok: false; reason: 'missing' | 'resolved' };

export interface ActionStore {
  /** Tracks students of the roster (nothing, when any id is unknown), stamping re-tracked cards with the new version. */
  track(studentIds: readonly string[], now: number): TrackResult;
  /** Untracks students; the log and the projection stay. */
  untrack(studentIds: readonly string[]): UntrackResult;
  /** open → acked with the time and a note; acking an acked alert again only updates its note. A resolved one is refused. */
  ack(id: number, note: string | undefined, now: number): AckResult;
  /** Wipes the log, the cursor, the allowlist, the projection, the alerts and the published events (not the roster); bumps the epoch. */
  reset(now: number): { epoch: number; version: number };
}

// ---------------------------------------------------------------- what producers published

export type StoredPublishedRow = Pick<PublishedRecord, 'id' | 'receivedAt' | 'body'>;
export type Tally = { n: number; bytes: number };
export type PublishedTotals = { all: Tally; byType: Record<string, Tally> };
/**
 * What is kept after an append: the latest `perName` events of the same (type, name); then, the
 * oldest first and never the one just stored, at most `type` events and UTF-8 bytes of its type
 * and `all` in all.
 */
export type PublishedKeep = { perName: number; type: Tally; all: Tally };

export interface PublishedStore {
  /** Stores one event (its JSON as given) and prunes to `keep`, in one transaction; returns its seq. */
  append(e: Omit<PublishedRecord, 'id'>, keep: PublishedKeep): number;
  /** The seq of every stored event, oldest first. */
  seqs(): number[];
  /** The highest stored seq, 0 when none. */
  lastSeq(): number;
  /** Up to `limit` stored events with `after < seq <= upTo`, oldest first. */
  page(after: number, upTo: number, limit: number): StoredPublishedRow[];
  /** What is stored: events and UTF-8 bytes, in all and per type. */
  totals(): PublishedTotals;
}

// ---------------------------------------------------------------- the whole port

export interface Storage {
  log: LogStore;
  projection: ProjectionStore;
  distances: DistanceStore;
  summaries: ProgramSummaryStore;
  roster: RosterStore;
  status: StatusStore;
  reads: ReadStore;
  actions: ActionStore;
  published: PublishedStore;
  /** Runs `fn` on one consistent view (nested calls join it): everything it reads is of the same version. */
  consistent<T>(fn: () => T): T;
  /** Whether an error an operation threw means another writer held the store past its wait (worth a retry, not a bug). */
  isBusy(err: unknown): boolean;
  /**
   * True when this connection now holds the store's single-writer claim, kept until close; false
   * when another process holds it. Claiming again while holding it is true. (PostgreSQL: a session
   * advisory lock, released when the connection ends, also on kill -9; SQLite: a `FILE.writer`
   * lock file holding the pid, taken over when that process is gone; `:memory:` always true.)
   */
  claimWriter(): boolean;
}
