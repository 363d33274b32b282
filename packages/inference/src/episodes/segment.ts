/**
 * Episode segmentation engine. One linear pass over the events in (ts, input index) order;
 * the only super-linear step is sorting input that is not already in order. The tree distance
 * is called once per episode (first vs last parsed run), never per event.
 *
 * This file deliberately does not import APTED: `segmentEpisodes` (in `segmentEpisodes.ts`)
 * adds that default, so this core works and is testable on its own.
 */
import { EXPLORER, ITERATOR, STUCK } from '../strategy/states.ts';
import type { Tree } from '../tree/tree.ts';
import type { EndReason, Episode, EpisodeEvent, SegmentWithOptions } from './types.ts';

/** Default inactivity gap: 10 minutes. */
export const DEFAULT_GAP_MS = 10 * 60_000;

/**
 * The event types that carry meaning; any other type only contributes its timestamp. The same
 * list as the source contract's in @lmdash/core: this package imports nothing, so a test in the
 * daemon (`source/eventTypes.test.ts`) checks that the two agree.
 */
export const KNOWN_EVENT_TYPES = [
  'sessionStart',
  'openProject',
  'editBlocks',
  'runProject',
  'stopProject',
  'sessionEnd',
] as const;

const KNOWN: ReadonlySet<string> = new Set(KNOWN_EVENT_TYPES);

/** Mutable per-episode accumulator; frozen into an `Episode` when the episode closes. */
type Acc<T> = {
  start: number;
  end: number;
  project: string | null;
  events: number;
  runs: number;
  edits: number;
  stops: number;
  errors: number;
  parseErrors: number;
  iterator: number;
  explorer: number;
  stuck: number;
  streak: number;
  longestStreak: number;
  parsed: number;
  firstTree: T | null;
  lastTree: T | null;
};

function newAcc<T>(ts: number): Acc<T> {
  return {
    start: ts,
    end: ts,
    project: null,
    events: 0,
    runs: 0,
    edits: 0,
    stops: 0,
    errors: 0,
    parseErrors: 0,
    iterator: 0,
    explorer: 0,
    stuck: 0,
    streak: 0,
    longestStreak: 0,
    parsed: 0,
    firstTree: null,
    lastTree: null,
  };
}

/** A usable project name, or null: JSON from the mirror may hold '', null or non-strings. */
function projectOf(ev: EpisodeEvent<unknown>): string | null {
  return typeof ev.project === 'string' && ev.project !== '' ? ev.project : null;
}

/** Events in (ts, input index) order; the input itself when already ordered (the usual case). */
function ordered<T>(events: readonly EpisodeEvent<T>[]): readonly EpisodeEvent<T>[] {
  let sorted = true;
  for (let i = 0; i < events.length; i++) {
    const ts = events[i].ts;
    if (typeof ts !== 'number' || !Number.isFinite(ts)) {
      // A NaN would make the order (and every gap test) meaningless, so refuse it loudly.
      throw new RangeError(`segmentEpisodes: event ${i} has a non-finite ts (${String(ts)})`);
    }
    if (i > 0 && ts < events[i - 1].ts) sorted = false;
  }
  if (sorted) return events;
  const idx = events.map((_, i) => i);
  // Index tie-break makes the order total, so the result never depends on the sort algorithm.
  idx.sort((a, b) => events[a].ts - events[b].ts || a - b);
  return idx.map((i) => events[i]);
}

function addEvent<T>(acc: Acc<T>, ev: EpisodeEvent<T>, known: boolean): void {
  acc.events++;
  acc.end = ev.ts;
  if (!known) return;
  if (acc.project === null) acc.project = projectOf(ev);
  switch (ev.type) {
    case 'editBlocks':
      acc.edits++;
      break;
    case 'stopProject':
      acc.stops++;
      if (ev.reason === 'error') acc.errors++;
      break;
    case 'runProject': {
      acc.runs++;
      if (ev.parseError === true) acc.parseErrors++;
      const s = ev.state;
      if (s === ITERATOR) acc.iterator++;
      else if (s === EXPLORER) acc.explorer++;
      else if (s === STUCK) acc.stuck++;
      // Only a decoded "stuck" extends the streak; any other run, null state included, ends it.
      if (s === STUCK) {
        acc.streak++;
        if (acc.streak > acc.longestStreak) acc.longestStreak = acc.streak;
      } else {
        acc.streak = 0;
      }
      // A tree next to parseError: true is not trusted: the caller said the parse failed.
      if (ev.parseError !== true && ev.tree != null) {
        if (acc.parsed === 0) acc.firstTree = ev.tree;
        acc.lastTree = ev.tree;
        acc.parsed++;
      }
      break;
    }
  }
}

function close<T>(
  acc: Acc<T>,
  index: number,
  endReason: EndReason,
  distance: (a: T, b: T) => number | null,
): Episode {
  return {
    index,
    start: acc.start,
    end: acc.end,
    project: acc.project,
    endReason,
    counts: {
      events: acc.events,
      runs: acc.runs,
      edits: acc.edits,
      stops: acc.stops,
      errors: acc.errors,
      parseErrors: acc.parseErrors,
    },
    stateMix: { iterator: acc.iterator, explorer: acc.explorer, stuck: acc.stuck },
    longestStuckStreak: acc.longestStreak,
    // Fewer than two parsed runs: nothing to compare (0 would read as "ran twice, no change").
    netChange: acc.parsed >= 2 ? distance(acc.firstTree!, acc.lastTree!) : null,
  };
}

/**
 * Cuts an event stream into episodes, with an explicit tree distance. Splits, in order of
 * precedence: an inactivity gap > `gapMs`, a `sessionStart` after events, an event naming a
 * different project; a `sessionEnd` closes its episode after itself.
 * @example segmentEpisodesWith(events, { distance: ted, gapMs: 5 * 60_000 })
 */
export function segmentEpisodesWith<T = Tree>(
  events: readonly EpisodeEvent<T>[],
  opts: SegmentWithOptions<T>,
): Episode[] {
  const gapMs = opts.gapMs ?? DEFAULT_GAP_MS;
  // Infinity is allowed (never split on time); NaN would silently never split, so reject it.
  if (typeof gapMs !== 'number' || !(gapMs >= 0)) {
    throw new RangeError(`segmentEpisodes: gapMs must be >= 0 (got ${String(gapMs)})`);
  }
  const { distance } = opts;
  const evs = ordered(events);
  const out: Episode[] = [];
  let acc: Acc<T> | null = null;

  for (const ev of evs) {
    const known = KNOWN.has(ev.type);
    if (acc !== null) {
      let reason: EndReason | null = null;
      const p = known ? projectOf(ev) : null;
      if (ev.ts - acc.end > gapMs) reason = 'gap';
      else if (ev.type === 'sessionStart') reason = 'session-start';
      else if (p !== null && acc.project !== null && p !== acc.project) reason = 'project-switch';
      if (reason !== null) {
        out.push(close(acc, out.length, reason, distance));
        acc = null;
      }
    }
    acc ??= newAcc<T>(ev.ts);
    addEvent(acc, ev, known);
    if (ev.type === 'sessionEnd') {
      out.push(close(acc, out.length, 'session-end', distance));
      acc = null;
    }
  }
  if (acc !== null) out.push(close(acc, out.length, 'open', distance));
  return out;
}
