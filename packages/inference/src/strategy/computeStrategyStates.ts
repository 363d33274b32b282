/**
 * From a student's ordered runs to one analysed row per run: parse each program, measure its
 * change against the previous program of the same project, bucket it, and decode the strategy
 * states with the HMM. O(R) parses, O(R) APTED calls (each pair at most once per cache), O(R·K²)
 * decoding.
 */
import { AstError } from '../blocks/errors.ts';
import { extractAst } from '../blocks/extract.ts';
import type { AstMeta } from '../blocks/extract.ts';
import { resolveLimits, type ProgramLimits } from '../blocks/limits.ts';
import type { Bucket } from '../change/bucket.ts';
import { bucket } from '../change/bucket.ts';
import { treeHash } from '../change/hash.ts';
import { DistanceCache, changeBetween, pairKey, type ChangeOptions, type ProgramRef } from '../change/score.ts';
import { defaultModel } from '../hmm/defaultModel.ts';
import { forwardBackward } from '../hmm/forwardBackward.ts';
import { MISSING, type HmmModel } from '../hmm/model.ts';
import { viterbi } from '../hmm/viterbi.ts';
import type { RunContext } from './context.ts';
import { decodeFeaturesInto, isFeatureModel, type StrategyModel } from './decode.ts';
import { defaultStrategyModel } from './defaultStrategyModel.ts';
import type { ProgramFacts } from './features.ts';
import { decidedByBounds, distanceClasses } from './provisional.ts';
import { programShape } from './shape.ts';
import { treeSize, type Tree } from '../tree/tree.ts';

import { ITERATOR, type StrategyStateId } from './states.ts';
export { EXPLORER, ITERATOR, STATE_NAMES, STUCK, type StrategyStateId } from './states.ts';

export type StrategyRun = {
  /** Epoch milliseconds or an ISO-8601 string. */
  timestamp: number | string;
  /** The program as the editor saved it (VEXcode file text, Blockly XML or JSON, Scratch 3), or its parsed JSON. */
  project: string | object;
  /** The project's name (`data.project`); a run is compared with the previous run of the same name. */
  projectName?: string | null;
  /** A stable key of this run (e.g. its source event id), for `astCache`. */
  key?: string;
  /** What the log says around the run (how it ended, a new session): observations of feature models. `runsFromEvents` fills it. */
  context?: RunContext;
};

export type StrategyRow = {
  /** 0-based position in the input. */
  index: number;
  /** Epoch milliseconds. */
  ts: number;
  projectName: string | null;
  /** Nodes of the canonical tree; null when the program did not parse. */
  astSize: number | null;
  /** Content hash of the canonical tree (`treeHash`); null when it did not parse. */
  treeHash: string | null;
  /** APTED distance to the previous parsed program of the same project; null for the first one. */
  distance: number | null;
  score: number | null;
  bucket: Bucket | null;
  /** The decoded strategy state, over the whole sequence: the Viterbi path, or each run's most probable state for a model with `decode: 'posterior'` (the default). */
  state: StrategyStateId;
  /** Posterior probability of each state at this run [iterator, explorer, stuck]. */
  posterior: [number, number, number];
  /** Why the program could not be analysed (an AstError's message), else null. */
  parseError: string | null;
};

export type StrategyOptions = {
  /** A FeatureModel over strategy features or a bucket-only HmmModel (`validateStrategyModel`); default `defaultStrategyModel`. */
  model?: StrategyModel;
  /** Share a cache across calls (a daemon re-decoding a student on every new run). */
  cache?: DistanceCache;
  /** Also return every run's canonical tree (`trees`), e.g. for episodes' net change. */
  keepTrees?: boolean;
  /**
   * Also return every run's parsed program (`programs`): its hash, size and metadata, with the
   * tree read only when used. Cheaper than `keepTrees` when the caller's `astCache` produces
   * trees on demand.
   */
  keepPrograms?: boolean;
  /**
   * Parsed programs by run `key`, kept across calls: a re-decode parses only new runs. A program
   * that failed (too large included) is cached as its AstError, so it is never parsed again;
   * keep the same `limits` for the life of a cache.
   */
  astCache?: ProgramCache;
  /**
   * Size bounds of a program (`extractAst`; defaults `DEFAULT_PROGRAM_LIMITS`). A program over
   * one is a run with a `too-large` parse error: counted, never compared.
   */
  limits?: Partial<ProgramLimits>;
  /** Where a distance missing from `cache` comes from (`changeScore`'s `onMiss`); default: APTED here. */
  onMiss?: ChangeOptions['onMiss'];
  /**
   * Exact bounds on the distance of a pair `onMiss` left pending (by its `pairKey`), when known.
   * A pending run whose bounds decide every class of the distance the decode reads
   * (`decidedByBounds`) is *provisional* instead of pending: it is decoded as the exact
   * distance will decode it, its `bucket` is the exact one, and its `distance` and `score` are
   * null until the exact distance is known (`provisional` counts such runs).
   */
  pendingBounds?: (key: string) => { lower: number; upper: number } | undefined;
};

