import { describe, expect, test } from 'bun:test';
import type { Tree } from '../tree/tree.ts';
import { mulberry32 } from '../hmm/sample.ts';
import { node } from '../tree/tree.ts';
import { KNOWN_EVENT_TYPES, segmentEpisodesWith } from './segment.ts';
import type { Episode, EpisodeEvent } from './types.ts';


/** Test-only distance: difference in node count (cheap; the engine only needs some number). */
function sizeDistance(a: Tree, b: Tree): number {
  return Math.abs(a.children.length - b.children.length);
}

const TYPES = [...KNOWN_EVENT_TYPES, 'heartbeat'];
const PROJECTS = ['Drive Test', 'Maze', 'Sort', null, ''];

/** A random stream: bursts of activity with occasional long gaps, ties and every event type. */
function randomStream(rand: () => number, n: number, gapMs: number, distinctTs = false): EpisodeEvent[] {
  const out: EpisodeEvent[] = [];
  let ts = 1_700_000_000_000;
  for (let i = 0; i < n; i++) {
    const r = rand();
    // Mostly short steps, some exactly at the gap boundary, some just over it, some ties.
    if (r < 0.1 && !distinctTs) ts += 0;
    else if (r < 0.15) ts += gapMs;
    else if (r < 0.2) ts += gapMs + 1;
    else ts += 1 + Math.floor(rand() * gapMs * 0.3);
    const type = TYPES[Math.floor(rand() * TYPES.length)];
    const ev: EpisodeEvent = { type, ts };
    if (type !== 'sessionStart' && type !== 'sessionEnd' && rand() < 0.9) {
      ev.project = PROJECTS[Math.floor(rand() * (rand() < 0.8 ? 1 : PROJECTS.length))];
    }
    if (type === 'stopProject') ev.reason = ['user', 'error', 'completed'][Math.floor(rand() * 3)];
    if (type === 'runProject') {
      const s = Math.floor(rand() * 4);
      ev.state = s === 3 ? null : (s as 0 | 1 | 2);
      if (rand() < 0.2) ev.parseError = true;
      else ev.tree = node('root', Array.from({ length: Math.floor(rand() * 5) }, () => node('b')));
    }
    out.push(ev);
  }
  return out;
}

/** Stable reference sort by (ts, input index), independent of the engine's own. */
function referenceOrder(events: EpisodeEvent[]): EpisodeEvent[] {
  return events
    .map((e, i) => [e, i] as const)
    .sort((x, y) => x[0].ts - y[0].ts || x[1] - y[1])
    .map(([e]) => e);
}

