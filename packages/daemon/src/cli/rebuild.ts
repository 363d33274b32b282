/**
 * Rebuild and dump of the projection. `student_state`, `run` and `episode` are a pure function
 * of `vex_log`: rebuild deletes them and replays the log; dump prints them as canonical JSON
 * (sorted, without the `version` columns, which say when a row changed, not what it is), so a
 * rebuilt dump equals the incrementally built one byte for byte. With a distance resolver, a
 * rebuild reads known distances from the durable cache and computes each batch's missing pairs
 * in parallel on the pool before writing the batch.
 */
import { tables, type Db } from '@lmdash/core';
import { asc } from 'drizzle-orm';
import type { DistanceResolver } from '../distance/resolver.ts';
import { writeTick } from '../store/projection.ts';
import type { StudentChange } from '../worker/diff.ts';
import { Workers } from '../worker/workers.ts';
import type { ProjectionOptions } from '../projection/projectStudent.ts';

/** Students replayed per transaction by a rebuild. */
export const REBUILD_BATCH = 20;

export async function rebuildProjection(
  db: Db,
  opts: Omit<ProjectionOptions, 'cache' | 'astCache' | 'onMiss'>,
  now: number,
  distances?: DistanceResolver,
): Promise<{ students: number; version: number | null }> {
  db.transaction((tx) => {
    tx.delete(tables.studentState).run();
    tx.delete(tables.run).run();
    tx.delete(tables.episode).run();
  }, { behavior: 'immediate' });
  const students = db.selectDistinct({ id: tables.vexLog.studentId }).from(tables.vexLog).orderBy(asc(tables.vexLog.studentId)).all().map((r) => r.id);
  const workers = new Workers(db, opts, distances);
  // In batches, each in its own transaction, so memory stays bounded by a batch of students.
  let version: number | null = null;
  for (let i = 0; i < students.length; i += REBUILD_BATCH) {
    const batch = students.slice(i, i + REBUILD_BATCH);
    version = writeTick(db, { changes: await projectBatch(workers, batch, distances), actions: [] }, now) ?? version;
    distances?.flush(now);
    for (const s of batch) workers.forget(s);
    // Text read from SQLite lives outside the JS heap, so the GC does not feel its pressure in
    // this synchronous loop: without a collection per batch, a rebuild of 1M events held GBs.
    Bun.gc(true);
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
      if (r.change) changes.set(s, r.change);
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

/** The projection as canonical JSON text, with the identity of the model that decoded it. */
export function dumpProjection(db: Db): string {
  const strip = <T extends { version: number }>(rows: T[]) => rows.map(({ version: _v, ...r }) => r);
  const byKey = <T>(key: (r: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  const pad = (n: number) => String(n).padStart(9, '0');
  const dump = {
    model: db.select({ hash: tables.meta.modelHash }).from(tables.meta).get()?.hash ?? null,
    student_state: strip(db.select().from(tables.studentState).all()).sort(byKey((r) => r.studentId)),
    run: strip(db.select().from(tables.run).all()).sort(byKey((r) => `${r.studentId}\u0000${pad(r.runIndex)}`)),
    episode: strip(db.select().from(tables.episode).all()).sort(byKey((r) => `${r.studentId}\u0000${pad(r.episodeIndex)}`)),
  };
  return JSON.stringify(dump, null, 1) + '\n';
}
