import { describe, expect, test } from 'bun:test';
import type { Tree } from '../tree/tree.ts';
import { node } from '../tree/tree.ts';
import { DEFAULT_GAP_MS, segmentEpisodesWith } from './segment.ts';
import type { Episode, EpisodeEvent, SegmentWithOptions } from './types.ts';

// Tests import the engine only (never ./index.ts), so they run before ../apted exists.

/**
 * Test-only distance: size of the symmetric difference of the two trees' label multisets.
 * Not a tree edit distance, but 0 on equal trees and enough to see which trees were compared.
 */
function labelDistance(a: Tree, b: Tree): number {
  const count = new Map<string, number>();
  const walk = (t: Tree, d: number): void => {
    const stack = [t];
    while (stack.length > 0) {
      const n = stack.pop()!;
      count.set(n.label, (count.get(n.label) ?? 0) + d);
      stack.push(...n.children);
    }
  };
  walk(a, 1);
  walk(b, -1);
  let sum = 0;
  for (const c of count.values()) sum += Math.abs(c);
  return sum;
}

const MIN = 60_000;
const seg = (events: EpisodeEvent[], opts: Partial<SegmentWithOptions> = {}): Episode[] =>
  segmentEpisodesWith(events, { distance: labelDistance, ...opts });

const start = (ts: number): EpisodeEvent => ({ type: 'sessionStart', ts });
const end = (ts: number): EpisodeEvent => ({ type: 'sessionEnd', ts });
const open = (ts: number, project: string | null = 'A'): EpisodeEvent => ({ type: 'openProject', ts, project });
const edit = (ts: number, project: string | null = 'A'): EpisodeEvent => ({ type: 'editBlocks', ts, project });
const stop = (ts: number, reason = 'user', project: string | null = 'A'): EpisodeEvent => ({
  type: 'stopProject',
  ts,
  project,
  reason,
});
const run = (ts: number, extra: Partial<EpisodeEvent> = {}): EpisodeEvent => ({
  type: 'runProject',
  ts,
  project: 'A',
  ...extra,
});
const runs = (states: (0 | 1 | 2 | null)[]): EpisodeEvent[] => states.map((state, i) => run(i * 1000, { state }));
const sizes = (eps: Episode[]): number[] => eps.map((e) => e.counts.events);
const reasons = (eps: Episode[]): string[] => eps.map((e) => e.endReason);

describe('inactivity gaps', () => {
  test('given two events exactly gapMs apart, when segmented, then they share one episode', () => {
    const eps = seg([edit(0), edit(5 * MIN)], { gapMs: 5 * MIN });
    expect(sizes(eps)).toEqual([2]);
    expect(eps[0]).toMatchObject({ start: 0, end: 5 * MIN, endReason: 'open' });
  });

  test('given two events gapMs + 1 apart, when segmented, then the second starts a new episode and the first ends with "gap"', () => {
    const eps = seg([edit(0), edit(5 * MIN + 1)], { gapMs: 5 * MIN });
    expect(sizes(eps)).toEqual([1, 1]);
    expect(reasons(eps)).toEqual(['gap', 'open']);
    expect(eps.map((e) => e.start)).toEqual([0, 5 * MIN + 1]);
  });

  test('given no gapMs, when segmented, then the default is 10 minutes, strictly greater splits', () => {
    expect(DEFAULT_GAP_MS).toBe(10 * MIN);
    expect(sizes(seg([edit(0), edit(10 * MIN)]))).toEqual([2]);
    expect(sizes(seg([edit(0), edit(10 * MIN + 1)]))).toEqual([1, 1]);
  });

  test('given gapMs 0, when events share a timestamp, then they stay together and any later event splits', () => {
    expect(sizes(seg([edit(7), edit(7), edit(8)], { gapMs: 0 }))).toEqual([2, 1]);
  });

  test('given gapMs Infinity, when events are days apart, then time never splits', () => {
    expect(sizes(seg([edit(0), edit(1e10)], { gapMs: Number.POSITIVE_INFINITY }))).toEqual([2]);
  });

  test('given a gap that also brings a new project or a session start, when segmented, then the reason is "gap"', () => {
    expect(reasons(seg([edit(0, 'A'), open(11 * MIN, 'B')]))).toEqual(['gap', 'open']);
    expect(reasons(seg([edit(0), start(11 * MIN)]))).toEqual(['gap', 'open']);
  });
});