export type StrategyResult = {
  /**
   * Pairs whose distance `onMiss` could not give yet (and their bounds did not decide). When > 0
   * the rows are not final (their distances, buckets and states mean nothing): compute those
   * pairs, then call again.
   */
  pending: number;
  /**
   * Runs whose distance is not known yet but whose bounds decide the decode (`pendingBounds`):
   * with `pending` = 0, every state, posterior and bucket is final, and only these runs'
   * `distance` and `score` (null) are still to come.
   */
  provisional: number;
  rows: StrategyRow[];
  /**
   * The last program that parsed, for prompts and pseudo-code: its tree (read only when used:
   * a cache that makes trees on demand makes none for a caller that has its pseudo-code by
   * `hash`), metadata and hash.
   */
  latest: { index: number; readonly tree: Tree; meta: AstMeta; hash: string } | null;
  /** With `keepTrees`: each run's tree, null where it did not parse. */
  trees?: (Tree | null)[];
  /** With `keepPrograms`: each run's parsed program, null where it did not parse. */
  programs?: (ParsedProgram | null)[];
};

/**
 * A run's program once parsed: its tree (which a cache may produce on demand), metadata, hash
 * and size, and its shape (`programShape`: the hash of its control structure, read by the
 * `structure` feature; computed from the tree when absent, so a cache that makes trees on
 * demand should keep it).
 */
export type ParsedProgram = ProgramRef & { readonly meta: AstMeta; readonly shape?: string };

/**
 * Parsed programs by run key, kept across calls (a `Map` will do). A program that failed is
 * kept as its AstError, so it is never parsed again.
 */
export type ProgramCache = {
  get(key: string): ParsedProgram | AstError | undefined;
  set(key: string, outcome: ParsedProgram | AstError): unknown;
};

function toMillis(ts: number | string, index: number): number {
  const ms = typeof ts === 'number' ? ts : Date.parse(ts);
  if (!Number.isFinite(ms)) throw new RangeError(`runs[${index}].timestamp is not a time: ${JSON.stringify(ts)}`);
  return ms;
}

/**
 * Analyses a student's runs, in the order given (sort them by time first).
 * @example
 * const { rows } = computeStrategyStates(runs.map((e) => ({ timestamp: e.timestamp, project: e.data.workspace, projectName: e.data.project })));
 * rows.at(-1)?.state // 0 iterator, 1 explorer, 2 stuck
 */
