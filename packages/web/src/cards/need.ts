/**
 * Orders cards by need: students with open alerts first (oldest alert first), then stuck
 * students (longest stuck first), then idle ones (longest silent first), then everyone else by
 * name. Ties break by name and id, so the order is stable and cards do not shuffle.
 * O(n log n) in the number of cards.
 */
import type { StudentCard, TriggerRow } from '../types.ts';
import { isIdle } from './format.ts';

/** 0 open alert, 1 stuck, 2 idle, 3 the rest. */
export type NeedRank = 0 | 1 | 2 | 3;

export const NEED_LABELS = ['open alert', 'stuck', 'idle', 'other'] as const;

/** The minimal card fields the order reads (a `StudentCard` fits). */
export type NeedCard = Pick<StudentCard, 'studentId' | 'displayName' | 'state' | 'stateSince' | 'lastEventAt'>;

/** Open alerts per student: the oldest `startedAt` is all the order needs. */
export type OpenAlerts = ReadonlyMap<string, readonly Pick<TriggerRow, 'startedAt'>[]>;

export function needRank(card: NeedCard, open: OpenAlerts, now: number): NeedRank {
  if ((open.get(card.studentId)?.length ?? 0) > 0) return 0;
  if (card.state === 2) return 1;
  if (isIdle(card.lastEventAt, now)) return 2;
  return 3;
}

/** The time that orders cards within a rank: older first (Infinity sorts last). */
function since(card: NeedCard, rank: NeedRank, open: OpenAlerts): number {
  if (rank === 0) return Math.min(...open.get(card.studentId)!.map((t) => t.startedAt));
  if (rank === 1) return card.stateSince ?? Infinity;
  if (rank === 2) return card.lastEventAt ?? Infinity;
  return 0;
}

/**
 * Returns a new array of the cards, most in need first.
 * @example orderByNeed(cards, openAlertsByStudent(triggers), Date.now())
 */
export function orderByNeed<C extends NeedCard>(cards: readonly C[], open: OpenAlerts, now: number): C[] {
  const keyed = cards.map((card) => {
    const rank = needRank(card, open, now);
    return { card, rank, since: since(card, rank, open) };
  });
  keyed.sort(
    (a, b) =>
      a.rank - b.rank ||
      a.since - b.since ||
      a.card.displayName.localeCompare(b.card.displayName) ||
      (a.card.studentId < b.card.studentId ? -1 : a.card.studentId > b.card.studentId ? 1 : 0),
  );
  return keyed.map((k) => k.card);
}

/** Groups the open alerts by student, each list oldest first. */
export function openAlertsByStudent<T extends Pick<TriggerRow, 'studentId' | 'status' | 'startedAt'>>(
  triggers: Iterable<T>,
): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const t of triggers) {
    if (t.status !== 'open') continue;
    const list = map.get(t.studentId);
    if (list) list.push(t);
    else map.set(t.studentId, [t]);
  }
  for (const list of map.values()) list.sort((a, b) => a.startedAt - b.startedAt);
  return map;
}

export type StateFilter = 'all' | 'iterator' | 'explorer' | 'stuck' | 'none' | 'alerts' | 'idle';

/** Search (name, id, classroom, project; case-insensitive) and the state filter. */
export function matchesFilter(
  card: NeedCard & Pick<StudentCard, 'classroom' | 'project'>,
  query: string,
  filter: StateFilter,
  open: OpenAlerts,
  now: number,
): boolean {
  const q = query.trim().toLowerCase();
  if (q) {
    const hay = `${card.displayName}\n${card.studentId}\n${card.classroom ?? ''}\n${card.project ?? ''}`.toLowerCase();
    if (!hay.includes(q)) return false;
  }
  switch (filter) {
    case 'all':
      return true;
    case 'iterator':
      return card.state === 0;
    case 'explorer':
      return card.state === 1;
    case 'stuck':
      return card.state === 2;
    case 'none':
      return card.state == null;
    case 'alerts':
      return (open.get(card.studentId)?.length ?? 0) > 0;
    case 'idle':
      return isIdle(card.lastEventAt, now);
    default: {
      const never: never = filter;
      throw new Error(`unknown filter ${String(never)}`);
    }
  }
}