describe('project switches', () => {
  test('given an episode without a project, when a project is first named, then it becomes the episode project without a split', () => {
    const eps = seg([start(0), edit(1, null), open(2, 'A'), run(3)]);
    expect(sizes(eps)).toEqual([4]);
    expect(eps[0].project).toBe('A');
  });

  test('given an episode on A, when an event names B, then B starts a new episode and A ends with "project-switch"', () => {
    const eps = seg([open(0, 'A'), edit(1, 'A'), open(2, 'B'), edit(3, 'B')]);
    expect(sizes(eps)).toEqual([2, 2]);
    expect(eps.map((e) => e.project)).toEqual(['A', 'B']);
    expect(reasons(eps)).toEqual(['project-switch', 'open']);
  });

  test('given events without a project (null, empty, missing), when segmented, then they neither set nor switch the project', () => {
    const eps = seg([open(0, 'A'), edit(1, null), edit(2, ''), { type: 'editBlocks', ts: 3 }, edit(4, 'A')]);
    expect(sizes(eps)).toEqual([5]);
    expect(eps[0].project).toBe('A');
  });

  test('given no event ever names a project, when segmented, then the episode project is null', () => {
    expect(seg([start(0), edit(1, null), end(2)])[0].project).toBeNull();
  });

  test('given a stop that names a different project, when segmented, then it switches like any other event', () => {
    const eps = seg([open(0, 'A'), run(1), stop(2, 'user', 'B'), edit(3, 'A')]);
    expect(sizes(eps)).toEqual([2, 1, 1]);
    expect(eps.map((e) => e.project)).toEqual(['A', 'B', 'A']);
    expect(eps[1].counts.stops).toBe(1);
  });

  test('given an unknown event type carrying a project, when segmented, then its project is ignored', () => {
    const eps = seg([{ type: 'telemetry', ts: 0, project: 'Z' }, open(1, 'A'), { type: 'telemetry', ts: 2, project: 'Z' }]);
    expect(sizes(eps)).toEqual([3]);
    expect(eps[0].project).toBe('A');
  });
});

describe('session boundaries', () => {
  test('given a sessionEnd, when segmented, then it is the last event of its episode, which ends with "session-end"', () => {
    const eps = seg([start(0), open(1), run(2), end(3), start(4), open(5)]);
    expect(sizes(eps)).toEqual([4, 2]);
    expect(reasons(eps)).toEqual(['session-end', 'open']);
    expect(eps[0].end).toBe(3);
    expect(eps[1].start).toBe(4);
  });

  test('given events then a sessionStart, when segmented, then the sessionStart begins a new episode', () => {
    const eps = seg([open(0), edit(1), start(2), open(3)]);
    expect(sizes(eps)).toEqual([2, 2]);
    expect(reasons(eps)).toEqual(['session-start', 'open']);
  });

  test('given a sessionStart as the first event or right after a sessionEnd, when segmented, then no empty episode appears', () => {
    const eps = seg([start(0), edit(1), end(2), start(3), edit(4)]);
    expect(sizes(eps)).toEqual([3, 2]);
    expect(eps.every((e) => e.counts.events > 0)).toBe(true);
  });

  test('given a stream that ends with sessionEnd, when segmented, then the last episode ends with "session-end", not "open"', () => {
    expect(reasons(seg([start(0), edit(1), end(2)]))).toEqual(['session-end']);
  });

  test('given a stream that ends mid-session, when segmented, then the last episode is "open"', () => {
    expect(reasons(seg([start(0), edit(1)]))).toEqual(['open']);
  });

  test('given two sessionEnds in a row, when segmented, then the second forms its own one-event episode', () => {
    const eps = seg([edit(0), end(1), end(2)]);
    expect(sizes(eps)).toEqual([2, 1]);
    expect(reasons(eps)).toEqual(['session-end', 'session-end']);
    expect(eps[1].project).toBeNull();
  });

  test('given a sessionEnd after a long silence, when segmented, then the gap wins and the sessionEnd stands alone', () => {
    const eps = seg([edit(0), end(11 * MIN)]);
    expect(sizes(eps)).toEqual([1, 1]);
    expect(reasons(eps)).toEqual(['gap', 'session-end']);
  });
});

