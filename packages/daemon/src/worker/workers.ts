/**
 * In-memory per-student workers: each keeps the student's events (rehydrated from `vex_log` on
 * a cold start), parsed programs (compactly: `programs.ts`), a distance cache and the rows last
 * written, so a recompute parses and compares only what is new and a tick writes only the rows
 * that changed. Workers are a cache of the log: dropping them (a reset) loses nothing.
 */
import { DistanceCache, type AstError } from '@lmdash/inference';
import type { LogStore, ProjectionStore, Storage, StoredEvent } from '@lmdash/core';
import type { DistanceResolver } from '../distance/resolver.ts';
import type { DurableSummaries, ProgramSummary } from '../durable/programSummaries.ts';
import { projectStudent, type ProjectionOptions } from '../projection/projectStudent.ts';
import { applyChange, diffProjection, type StudentChange, type Written } from './diff.ts';
import { checkpoint, noteText } from '../memory/collect.ts';
import { ProgramTexts, StudentPrograms } from './programs.ts';

/** Events a worker keeps per student; older ones stay in the log. */
export const WORKER_TAIL = 5000;

/** Default bound of the programs kept as packed text (LMDASH_PROGRAM_CACHE_MB): ~7,000 team-sized programs. */
export const PROGRAM_CACHE_BYTES = 8 * 1024 * 1024;

type Worker = {
  events: StoredEvent[];
  /** The newest log position this worker holds. */
  maxId: number;
  cache: DistanceCache;
  astCache: StudentPrograms;
  /** The card's pseudo-code of the latest program (`ProjectionOptions.pseudocode`). */
  pseudocode: Map<string, string>;
  written: Written;
};

/**
 * A recompute's outcome, with the keys of the pairs still being computed off the tick
 * (`pending`, empty when none):
 * - `change` and no pending pair: the exact projection's changed rows;
 * - `change` and pending pairs: a *provisional* projection — every state decided from the
 *   pairs' exact bounds, only their distances (and scores, net changes) still null — to be
 *   written now and rewritten when the pairs arrive (only with `provisional` on);
 * - no `change`: the bounds do not decide some pair: nothing is written, the student waits.
 */
export type Recomputed = { change: StudentChange | null; pending: ReadonlySet<string> };

export type WorkersOptions = {
  /** Where missing distances come from (default: APTED on the spot, never pending). */
  distances?: DistanceResolver;
  /** The bound of the program texts kept (LMDASH_PROGRAM_CACHE_MB); 0 keeps none (a rebuild). */
  programCacheBytes?: number;
  /**
   * Whether a projection whose pending pairs the bounds decide is returned as a change (the
   * daemon's ticks) or held back like any pending one (a rebuild: only exact rows).
   */
  provisional?: boolean;
  /** Durable summaries of parsed programs: a program summarised before is not parsed again. */
  summaries?: DurableSummaries;
};

export class Workers {
  private readonly byStudent = new Map<string, Worker>();
  /** The log position up to which warm workers have been fed; null until the first feed. */
  private fed: number | null = null;
  /** Every worker's program texts, bounded together. */
  readonly programs: ProgramTexts;
  private readonly log: LogStore;
  private readonly projection: ProjectionStore;
  private readonly distances: DistanceResolver | undefined;
  private readonly provisional: boolean;
  private readonly summaries: DurableSummaries | undefined;

  constructor(
    store: Storage,
    private readonly opts: Omit<ProjectionOptions, 'cache' | 'astCache' | 'onMiss' | 'pseudocode'>,
    o: WorkersOptions = {},
  ) {
    this.log = store.log;
    this.projection = store.projection;
    this.distances = o.distances;
    this.provisional = o.provisional ?? false;
    this.summaries = o.summaries?.enabled ? o.summaries : undefined;
    this.programs = new ProgramTexts(o.programCacheBytes ?? PROGRAM_CACHE_BYTES, (key) => programOf(store.log.eventData(key)), opts.limits);
  }

  /** Drops every worker (after a reset): the next recompute rehydrates from the log. */
  clear(): void {
    this.byStudent.clear();
    this.programs.clear();
    this.fed = null;
  }

  /** Drops one worker (a rebuild goes through students in batches). */
  forget(studentId: string): void {
    this.byStudent.get(studentId)?.astCache.clear();
    this.byStudent.delete(studentId);
  }

  get size(): number {
    return this.byStudent.size;
  }

