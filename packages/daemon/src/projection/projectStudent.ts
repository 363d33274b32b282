/**
 * A student's projection — their card (`student_state`), their runs and their episodes — as a
 * pure function of their events in the log. No clock, no I/O: replaying the same log gives the
 * same rows, which is what makes the projection rebuildable. O(E) plus one parse per run and
 * one APTED call per pair of consecutive programs not already in the cache.
 */
import {
  buildPlaygroundPrompt,
  computeStrategyStates,
  type EpisodeEvent,
  renderPseudocode,
  changeBetween,
  DistanceCache,
  segmentEpisodesWith,
  type ChangeOptions,
  type ParsedProgram,
  type ProgramCache,
  type ProgramLimits,
  runsFromEvents,
  type StrategyOptions,
  STUCK,
  type StrategyModel,
} from '@lmdash/inference';
import type { LogEvent, ProjectedCard, ProjectedEpisode, ProjectedRun } from '@lmdash/core';

/** Parsed programs by source event id. */
export type AstCache = ProgramCache;

/** A `vex_log` row as the projection reads it (`data` already parsed from JSON). */
export type { LogEvent };

/**
 * The rows a projection computes, as the tables define them (every column but `version`, which
 * the write stamps): `student_state` (the card; `recentScores` is the JSON array of the most
 * recent change scores, null for a run with nothing to compare), `run` and `episode`.
 */
export type StudentCard = ProjectedCard;
export type RunRow = ProjectedRun;
export type EpisodeRow = ProjectedEpisode;

export type StudentProjection = {
  card: StudentCard;
  runs: RunRow[];
  episodes: EpisodeRow[];
  /**
   * Pairs of programs (runs) whose distance `onMiss` could not give yet and whose bounds do not
   * decide the decode. When > 0 the rows are not the projection: they must not be written.
   */
  pending: number;
  /**
   * With `pending` = 0: runs and episodes whose distance is still to come although every
   * state is decided (`pendingBounds`): their `distance` and `score` (a run) or `netChange` (an
   * episode) are null, and so is the run's entry in the card's `recentScores`. When > 0 the rows
   * are *provisional*: they may be written, and will be rewritten with the exact values.
   */
  provisional: number;
};

export type ProjectionOptions = {
  /** The strategy model (a bucket-only HmmModel or a FeatureModel); default: the package's. */
  model?: StrategyModel;
  /** Shared across ticks, so re-decoding never recomputes a known pair of programs. */
  cache?: DistanceCache;
  /** Parsed programs by source event id, shared across ticks, so each program is parsed once. */
  astCache?: AstCache;
  /** Inactivity that ends an episode (EPISODE_GAP_SECONDS), ms. */
  episodeGapMs?: number;
  /** How many recent scores the card keeps for its sparkline. */
  recentScores?: number;
  /**
   * Program size bounds (LMDASH_MAX_PROGRAM_*). A program over one is a run with a too-large
   * parse error, never parsed again (its error is cached in `astCache`) nor compared.
   */
  limits?: Partial<ProgramLimits>;
  /**
   * Where a distance missing from `cache` comes from (`changeScore`'s `onMiss`); default: APTED
   * here. One that answers undefined leaves the projection `pending`.
   */
  onMiss?: ChangeOptions['onMiss'];
  /**
   * The exact bounds of a pair `onMiss` left pending (`computeStrategyStates`' option): with
   * it, runs whose bounds decide the decode are provisional, not pending.
   */
  pendingBounds?: StrategyOptions['pendingBounds'];
  /**
   * The card's pseudo-code by tree hash, kept across calls (a worker keeps the latest only), so
   * a recompute whose latest program did not change neither renders it nor reads its tree.
   */
  pseudocode?: Map<string, string>;
};

type Data = Record<string, unknown>;
const str = (d: unknown, key: string): string | null => {
  const v = d && typeof d === 'object' ? (d as Data)[key] : undefined;
  return typeof v === 'string' ? v : null;
};

/** Events in log order: by time, then by the order they were stored (the caller's order). */
function ordered(events: readonly LogEvent[]): LogEvent[] {
  return events.map((e, i) => ({ e, i })).sort((a, b) => a.e.ts - b.e.ts || a.i - b.i).map(({ e }) => e);
}

/**
 * Projects one student's events (all of them, or the tail the daemon keeps) into rows.
 * @example const { card, runs, episodes } = projectStudent('s-0042', events, { episodeGapMs: 600_000 });
 */
