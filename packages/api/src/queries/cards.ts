/**
 * Student cards: the stored card (the allowlist joined with the projection and the roster, and
 * the latest run's parse error: why its program could not be analysed) plus the state ribbon of
 * the current session. A tracked student the daemon has not projected yet (backfill pending)
 * gets a card with empty fields.
 */
import type { Storage, StoredCard } from '@lmdash/core';
import type { StrategyState, StudentCard } from '@lmdash/core/wire';
import { parseJson } from './json.ts';

/** The ribbon shows at most this many runs. */
export const RIBBON_RUNS = 60;

/** How a session continues across episodes: a project switch, or a gap shorter than the session gap. */
export type SessionRule = { sessionGapMs: number };

/**
 * When each student's current session began: the start of their last episode, walked back over
 * episodes that a project switch or a short gap (not a sessionStart, a sessionEnd or a silence
 * longer than the session gap) separates. Students without episodes are absent.
 */
function sessionStarts(store: Storage, ids: readonly string[] | null, rule: SessionRule): Map<string, number> {
  const rows = store.reads.episodeSpans(ids);
  const out = new Map<string, number>();
  let prev: (typeof rows)[number] | null = null;
  for (const r of rows) {
    const continues =
      prev !== null && prev.studentId === r.studentId && (prev.endReason === 'project-switch' || (prev.endReason === 'gap' && r.start - prev.end <= rule.sessionGapMs));
    if (!continues) out.set(r.studentId, r.start);
    prev = r;
  }
  return out;
}

function toCard(store: Storage, r: StoredCard, starts: Map<string, number>): StudentCard {
  return {
    studentId: r.studentId,
    displayName: r.displayName ?? r.studentId,
    classroom: r.classroom,
    state: r.state as StrategyState | null,
    stateSince: r.stateSince,
    lastEventAt: r.lastEventAt,
    lastRunAt: r.lastRunAt,
    runCount: r.runCount ?? 0,
    sessionOpen: r.sessionOpen === true,
    stuckStreakRuns: r.stuckStreakRuns ?? 0,
    stuckStreakStartedAt: r.stuckStreakStartedAt,
    platform: r.platform,
    project: r.project,
    recentScores: parseJson<(number | null)[]>(r.recentScores, []),
    ribbon:
      r.version === null
        ? []
        : store.reads.ribbon(r.studentId, starts.get(r.studentId) ?? Number.MIN_SAFE_INTEGER, RIBBON_RUNS).map((x) => ({ ts: x.ts, state: x.state as StrategyState })),
    lastRunError: r.lastRunError,
    version: r.version ?? 0,
  };
}

/** Every tracked student's card, by student id. */
export function trackedCards(store: Storage, rule: SessionRule): StudentCard[] {
  const rows = store.reads.cards(null);
  const starts = sessionStarts(store, null, rule);
  return rows.map((r) => toCard(store, r, starts));
}

/** The cards of these students (tracked or not; a caller filters), by student id. */
export function cardsOf(store: Storage, ids: Iterable<string>, rule: SessionRule): StudentCard[] {
  const list = [...ids];
  if (list.length === 0) return [];
  const rows = store.reads.cards(list);
  const starts = sessionStarts(store, list, rule);
  return rows.map((r) => toCard(store, r, starts));
}