  /**
   * Hands the events stored since the last call to the warm workers, in one read of the log.
   * Returns the students who had new events (cold ones rehydrate on their recompute).
   */
  absorb(): Set<string> {
    const touched = new Set<string>();
    if (this.fed === null) {
      this.fed = this.log.lastPosition();
      return touched;
    }
    for (const e of this.log.eventsAfter(this.fed)) {
      this.fed = e.id;
      touched.add(e.studentId);
      const w = this.byStudent.get(e.studentId);
      if (!w || e.id <= w.maxId) continue;
      w.events.push(keepWhatIsRead(e));
      w.maxId = e.id;
    }
    return touched;
  }

  /** The student's changed rows after the events now in the worker (or in the log, when cold). */
  recompute(studentId: string): Recomputed {
    let w = this.byStudent.get(studentId);
    if (!w) {
      const events = this.log.studentTail(studentId, WORKER_TAIL);
      noteText(events.reduce((n, e) => n + (programOf(e.data)?.length ?? 0), 0));
      for (const e of events) keepWhatIsRead(e);
      w = { events, maxId: events.reduce((m, e) => (e.id > m ? e.id : m), 0), cache: new DistanceCache(2000), astCache: new StudentPrograms(this.programs), pseudocode: new Map(), written: this.projection.readWritten(studentId) };
      this.byStudent.set(studentId, w);
    } else if (w.events.length > WORKER_TAIL) {
      for (const e of w.events.splice(0, w.events.length - WORKER_TAIL)) w.astCache.delete(e.sourceEventId);
    }
    const pending = new Set<string>();
    const distances = this.distances;
    const onMiss = distances?.onMiss(pending);
    const pendingBounds = this.provisional && distances ? (key: string) => distances.boundsOf(key) : undefined;
    const toStore = this.adoptSummaries(w);
    const projection = projectStudent(studentId, w.events, { ...this.opts, cache: w.cache, astCache: w.astCache, pseudocode: w.pseudocode, onMiss, pendingBounds });
    for (const [id, key] of toStore) {
      const parsed = w.astCache.get(id);
      if (parsed) this.summaries!.remember(key, parsed as ProgramSummary | AstError);
    }
    this.programs.release();
    slim(w);
    checkpoint();
    if (pending.size > 0 && (!this.provisional || projection.pending > 0)) return { change: null, pending };
    return { change: diffProjection(w.written, projection), pending };
  }

  /**
   * Gives the runs not parsed yet their stored summaries (one read for the student); returns
   * the rest, by run, with the key their summary is to be stored under once parsed.
   */
  private adoptSummaries(w: Worker): Map<string, string> {
    const toStore = new Map<string, string>();
    if (!this.summaries) return toStore;
    for (const e of w.events) {
      if (e.type !== 'runProject' || w.astCache.has(e.sourceEventId)) continue;
      const text = programOf(e.data);
      if (text !== undefined) toStore.set(e.sourceEventId, this.summaries.keyOf(text));
    }
    if (toStore.size === 0) return toStore;
    const found = this.summaries.read([...new Set(toStore.values())]);
    for (const [id, key] of toStore) {
      const summary = found.get(key);
      if (summary === undefined) continue;
      w.astCache.adopt(id, summary);
      toStore.delete(id);
    }
    return toStore;
  }

  /** Stores the summaries of the programs parsed since the last call (the tick's end, a rebuild's batch). */
  flush(now: number): void {
    this.summaries?.flush(now);
  }

  /** Records that these changes are committed: the next diff starts from them. */
  committed(changes: readonly StudentChange[]): void {
    for (const c of changes) {
      const w = this.byStudent.get(c.studentId);
      if (w) applyChange(w.written, c);
    }
  }
}

/**
 * Drops the program text of runs whose parse is cached: the tree is what later recomputes use,
 * and the XML is most of a worker's memory.
 */
function slim(w: Worker): void {
  for (const e of w.events) if (e.type === 'runProject' && w.astCache.has(e.sourceEventId)) dropWorkspace(e);
}

/**
 * Drops the workspace of an event that is not a run (`openProject`, `editBlocks`): the
 * projection reads only their project, reason and platform, and their workspaces were a tenth
 * of a team class's event text, kept for the whole session.
 */
export function keepWhatIsRead(e: StoredEvent): StoredEvent {
  if (e.type !== 'runProject') dropWorkspace(e);
  return e;
}

/** Removes `workspace` from an event's data, in place (the rest of the data stays). */
function dropWorkspace(e: StoredEvent): void {
  const d = e.data as Record<string, unknown> | null;
  if (!d || typeof d !== 'object' || !('workspace' in d)) return;
  const { workspace: _w, ...rest } = d;
  e.data = rest;
}

/** A run's program text from its stored `data` (undefined when there is none). */
function programOf(data: unknown): string | undefined {
  const w = data && typeof data === 'object' ? (data as Record<string, unknown>).workspace : undefined;
  return typeof w === 'string' ? w : undefined;
}