function shuffled<T>(rand: () => number, xs: T[]): T[] {
  const a = xs.slice();
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const known = (e: EpisodeEvent): boolean => (KNOWN_EVENT_TYPES as readonly string[]).includes(e.type);
const proj = (e: EpisodeEvent): string | null => (known(e) && e.project ? e.project : null);

/** Checks every documented invariant of `eps` against the ordered events it came from. */
function checkInvariants(events: EpisodeEvent[], eps: Episode[], gapMs: number): void {
  const evs = referenceOrder(events);
  // Every event lands in exactly one episode: sizes add up, and slicing by them is exact.
  expect(eps.reduce((s, e) => s + e.counts.events, 0)).toBe(evs.length);
  let at = 0;
  eps.forEach((ep, i) => {
    expect(ep.index).toBe(i);
    expect(ep.counts.events).toBeGreaterThan(0);
    const slice = evs.slice(at, at + ep.counts.events);
    at += ep.counts.events;
    // Contiguous and ordered.
    expect(ep.start).toBe(slice[0].ts);
    expect(ep.end).toBe(slice[slice.length - 1].ts);
    if (i > 0) expect(ep.start).toBeGreaterThanOrEqual(eps[i - 1].end);
    // No gap inside an episode exceeds gapMs.
    for (let k = 1; k < slice.length; k++) expect(slice[k].ts - slice[k - 1].ts).toBeLessThanOrEqual(gapMs);
    // A single project: every named project equals the episode's; null iff none named.
    const named = slice.map(proj).filter((p) => p !== null);
    expect(ep.project).toBe(named.length > 0 ? named[0] : null);
    expect(new Set(named).size).toBeLessThanOrEqual(1);
    // Session events only at the edges.
    slice.forEach((e, k) => {
      if (e.type === 'sessionStart') expect(k).toBe(0);
      if (e.type === 'sessionEnd') expect(k).toBe(slice.length - 1);
    });
    // Counts recomputed from the slice.
    const runs = slice.filter((e) => e.type === 'runProject');
    expect(ep.counts.runs).toBe(runs.length);
    expect(ep.counts.edits).toBe(slice.filter((e) => e.type === 'editBlocks').length);
    expect(ep.counts.stops).toBe(slice.filter((e) => e.type === 'stopProject').length);
    expect(ep.counts.errors).toBe(slice.filter((e) => e.type === 'stopProject' && e.reason === 'error').length);
    expect(ep.counts.parseErrors).toBe(runs.filter((e) => e.parseError === true).length);
    const mix = ep.stateMix;
    expect(mix.iterator + mix.explorer + mix.stuck).toBe(runs.filter((e) => e.state != null).length);
    expect(ep.longestStuckStreak).toBeLessThanOrEqual(mix.stuck);
    // The end reason is borne out by what follows.
    const next = evs[at];
    const last = slice[slice.length - 1];
    if (ep.endReason === 'session-end') expect(last.type).toBe('sessionEnd');
    else if (ep.endReason === 'open') expect(i).toBe(eps.length - 1);
    else {
      expect(next).toBeDefined();
      if (ep.endReason === 'gap') expect(next.ts - last.ts).toBeGreaterThan(gapMs);
      if (ep.endReason === 'session-start') expect(next.type).toBe('sessionStart');
      if (ep.endReason === 'project-switch') {
        expect(proj(next)).not.toBeNull();
        expect(proj(next)).not.toBe(ep.project);
      }
    }
  });
}

describe('properties over seeded random streams', () => {
  test('given random streams, when segmented, then every event lands in exactly one contiguous, ordered episode with no inner gap over gapMs', () => {
    const reasonsSeen = new Set<string>();
    for (let seed = 1; seed <= 200; seed++) {
      const rand = mulberry32(seed);
      const gapMs = [0, 1000, 60_000, 600_000][seed % 4];
      const events = randomStream(rand, 1 + Math.floor(rand() * 300), Math.max(gapMs, 10));
      const eps = segmentEpisodesWith(events, { gapMs, distance: sizeDistance });
      checkInvariants(events, eps, gapMs);
      for (const ep of eps) reasonsSeen.add(ep.endReason);
    }
    // The generator must actually exercise every kind of split, or the checks above prove little.
    expect([...reasonsSeen].sort()).toEqual(['gap', 'open', 'project-switch', 'session-end', 'session-start']);
  });

  test('given shuffled streams with distinct timestamps, when segmented, then the result equals that of the sorted stream', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const rand = mulberry32(1000 + seed);
      const events = randomStream(rand, 200, 60_000, true);
      const a = segmentEpisodesWith(events, { gapMs: 60_000, distance: sizeDistance });
      const b = segmentEpisodesWith(shuffled(rand, events), { gapMs: 60_000, distance: sizeDistance });
      expect(b).toEqual(a);
    }
  });

  test('given the same input twice, when segmented, then the results are deeply equal (deterministic)', () => {
    const events = shuffled(mulberry32(7), randomStream(mulberry32(42), 2000, 600_000));
    const a = segmentEpisodesWith(events, { distance: sizeDistance });
    const b = segmentEpisodesWith(events.map((e) => ({ ...e })), { distance: sizeDistance });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe('large streams (speed is measured by `bun run bench`, not here)', () => {
  test('given a 100,000-event stream, when segmented, then every event is counted and it calls the distance at most once per episode', () => {
    const events = randomStream(mulberry32(99), 100_000, 600_000);
    let calls = 0;
    const eps = segmentEpisodesWith(events, {
      distance: (a, b) => (calls++, sizeDistance(a, b)),
    });
    expect(eps.reduce((s, e) => s + e.counts.events, 0)).toBe(100_000);
    expect(calls).toBeLessThanOrEqual(eps.length);
  });

  test('given 100,000 events in one episode, unsorted, when segmented, then it forms one episode with the whole stuck streak', () => {
    const events: EpisodeEvent[] = Array.from({ length: 100_000 }, (_, i) => ({
      type: i % 2 ? 'runProject' : 'editBlocks',
      ts: 100_000 - i,
      project: 'A',
      state: 2,
      tree: node('r'),
    }));
    const eps = segmentEpisodesWith(events, { distance: sizeDistance });
    expect(eps).toHaveLength(1);
    expect(eps[0].longestStuckStreak).toBe(50_000);
  });
});