describe('counts', () => {
  test('given a mixed episode, when segmented, then runs, edits, stops, errors and parse errors are counted', () => {
    const eps = seg([
      start(0),
      open(1),
      edit(2),
      edit(3),
      run(4, { state: 0, tree: node('a') }),
      stop(5, 'error'),
      run(6, { parseError: true, tree: null }),
      stop(7, 'user'),
      run(8, { state: 1, tree: node('a') }),
      stop(9, 'completed'),
      stop(10, 'error'),
      end(11),
    ]);
    expect(eps).toHaveLength(1);
    expect(eps[0].counts).toEqual({ events: 12, runs: 3, edits: 2, stops: 4, errors: 2, parseErrors: 1 });
  });

  test('given unknown event types, when segmented, then they count in events only and still mark activity', () => {
    const eps = seg([edit(0), { type: 'heartbeat', ts: 9 * MIN }, { type: 'runProject?', ts: 18 * MIN }, edit(27 * MIN)]);
    expect(sizes(eps)).toEqual([4]);
    expect(eps[0].counts).toEqual({ events: 4, runs: 0, edits: 2, stops: 0, errors: 0, parseErrors: 0 });
    expect(eps[0].end).toBe(27 * MIN);
  });

  test('given an episode of only unknown events, when segmented, then it exists with zero of everything else', () => {
    const eps = seg([{ type: 'x', ts: 5 }]);
    expect(eps).toEqual([
      {
        index: 0,
        start: 5,
        end: 5,
        project: null,
        endReason: 'open',
        counts: { events: 1, runs: 0, edits: 0, stops: 0, errors: 0, parseErrors: 0 },
        stateMix: { iterator: 0, explorer: 0, stuck: 0 },
        longestStuckStreak: 0,
        netChange: null,
      },
    ]);
  });
});

describe('stateMix and longestStuckStreak', () => {
  test('given runs in every state and some undecoded, when segmented, then stateMix counts decoded runs only', () => {
    const [ep] = seg(runs([0, 1, 1, 2, null, 2, 2, null]));
    expect(ep.stateMix).toEqual({ iterator: 1, explorer: 2, stuck: 3 });
    expect(ep.counts.runs).toBe(8);
  });

  test('given stuck streaks broken by other states, when segmented, then the longest streak is reported', () => {
    expect(seg(runs([2, 2, 0, 2, 2, 2, 1, 2]))[0].longestStuckStreak).toBe(3);
  });

  test('given stuck runs separated by a run with null state, when segmented, then the null state breaks the streak', () => {
    expect(seg(runs([2, 2, null, 2, 2]))[0].longestStuckStreak).toBe(2);
  });

  test('given stuck runs separated by edits, stops and unknown events, when segmented, then the streak continues', () => {
    const [ep] = seg([run(0, { state: 2 }), edit(1), stop(2), { type: 'x', ts: 3 }, run(4, { state: 2 })]);
    expect(ep.longestStuckStreak).toBe(2);
  });

  test('given a stuck streak across an episode boundary, when segmented, then it does not carry over', () => {
    const eps = seg([run(0, { state: 2 }), run(1, { state: 2 }), run(11 * MIN + 2, { state: 2 })]);
    expect(eps.map((e) => e.longestStuckStreak)).toEqual([2, 1]);
  });

  test('given no stuck runs, when segmented, then the longest streak is 0', () => {
    expect(seg(runs([0, 1, null]))[0].longestStuckStreak).toBe(0);
  });
});

