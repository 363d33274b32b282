/**
 * O(R·F) for R runs and F features (`pace`: O(R log R)).
 *
 * The observations of the strategy model: for each run, one categorical symbol per feature,
 * computed from the analysed rows (distance, bucket, tree hash, time, project) and the run's
 * context (how it ended, a new session). Each feature and the research behind it is explained
 * in HMM.md. A feature that cannot be known for a run (nothing to compare with, a program that
 * did not parse, a stop not arrived yet) is MISSING (-1): no evidence either way.
 */
import { BUCKETS, bucket } from '../change/bucket.ts';
import { MISSING } from '../hmm/model.ts';
import type { StrategyRow, StrategyRun } from './computeStrategyStates.ts';

/**
 * What a run's program says beyond its distance: `AstMeta`'s script count and its shape
 * (`programShape`, absent when not computed); null where it did not parse.
 */
export type ProgramFacts = { readonly scriptCount: number; readonly shape?: string } | null;

/** Everything the features read about a student's runs, index by index. */
export type ObservationInput = {
  rows: readonly StrategyRow[];
  /** The runs the rows were computed from (their `context`). */
  runs: readonly StrategyRun[];
  /** Each run's program facts; without them the features that need them are MISSING. */
  programs?: readonly ProgramFacts[];
};

/** A feature of the strategy model: its symbols and how a run gets one. */
export type StrategyFeature = {
  readonly symbols: readonly string[];
  /** One line for people (the CLI and docs quote it). */
  readonly doc: string;
  /** Symbol id of every run, or MISSING. */
  readonly observe: (x: ObservationInput) => number[];
  /**
   * The class of a run's distance the feature reads, when it reads the distance at all (else
   * absent): two distances of one class give the same symbol, whatever the rest of the row.
   * Non-decreasing in `distance` for a fixed `size` (the larger program's nodes), so that exact
   * bounds of one class decide it (`decidedByBounds`).
   */
  readonly distanceClass?: (distance: number, size: number) => number;
};

/** Upper edges (inclusive) of the `edit` classes, in tree edit distance. */
export const EDIT_EDGES = [0, 1, 3, 9, 29] as const;
/** Upper edges (exclusive) of the `gap` classes, in minutes. */
export const GAP_EDGES_MIN = [1, 2, 4, 8] as const;
/** Upper edges (exclusive) of the `pace` classes: the gap over the student's median gap so far. */
export const PACE_EDGES = [0.5, 0.8, 1.25, 2] as const;
/** Gaps the `pace` median needs before it says anything. */
export const PACE_MIN_GAPS = 3;
/** How many earlier versions of a project `revert` looks back through. */
export const REVERT_WINDOW = 10;

const classOf = (x: number, edges: readonly number[], inclusive: boolean): number => {
  let c = 0;
  while (c < edges.length && (inclusive ? x > edges[c] : x >= edges[c])) c++;
  return c;
};

/** Time since the previous run, ms, when both are in the same session; else null. */
function gaps(rows: readonly StrategyRow[], runs: readonly StrategyRun[]): (number | null)[] {
  return rows.map((r, i) => (i === 0 || runs[i]?.context?.newSession ? null : r.ts - rows[i - 1].ts));
}

/** Binary insertion keeps `sorted` ordered: O(log R) to find, O(R) to shift, fine for thousands of runs. */
function insertSorted(sorted: number[], x: number): void {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  sorted.splice(lo, 0, x);
}

/** The median of a sorted array. */
const median = (sorted: readonly number[]): number => {
  const n = sorted.length;
  return n % 2 === 1 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
};

