/**
 * Types of episode segmentation: a student's event stream cut into stretches of work on one
 * project. The rules and edge cases are in `EPISODES.md` at the package root.
 */
import type { Tree } from '../tree/tree.ts';

/**
 * One event of a student's stream, flattened from the source API. Only the six known types
 * (`sessionStart`, `openProject`, `editBlocks`, `runProject`, `stopProject`, `sessionEnd`) have
 * meaning; any other type is kept for its timestamp only.
 */
export type EpisodeEvent<T = Tree> = {
  /** Event type; unknown types are allowed. */
  type: string;
  /** Epoch milliseconds; must be finite. */
  ts: number;
  /** `data.project` when present; null, undefined or '' mean "no project". */
  project?: string | null;
  /** `stopProject` reason: 'user' | 'error' | 'completed'. */
  reason?: string | null;
  /** `runProject` only: decoded strategy state, 0 iterator, 1 explorer, 2 stuck. */
  state?: 0 | 1 | 2 | null;
  /**
   * `runProject` only: canonical program tree (or whatever the caller's distance compares, such
   * as a program reference); null/undefined when it failed to parse.
   */
  tree?: T | null;
  /** `runProject` only: true when the program failed to parse. */
  parseError?: boolean;
};

/** Why an episode ended. 'open' is the last episode, which may still grow. */
export type EndReason = 'gap' | 'project-switch' | 'session-end' | 'session-start' | 'open';

export type EpisodeCounts = {
  /** All events of the episode, unknown types included. */
  events: number;
  runs: number;
  edits: number;
  stops: number;
  /** `stopProject` events with reason 'error'. */
  errors: number;
  /** `runProject` events with `parseError: true`. */
  parseErrors: number;
};

/** Runs per decoded strategy state; runs without a valid state are not counted. */
export type StateMix = { iterator: number; explorer: number; stuck: number };

export type Episode = {
  /** 0-based position in the result. */
  index: number;
  /** ts of the first and last event of the episode. */
  start: number;
  end: number;
  /** The episode's single project; null when no event of it named one. */
  project: string | null;
  endReason: EndReason;
  counts: EpisodeCounts;
  stateMix: StateMix;
  /** Longest run of consecutive runs decoded stuck (2); any other run breaks it. */
  longestStuckStreak: number;
  /** distance(first parsed tree, last parsed tree); null with fewer than two parsed runs. */
  netChange: number | null;
};

export type SegmentOptions = {
  /** An inactivity gap strictly longer than this starts a new episode. Default 10 minutes. */
  gapMs?: number;
  /** Tree edit distance for `netChange`. Default: APTED `ted`. */
  distance?: (a: Tree, b: Tree) => number;
};

/** Options of `segmentEpisodesWith`, the core that takes its distance explicitly. */
export type SegmentWithOptions<T = Tree> = Omit<SegmentOptions, 'distance'> & {
  /** The distance of two programs; null when it is not known yet (the episode's `netChange` is then null). */
  distance: (a: T, b: T) => number | null;
};