export function projectStudent(studentId: string, events: readonly LogEvent[], opts: ProjectionOptions = {}): StudentProjection {
  const log = ordered(events);
  const runEvents = log.filter((e) => e.type === 'runProject');
  const { rows, latest, programs, pending, provisional } = computeStrategyStates(
    // Each run with its context (how it ended, a new session) for the model's observations.
    runsFromEvents(log, (e) => e.sourceEventId),
    { model: opts.model, cache: opts.cache, astCache: opts.astCache, keepPrograms: true, limits: opts.limits, onMiss: opts.onMiss, pendingBounds: opts.pendingBounds },
  );

  const runs: RunRow[] = rows.map((r, i) => ({
    studentId,
    runIndex: i,
    sourceEventId: runEvents[i].sourceEventId,
    ts: r.ts,
    project: r.projectName,
    astSize: r.astSize,
    treeHash: r.treeHash,
    distance: r.distance,
    score: r.score,
    bucket: r.bucket,
    state: r.state,
    posterior: JSON.stringify(r.posterior.map((p) => Math.round(p * 1e6) / 1e6)),
    parseError: r.parseError,
  }));

  // Episodes see every event; runs carry their decoded state and program (null when it did not
  // parse or is over a bound: net change, pseudo-code and prompt never see such a program).
  let runCursor = 0;
  const episodeEvents: EpisodeEvent<ParsedProgram>[] = log.map((e) => {
    const base = { type: e.type, ts: e.ts, project: str(e.data, 'project'), reason: str(e.data, 'reason') };
    if (e.type !== 'runProject') return base;
    const i = runCursor++;
    return { ...base, state: rows[i].state, tree: programs![i], parseError: rows[i].parseError !== null };
  });
  // Net change per episode goes through the same distance cache as the runs (and reads the
  // two trees only for a pair not known yet). One not known yet is null: no decision reads it.
  const cache = opts.cache ?? new DistanceCache();
  let episodesPending = 0;
  const distance = (a: ParsedProgram, b: ParsedProgram) => {
    const c = changeBetween(a, b, { cache, onMiss: opts.onMiss });
    if (!c.pending) return c.distance;
    episodesPending++;
    return null;
  };
  const episodes: EpisodeRow[] = segmentEpisodesWith(episodeEvents, { gapMs: opts.episodeGapMs, distance }).map((ep) => ({
    studentId,
    episodeIndex: ep.index,
    start: ep.start,
    end: ep.end,
    project: ep.project,
    endReason: ep.endReason,
    counts: JSON.stringify(ep.counts),
    stateMix: JSON.stringify(ep.stateMix),
    longestStuckStreak: ep.longestStuckStreak,
    netChange: ep.netChange,
  }));

  return { card: card(studentId, log, rows, latest, opts.recentScores ?? 20, opts.pseudocode), runs, episodes, pending, provisional: provisional + episodesPending };
}

function card(
  studentId: string,
  log: LogEvent[],
  rows: ReturnType<typeof computeStrategyStates>['rows'],
  latest: ReturnType<typeof computeStrategyStates>['latest'],
  keepScores: number,
  memo: Map<string, string> = new Map(),
): StudentCard {
  const last = rows.at(-1);
  // The trailing streak of the current state, and of stuck runs in particular.
  let since = last ? last.ts : null;
  for (let i = rows.length - 1; i >= 0 && rows[i].state === last?.state; i--) since = rows[i].ts;
  let stuckRuns = 0;
  let stuckSince: number | null = null;
  for (let i = rows.length - 1; i >= 0 && rows[i].state === STUCK; i--) {
    stuckRuns++;
    stuckSince = rows[i].ts;
  }
  // A session is open after any event but sessionEnd (clients do not always send sessionStart).
  const lastEvent = log.at(-1);
  // The platform of the latest program, else the one the editor announced at sessionStart.
  let announced: string | null = null;
  let project: string | null = null;
  for (const e of log) {
    if (e.type === 'sessionStart') announced = str(e.data, 'platform') ?? announced;
    project = str(e.data, 'project') ?? project;
  }
  const platform = latest?.meta.platform ?? announced;
  const states = rows.map((r) => r.state);
  let pseudocode: string | null = null;
  if (latest) {
    pseudocode = memo.get(latest.hash) ?? renderPseudocode(latest.tree);
    if (!memo.has(latest.hash)) {
      memo.clear();
      memo.set(latest.hash, pseudocode);
    }
  }
  return {
    studentId,
    state: last ? last.state : null,
    stateSince: since,
    lastEventAt: lastEvent ? lastEvent.ts : null,
    lastRunAt: last ? last.ts : null,
    runCount: rows.length,
    sessionOpen: lastEvent !== undefined && lastEvent.type !== 'sessionEnd',
    stuckStreakRuns: stuckRuns,
    stuckStreakStartedAt: stuckSince,
    platform,
    project,
    pseudocode,
    prompt: latest ? buildPlaygroundPrompt({ pseudocode: pseudocode!, platform: latest.meta.platform, devices: latest.meta.devices, recentStates: states.slice(-12) }) : null,
    recentScores: JSON.stringify(rows.slice(-keepScores).map((r) => (r.score === null ? null : Math.round(r.score * 1e4) / 1e4))),
  };
}
