/**
 * Writes projection rows and alert changes, and bumps `meta.version`, in one transaction per
 * tick. A row gets the new version only if its content changed, so the API can send exactly
 * the rows that are newer than what a client has seen.
 */
import { tables, type Db } from '@lmdash/core';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { EpisodeRow, RunRow, StudentCard, StudentProjection } from '../projection/projectStudent.ts';
import type { StoredTrigger, TriggerAction } from '../triggers/types.ts';

const { episode, meta, run, studentState, triggerEvent } = tables;
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/** Columns compared to decide whether a row changed (everything but `version`). */
function same<T extends object>(a: T, b: T): boolean {
  for (const k of Object.keys(a) as (keyof T)[]) if (k !== 'version' && a[k] !== b[k]) return false;
  return true;
}

function writeCard(tx: Tx, card: StudentCard, version: number): boolean {
  const old = tx.select().from(studentState).where(eq(studentState.studentId, card.studentId)).get();
  if (old && same(card, old as unknown as StudentCard)) return false;
  tx.insert(studentState).values({ ...card, version }).onConflictDoUpdate({ target: studentState.studentId, set: { ...card, version } }).run();
  return true;
}

function writeRows<R extends { studentId: string }>(
  tx: Tx, table: typeof run | typeof episode, key: 'runIndex' | 'episodeIndex', studentId: string, rows: readonly R[], version: number,
): boolean {
  const keyCol = key === 'runIndex' ? run.runIndex : episode.episodeIndex;
  const studentCol = table === run ? run.studentId : episode.studentId;
  const old = new Map((tx.select().from(table).where(eq(studentCol, studentId)).all() as Record<string, unknown>[]).map((r) => [r[key] as number, r]));
  let changed = false;
  for (const row of rows) {
    const k = (row as unknown as Record<string, number>)[key];
    const prev = old.get(k);
    old.delete(k);
    if (prev && same(row as object, prev as object)) continue;
    changed = true;
    if (prev) tx.delete(table).where(and(eq(studentCol, studentId), eq(keyCol, k))).run();
    tx.insert(table).values({ ...(row as object), version } as never).run();
  }
  // Rows the projection no longer has (a shorter replayed tail never drops runs: see worker).
  if (old.size > 0) {
    changed = true;
    tx.delete(table).where(and(eq(studentCol, studentId), inArray(keyCol, [...old.keys()]))).run();
  }
  return changed;
}

export type TickWrite = {
  projections: readonly StudentProjection[];
  actions: readonly TriggerAction[];
};

/**
 * Applies a tick's changes atomically. Returns the new `meta.version`, or null when nothing
 * changed (then the version is not bumped and readers are not woken).
 */
export function writeTick(db: Db, w: TickWrite, now: number): number | null {
  return db.transaction((tx) => {
    const current = tx.select({ version: meta.version }).from(meta).where(eq(meta.id, 1)).get()!.version;
    const version = current + 1;
    let changed = false;
    for (const p of w.projections) {
      changed = writeCard(tx, p.card, version) || changed;
      changed = writeRows(tx, run, 'runIndex', p.card.studentId, p.runs as RunRow[], version) || changed;
      changed = writeRows(tx, episode, 'episodeIndex', p.card.studentId, p.episodes as EpisodeRow[], version) || changed;
    }
    for (const a of w.actions) {
      // A replayed big rewrite hits the once-per-run index and changes nothing.
      const touched =
        a.action === 'open'
          ? tx.insert(triggerEvent)
              .values({ studentId: a.studentId, kind: a.kind, status: 'open', startedAt: a.startedAt, openedAt: now, runIndex: a.runIndex, reopenedFrom: a.reopenedFrom, detail: JSON.stringify(a.detail), version })
              .onConflictDoNothing()
              .returning({ id: triggerEvent.id })
              .all()
          : tx.update(triggerEvent).set({ status: 'resolved', resolvedAt: now, version }).where(eq(triggerEvent.id, a.id)).returning({ id: triggerEvent.id }).all();
      changed = touched.length > 0 || changed;
    }
    if (!changed) return null;
    tx.update(meta).set({ version }).where(eq(meta.id, 1)).run();
    return version;
  });
}

/** The alerts the rules need for one student: open or acked ones, and every big rewrite. */
export function triggersOf(db: Db, studentId: string): StoredTrigger[] {
  return db
    .select({ id: triggerEvent.id, studentId: triggerEvent.studentId, kind: triggerEvent.kind, status: triggerEvent.status, startedAt: triggerEvent.startedAt, openedAt: triggerEvent.openedAt, runIndex: triggerEvent.runIndex, reopenedFrom: triggerEvent.reopenedFrom })
    .from(triggerEvent)
    .where(and(eq(triggerEvent.studentId, studentId), sql`(${triggerEvent.status} != 'resolved' OR ${triggerEvent.kind} = 'big_rewrite')`))
    .all();
}
