import { describe, expect, test } from 'bun:test';
import { matchesFilter, needRank, openAlertsByStudent, orderByNeed, type NeedCard } from './need.ts';

const NOW = 1_800_000_000_000;
const MIN = 60_000;

function card(id: string, over: Partial<NeedCard> & { classroom?: string | null; project?: string | null } = {}) {
  return { studentId: id, displayName: id.toUpperCase(), state: 0 as 0 | 1 | 2 | null, stateSince: NOW - MIN, lastEventAt: NOW - 10_000, classroom: null, project: null, ...over };
}
const alert = (studentId: string, startedAt: number, status: 'open' | 'acked' | 'resolved' = 'open') => ({ studentId, startedAt, status });

describe('orderByNeed', () => {
  test('open alerts, then stuck, then idle, then the rest', () => {
    const cards = [
      card('rest'),
      card('idle', { lastEventAt: NOW - 5 * MIN }),
      card('stuck', { state: 2 }),
      card('alerted', { state: 0 }),
    ];
    const open = openAlertsByStudent([alert('alerted', NOW - MIN)]);
    expect(orderByNeed(cards, open, NOW).map((c) => c.studentId)).toEqual(['alerted', 'stuck', 'idle', 'rest']);
  });

  test('within a rank: oldest alert, longest stuck, longest idle first; the rest by name', () => {
    const cards = [
      card('b'),
      card('a'),
      card('idle-short', { lastEventAt: NOW - 4 * MIN }),
      card('idle-long', { lastEventAt: NOW - 9 * MIN }),
      card('stuck-new', { state: 2, stateSince: NOW - 2 * MIN }),
      card('stuck-old', { state: 2, stateSince: NOW - 8 * MIN }),
      card('alert-new'),
      card('alert-old'),
    ];
    const open = openAlertsByStudent([alert('alert-new', NOW - MIN), alert('alert-old', NOW - 7 * MIN), alert('alert-new', NOW - 30_000)]);
    expect(orderByNeed(cards, open, NOW).map((c) => c.studentId)).toEqual([
      'alert-old', 'alert-new', 'stuck-old', 'stuck-new', 'idle-long', 'idle-short', 'a', 'b',
    ]);
  });

  test('acked and resolved alerts do not count; the input is not mutated', () => {
    const cards = [card('x'), card('y')];
    const open = openAlertsByStudent([alert('y', NOW, 'acked'), alert('y', NOW, 'resolved')]);
    expect(needRank(cards[1]!, open, NOW)).toBe(3);
    expect(orderByNeed(cards, open, NOW).map((c) => c.studentId)).toEqual(['x', 'y']);
    expect(cards.map((c) => c.studentId)).toEqual(['x', 'y']);
  });

  test('a student without a state or events ranks with the rest', () => {
    expect(needRank(card('n', { state: null, stateSince: null, lastEventAt: null }), new Map(), NOW)).toBe(3);
  });
});

describe('matchesFilter', () => {
  const open = openAlertsByStudent([alert('s-1', NOW)]);
  test('search over name, id, classroom and project, case-insensitive', () => {
    const c = card('s-1', { displayName: 'Ada L.', classroom: 'Period 3', project: 'Drive Square' });
    expect(matchesFilter(c, 'ada', 'all', open, NOW)).toBe(true);
    expect(matchesFilter(c, 'PERIOD 3', 'all', open, NOW)).toBe(true);
    expect(matchesFilter(c, 'square', 'all', open, NOW)).toBe(true);
    expect(matchesFilter(c, 'grace', 'all', open, NOW)).toBe(false);
  });
  test('state, alert and idle filters', () => {
    expect(matchesFilter(card('s-2', { state: 2 }), '', 'stuck', open, NOW)).toBe(true);
    expect(matchesFilter(card('s-2', { state: 1 }), '', 'stuck', open, NOW)).toBe(false);
    expect(matchesFilter(card('s-2', { state: null }), '', 'none', open, NOW)).toBe(true);
    expect(matchesFilter(card('s-1'), '', 'alerts', open, NOW)).toBe(true);
    expect(matchesFilter(card('s-2'), '', 'alerts', open, NOW)).toBe(false);
    expect(matchesFilter(card('s-2', { lastEventAt: NOW - 10 * MIN }), '', 'idle', open, NOW)).toBe(true);
  });
});