describe('netChange', () => {
  const t1 = node('when', [node('drive')]);
  const t2 = node('when', [node('drive'), node('turn')]);
  const t3 = node('when', [node('drive'), node('turn'), node('wait')]);

  test('given no parsed run, when segmented, then netChange is null', () => {
    expect(seg([edit(0), run(1, { parseError: true })])[0].netChange).toBeNull();
  });

  test('given exactly one parsed run, when segmented, then netChange is null and the distance is not called', () => {
    let calls = 0;
    const [ep] = seg([run(0, { tree: t1 })], { distance: () => ++calls });
    expect(ep.netChange).toBeNull();
    expect(calls).toBe(0);
  });

  test('given several parsed runs, when segmented, then netChange is the injected distance from the first to the last tree, computed once', () => {
    const seen: [Tree, Tree][] = [];
    const spy = (a: Tree, b: Tree): number => {
      seen.push([a, b]);
      return labelDistance(a, b);
    };
    const [ep] = seg([run(0, { tree: t1 }), run(1, { tree: t3 }), run(2, { tree: t2 })], { distance: spy });
    expect(seen).toEqual([[t1, t2]]);
    expect(seen[0][0]).toBe(t1);
    expect(ep.netChange).toBe(1);
  });

  test('given runs that failed to parse at either end, when segmented, then they are skipped for netChange', () => {
    const [ep] = seg([
      run(0, { parseError: true }),
      run(1, { tree: t1 }),
      run(2, { tree: null }),
      run(3, { tree: t3 }),
      run(4, { parseError: true, tree: t1 }), // a tree next to parseError is not trusted
      run(5),
    ]);
    expect(ep.netChange).toBe(2);
    expect(ep.counts.parseErrors).toBe(2);
  });

  test('given trees on non-run events, when segmented, then they are ignored', () => {
    const evs: EpisodeEvent[] = [{ type: 'editBlocks', ts: 0, tree: t1 }, run(1, { tree: t3 }), { type: 'x', ts: 2, tree: t1 }];
    expect(seg(evs)[0].netChange).toBeNull();
  });

  test('given two episodes, when segmented, then each has its own netChange', () => {
    const eps = seg([run(0, { tree: t1 }), run(1, { tree: t3 }), start(2), run(3, { tree: t2 }), run(4, { tree: t2 })]);
    expect(eps.map((e) => e.netChange)).toEqual([2, 0]);
  });
});

describe('input handling', () => {
  test('given no events, when segmented, then the result is empty', () => {
    expect(seg([])).toEqual([]);
  });

  test('given unsorted input, when segmented, then the result equals that of the sorted input', () => {
    const sorted = [start(0), open(1), run(2, { state: 2, tree: node('a') }), edit(3), run(4, { state: 2, tree: node('b') }), end(5), start(20 * MIN), open(20 * MIN + 1, 'B')];
    const shuffled = [sorted[4], sorted[7], sorted[0], sorted[2], sorted[6], sorted[1], sorted[5], sorted[3]];
    expect(seg(shuffled)).toEqual(seg(sorted));
  });

  test('given events with equal timestamps, when segmented, then input order breaks the tie', () => {
    // Same instant, different order: the sessionEnd closes before or after the edit.
    expect(sizes(seg([edit(0), end(5), edit(5)]))).toEqual([2, 1]);
    expect(sizes(seg([edit(0), edit(5), end(5)]))).toEqual([3]);
    // And an out-of-order prefix keeps tied events in input order after sorting.
    expect(sizes(seg([edit(9), edit(0), end(5), edit(5)]))).toEqual([2, 2]);
  });

  test('given input, when segmented, then the input array and events are not mutated', () => {
    const evs = [edit(3), edit(1), edit(2)];
    const copy = structuredClone(evs);
    seg(evs);
    expect(evs).toEqual(copy);
  });

  test('given a non-finite timestamp, when segmented, then a RangeError names the event', () => {
    expect(() => seg([edit(0), edit(Number.NaN)])).toThrow(/event 1 .*non-finite/);
    expect(() => seg([edit(Number.POSITIVE_INFINITY)])).toThrow(RangeError);
  });

  test('given a negative or NaN gapMs, when segmented, then a RangeError is thrown', () => {
    expect(() => seg([edit(0)], { gapMs: -1 })).toThrow(RangeError);
    expect(() => seg([edit(0)], { gapMs: Number.NaN })).toThrow(RangeError);
  });

  test('given several episodes, when segmented, then indices are 0-based and in time order', () => {
    const eps = seg([edit(0), start(1), edit(2), end(3), edit(4, 'B')]);
    expect(eps.map((e) => e.index)).toEqual([0, 1, 2]);
    expect(eps.map((e) => [e.start, e.end])).toEqual([[0, 0], [1, 3], [4, 4]]);
  });
});
