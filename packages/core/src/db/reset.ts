/**
 * A researcher's reset (issue: the API's `POST /reset`): wipe everything mirrored and derived —
 * the log, the cursor, the allowlist, the projection, the alerts and what producers published — keep the roster
 * directory, and stamp `meta` so the daemon drops its in-memory workers at its next tick and
 * readers on the old epoch take a fresh snapshot. One transaction: a reader sees all or nothing.
 */
import { eq, sql } from 'drizzle-orm';
import type { Db } from './open.ts';
import { cursor, episode, meta, publishedEvent, run, studentState, trackedStudent, triggerEvent, vexLog } from './schema.ts';

export function resetLocalData(db: Db, now: number): { epoch: number; version: number } {
  return db.transaction((tx) => {
    for (const t of [vexLog, trackedStudent, studentState, run, episode, triggerEvent, publishedEvent]) tx.delete(t).run();
    tx.update(cursor).set({ lastEventTime: null, lastSourceId: null, updatedAt: now }).where(eq(cursor.id, 1)).run();
    const row = tx
      .update(meta)
      .set({ epoch: sql`${meta.epoch} + 1`, version: sql`${meta.version} + 1`, resetRequestedAt: now })
      .where(eq(meta.id, 1))
      .returning({ epoch: meta.epoch, version: meta.version })
      .get();
    return row!;
  });
}
