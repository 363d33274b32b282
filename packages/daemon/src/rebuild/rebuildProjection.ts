/**
 * Rebuild of the projection. `student_state`, `run` and `episode` are a pure function of
 * `vex_log`: a rebuild deletes them and replays the log, so its dump (`dumpProjection.ts`)
 * equals the incrementally built one byte for byte. With a distance resolver, a rebuild reads
 * known distances from the durable cache and computes each batch's missing pairs in parallel on
 * the pool before writing the batch. With program summaries, a program summarised before is not
 * parsed again (only each student's latest, for the card, and those of pairs to compute).
 * `lmdash rebuild` (`cli/commands.ts`) runs it.
 */
import type { Storage } from '@lmdash/core';
import type { DistanceResolver } from '../distance/resolver.ts';
import type { DurableSummaries } from '../durable/programSummaries.ts';
import type { ProjectionOptions } from '../projection/projectStudent.ts';
import type { StudentChange } from '../worker/diff.ts';
import { Workers } from '../worker/workers.ts';
import { checkpoint } from '../memory/collect.ts';

/** Students replayed per transaction by a rebuild. */
export const REBUILD_BATCH = 20;

export async function rebuildProjection(
  store: Storage,
  opts: Omit<ProjectionOptions, 'cache' | 'astCache' | 'onMiss' | 'pseudocode'>,
  now: number,
  distances?: DistanceResolver,
  summaries?: DurableSummaries,
): Promise<{ students: number; version: number | null }> {
  store.projection.clear();
  const students = store.log.students();
  // No program kept as text: each student is projected once (a tree needed again, for a pair
  // computed in a second pass, is parsed from the log), and serialising every tree cost ~8 %.
  const workers = new Workers(store, opts, { distances, programCacheBytes: 0, summaries });
  // In batches, each in its own transaction, so memory stays bounded by a batch of students.
  let version: number | null = null;
  for (let i = 0; i < students.length; i += REBUILD_BATCH) {
    const batch = students.slice(i, i + REBUILD_BATCH);
    version = store.projection.writeTick({ changes: await projectBatch(workers, batch, distances), actions: [] }, now) ?? version;
    distances?.flush(now);
    workers.flush(now);
    for (const s of batch) workers.forget(s);
    // Text read from SQLite lives outside the JS heap, so the GC does not feel its pressure in
    // this synchronous loop (without collections, a rebuild of 1M events held GBs). A full
    // collection per batch cost a quarter of a warm rebuild's time; collecting when the process
    // has grown (`checkpoint`, also after each student) bounds it as well.
    checkpoint();
  }
  return { students: students.length, version };
}

/**
 * A batch's exact changes: a first pass sends the pairs the bounds do not settle to the pool
 * (in parallel); once it is idle, the students who waited are projected again.
 */
async function projectBatch(workers: Workers, batch: readonly string[], distances: DistanceResolver | undefined): Promise<StudentChange[]> {
  const changes = new Map<string, StudentChange>();
  let todo = batch;
  while (todo.length > 0) {
    const waiting: string[] = [];
    for (const s of todo) {
      const r = workers.recompute(s);
      if (r.change && r.pending.size === 0) changes.set(s, r.change);
      else waiting.push(s);
    }
    if (waiting.length > 0) {
      await distances!.pool!.idle();
      distances!.collect();
    }
    todo = waiting;
  }
  return batch.map((s) => changes.get(s)!);
}