export function computeStrategyStates(runs: readonly StrategyRun[], opts: StrategyOptions = {}): StrategyResult {
  const model = opts.model ?? defaultStrategyModel;
  if (model.states.length !== 3) throw new RangeError(`computeStrategyStates needs a 3-state model (iterator, explorer, stuck); got ${model.states.length} states`);
  const cache = opts.cache ?? new DistanceCache();
  const limits = resolveLimits(opts.limits);
  const lastByProject = new Map<string, ParsedProgram>();
  const rows: StrategyRow[] = [];
  const obs: number[] = [];
  const programs: (ParsedProgram | null)[] = [];
  let latest: { index: number; program: ParsedProgram } | null = null;
  let pending = 0;
  // Runs decoded from their bounds: their distance and score are cleared after the decode.
  const provisional: StrategyRow[] = [];
  const classes = opts.pendingBounds ? distanceClasses(model) : [];

  runs.forEach((run, index) => {
    const ts = toMillis(run.timestamp, index);
    const projectName = run.projectName ?? null;
    const base = { index, ts, projectName };
    const outcome = parse(run, opts.astCache, limits);
    if (outcome instanceof AstError) {
      rows.push({ ...base, astSize: null, treeHash: null, distance: null, score: null, bucket: null, state: ITERATOR, posterior: [0, 0, 0], parseError: outcome.message });
      obs.push(MISSING);
      programs.push(null);
      return;
    }
    const parsed = outcome;
    latest = { index, program: parsed };
    programs.push(parsed);
    const hash = parsed.hash;
    const key = projectName ?? '';
    const prev = lastByProject.get(key);
    lastByProject.set(key, parsed);
    const row: StrategyRow = { ...base, astSize: parsed.size, treeHash: hash, distance: null, score: null, bucket: null, state: ITERATOR, posterior: [0, 0, 0], parseError: null };
    if (prev) {
      // Trees are read only when the pair is new: a re-decode of known pairs touches none.
      const c = changeBetween(prev, parsed, { cache, onMiss: opts.onMiss });
      let { distance, score } = c;
      if (c.pending) {
        const size = Math.max(prev.size, parsed.size);
        const b = opts.pendingBounds?.(pairKey(prev.hash, parsed.hash));
        if (b && decidedByBounds(classes, b.lower, b.upper, size)) {
          // Every distance in [lower, upper] observes alike: decode with the lower bound.
          distance = b.lower;
          score = Math.min(1, distance / size);
          provisional.push(row);
        } else pending++;
      }
      row.distance = distance;
      row.score = score;
      row.bucket = bucket(score, distance);
      obs.push(row.bucket);
    } else {
      // The first program of a project has nothing to be compared with: no evidence either way.
      obs.push(MISSING);
    }
    rows.push(row);
  });

  if (isFeatureModel(model)) decodeFeaturesInto({ rows, runs, programs: programFacts(programs, model.features.some((f) => f.name === 'structure')) }, model);
  else decodeInto(rows, obs, model);
  for (const row of provisional) {
    row.distance = null;
    row.score = null;
  }
  // Assigned in the loop's callback, which TypeScript's narrowing does not see.
  const last = latest as { index: number; program: ParsedProgram } | null;
  const result: StrategyResult = {
    rows,
    latest: last && {
      index: last.index,
      meta: last.program.meta,
      hash: last.program.hash,
      get tree() {
        return last.program.tree;
      },
    },
    pending,
    provisional: provisional.length,
  };
  if (opts.keepTrees) result.trees = programs.map((p) => p && p.tree);
  if (opts.keepPrograms) result.programs = programs;
  return result;
}

/** Parses a run's program, through the cache when the run has a key. Malformed programs become an AstError value. */
function parse(run: StrategyRun, cache: StrategyOptions['astCache'], limits: ProgramLimits): ParsedProgram | AstError {
  const hit = run.key !== undefined ? cache?.get(run.key) : undefined;
  if (hit) return hit;
  let outcome: ParsedProgram | AstError;
  try {
    const { tree, meta } = extractAst(run.project, limits);
    outcome = { tree, meta, hash: treeHash(tree), size: treeSize(tree), shape: programShape(tree) };
  } catch (e) {
    if (!(e instanceof AstError)) throw e;
    outcome = e;
  }
  if (run.key !== undefined) cache?.set(run.key, outcome);
  return outcome;
}

/**
 * What the features read of each parsed program (`ProgramFacts`): its number of scripts, and
 * with `shapes` its shape (from the tree only when the program does not carry it).
 */
export function programFacts(programs: readonly (ParsedProgram | null)[], shapes = true): ProgramFacts[] {
  return programs.map((p) => p && (shapes ? { scriptCount: p.meta.scriptCount, shape: p.shape ?? programShape(p.tree) } : { scriptCount: p.meta.scriptCount }));
}

/** Decodes states (Viterbi) and posteriors (forward-backward) into the rows. */
export function decodeInto(rows: StrategyRow[], obs: readonly number[], model: HmmModel = defaultModel): void {
  if (rows.length === 0) return;
  const { path } = viterbi(model, obs);
  const { posteriors } = forwardBackward(model, obs);
  for (let i = 0; i < rows.length; i++) {
    rows[i].state = path[i] as StrategyStateId;
    const p = posteriors[i];
    rows[i].posterior = [p[0], p[1], p[2]];
  }
}