export const STRATEGY_FEATURES = {
  change: {
    symbols: BUCKETS,
    doc: 'the change bucket against the previous version of the project (identical, tweak, local, restructure, rewrite)',
    observe: ({ rows }) => rows.map((r) => r.bucket ?? MISSING),
    distanceClass: (d, size) => bucket(Math.min(1, d / size), d),
  },
  edit: {
    symbols: ['0', '1', '2-3', '4-9', '10-29', '30+'],
    doc: 'the tree edit distance to the previous version of the project, in classes whatever the program size',
    observe: ({ rows }) => rows.map((r) => (r.distance === null || r.bucket === null ? MISSING : classOf(r.distance, EDIT_EDGES, true))),
    distanceClass: (d) => classOf(d, EDIT_EDGES, true),
  },
  revert: {
    symbols: ['new', 'earlier'],
    doc: 'whether a changed program is one of the last versions of its project before the previous one (undoing a change, flipping a value back)',
    observe: ({ rows }) => {
      const history = new Map<string, string[]>();
      return rows.map((r) => {
        if (r.treeHash === null) return MISSING;
        const key = r.projectName ?? '';
        const seen = history.get(key) ?? [];
        history.set(key, [...seen.slice(-(REVERT_WINDOW - 1)), r.treeHash]);
        if (seen.length === 0 || r.distance === 0 || r.treeHash === seen.at(-1)) return MISSING;
        return seen.slice(0, -1).includes(r.treeHash) ? 1 : 0;
      });
    },
    // Reads only whether the distance is 0.
    distanceClass: (d) => (d === 0 ? 0 : 1),
  },
  stop: {
    symbols: ['error', 'stopped', 'none'],
    doc: "how the run ended: stopped with an error, stopped by the student or completed, or not stopped before the next run (stopProject's reason)",
    observe: ({ runs }) =>
      runs.map((run) => {
        const s = run.context?.stop;
        if (s === null || s === undefined) return MISSING;
        return s === 'error' ? 0 : s === 'none' ? 2 : 1;
      }),
  },
  gap: {
    symbols: ['<1m', '1-2m', '2-4m', '4-8m', '8m+'],
    doc: 'time since the previous run in the same session, in minutes',
    observe: ({ rows, runs }) => gaps(rows, runs).map((g) => (g === null ? MISSING : classOf(g / 60_000, GAP_EDGES_MIN, false))),
  },
  pace: {
    symbols: ['much faster', 'faster', 'usual', 'slower', 'much slower'],
    doc: "time since the previous run in the same session over the student's median such time so far",
    observe: ({ rows, runs }) => {
      const sorted: number[] = [];
      return gaps(rows, runs).map((g) => {
        if (g === null) return MISSING;
        const out = sorted.length < PACE_MIN_GAPS ? MISSING : classOf(g / Math.max(1, median(sorted)), PACE_EDGES, false);
        insertSorted(sorted, g);
        return out;
      });
    },
  },
  switch: {
    symbols: ['same', 'other'],
    doc: 'whether the run is of another project than the previous run of the same session',
    observe: ({ rows, runs }) => rows.map((r, i) => (i === 0 || runs[i]?.context?.newSession ? MISSING : r.projectName === rows[i - 1].projectName ? 0 : 1)),
  },
  scripts: {
    symbols: ['same', 'more', 'fewer'],
    doc: 'whether the program has as many scripts (top-level stacks) as the previous version of the project, more, or fewer',
    observe: ({ rows, programs }) => countChange(rows, programs, (p) => p.scriptCount, (d) => (d === 0 ? 0 : d > 0 ? 1 : 2)),
  },
  structure: {
    symbols: ['same', 'reshaped', 'more scripts', 'fewer scripts'],
    doc: 'whether the control structure changed against the previous version of the project: loops, ifs and My Blocks as they were (values and simple statements aside), reshaped, or scripts added or removed',
    observe: ({ rows, programs }) => {
      const last = new Map<string, NonNullable<ProgramFacts>>();
      return rows.map((r, i) => {
        const p = programs?.[i];
        if (!p || p.shape === undefined || r.treeHash === null) return MISSING;
        const key = r.projectName ?? '';
        const before = last.get(key);
        last.set(key, p);
        if (before === undefined || before.shape === undefined) return MISSING;
        if (p.scriptCount !== before.scriptCount) return p.scriptCount > before.scriptCount ? 2 : 3;
        return p.shape === before.shape ? 0 : 1;
      });
    },
  },
} as const satisfies Record<string, StrategyFeature>;

/** A count of each program against the previous parsed version of the same project, classed by `classify(difference)`. */
function countChange(rows: readonly StrategyRow[], programs: readonly ProgramFacts[] | undefined, count: (p: NonNullable<ProgramFacts>) => number, classify: (d: number) => number): number[] {
  const last = new Map<string, number>();
  return rows.map((r, i) => {
    const p = programs?.[i];
    if (!p || r.treeHash === null) return MISSING;
    const key = r.projectName ?? '';
    const before = last.get(key);
    last.set(key, count(p));
    return before === undefined ? MISSING : classify(count(p) - before);
  });
}

export type StrategyFeatureName = keyof typeof STRATEGY_FEATURES;

export function isStrategyFeature(name: string): name is StrategyFeatureName {
  return Object.hasOwn(STRATEGY_FEATURES, name);
}

/**
 * The observation vectors of a student's analysed runs: obs[t][f] for the features `names`, in
 * that order.
 * @example strategyObservations({ rows, runs }, ['change', 'stop'])[3] // [1, 0]: a tweak, then an error
 */
export function strategyObservations(x: ObservationInput, names: readonly string[]): number[][] {
  const columns = names.map((name) => {
    if (!isStrategyFeature(name)) throw new RangeError(`unknown strategy feature '${name}' (known: ${Object.keys(STRATEGY_FEATURES).join(', ')})`);
    return STRATEGY_FEATURES[name].observe(x);
  });
  return x.rows.map((_, t) => columns.map((c) => c[t]));
}
