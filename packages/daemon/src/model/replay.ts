/**
 * A student's events decoded as the daemon decodes them: the final rows (what the run table
 * holds once the log is complete) and the card after every event (what the alert rule saw
 * live, each event re-decoding the whole history). O(E·R) decoding for E events and R runs;
 * each program is parsed and each pair compared once through the caches.
 */
import { computeStrategyStates, DistanceCache, runsFromEvents, type StrategyOptions, type StrategyRow, type StrategyRun } from '@lmdash/inference';
import type { LogEvent } from '../projection/projectStudent.ts';
import type { CardPoint } from './alerts.ts';

export type DecodeModel = StrategyOptions['model'];

export type StudentReplay = {
  /** The rows decoded from all the events. */
  rows: StrategyRow[];
  /** The card after each event, in time order (only with `live`). */
  timeline: CardPoint[];
};

/** The runs of a student's ordered events, with their context, as `projectStudent` hands them to `computeStrategyStates`. */
export function strategyRuns(events: readonly LogEvent[]): StrategyRun[] {
  return runsFromEvents(events, (e) => e.sourceEventId);
}

/** The card's stuck streak and state after these rows (as `projectStudent` builds the card). */
export function cardPoint(t: number, rows: readonly StrategyRow[]): CardPoint {
  let runs = 0;
  let start: number | null = null;
  for (let i = rows.length - 1; i >= 0 && rows[i].state === 2; i--) {
    runs++;
    start = rows[i].ts;
  }
  const last = rows.at(-1);
  return { t, state: last ? last.state : null, stuckStreakRuns: runs, stuckStreakStartedAt: start, lastRun: rows.length - 1 };
}

/**
 * Decodes one student's events (ordered by time) with `model`.
 * @example replayStudent(events, { live: true }).timeline.at(-1)?.state
 */
export function replayStudent(
  events: readonly LogEvent[],
  opts: { model?: DecodeModel; cache?: DistanceCache; astCache?: StrategyOptions['astCache']; live?: boolean } = {},
): StudentReplay {
  const cache = opts.cache ?? new DistanceCache();
  const astCache = opts.astCache ?? new Map();
  const decode = (evs: readonly LogEvent[]) => computeStrategyStates(strategyRuns(evs), { model: opts.model, cache, astCache }).rows;
  const timeline: CardPoint[] = [];
  if (opts.live) {
    for (let i = 0; i < events.length; i++) {
      // Events at the same instant are one change of the card.
      if (i + 1 < events.length && events[i + 1].ts === events[i].ts) continue;
      timeline.push(cardPoint(events[i].ts, decode(events.slice(0, i + 1))));
    }
  }
  return { rows: decode(events), timeline };
}
