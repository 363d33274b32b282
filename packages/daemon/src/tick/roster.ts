/**
 * Stage 2: the roster and the tracked allowlist. The mirrored directory is refreshed every few
 * minutes; `--track-all` tracks every student of the roster, `--track` a list. A student added
 * since the last tick gets a one-time backfill of their recent history through the `student=`
 * filter, separate from the cursor, so their card fills within a tick or two.
 * `--track-all` tracks the whole roster when nothing is tracked, and newcomers after that.
 */
import { tables } from '@lmdash/core';
import { eq, isNull } from 'drizzle-orm';
import { noteText } from '../memory/collect.ts';
import { ingestEvents } from '../store/log.ts';
import type { TickContext } from './context.ts';

/** How often the mirrored roster is refreshed from the source. */
export const ROSTER_EVERY_MS = 5 * 60_000;

export async function refreshRoster(ctx: TickContext): Promise<void> {
  const now = ctx.now();
  if (ctx.memory.rosterAt !== 0 && now - ctx.memory.rosterAt < ROSTER_EVERY_MS) return;
  const students = await ctx.source.roster(undefined, { signal: ctx.signal });
  ctx.db.transaction((tx) => {
    // --track-all tracks the whole class when nothing is tracked (a new file, a reset), then
    // whoever joins the roster later; a student a researcher untracked stays untracked.
    const known = new Set(tx.select({ id: tables.studentDirectory.studentId }).from(tables.studentDirectory).all().map((r) => r.id));
    const anyTracked = tx.select({ id: tables.trackedStudent.studentId }).from(tables.trackedStudent).limit(1).all().length > 0;
    for (const s of students) {
      const row = { studentId: s.id, displayName: s.displayName, classroom: s.classroom, updatedAt: now };
      tx.insert(tables.studentDirectory).values(row).onConflictDoUpdate({ target: tables.studentDirectory.studentId, set: row }).run();
    }
    const wanted = ctx.tracking.mode === 'all' ? students.filter((s) => !anyTracked || !known.has(s.id)).map((s) => s.id) : ctx.tracking.mode === 'list' ? ctx.tracking.students : [];
    for (const id of wanted) tx.insert(tables.trackedStudent).values({ studentId: id, addedAt: now }).onConflictDoNothing().run();
  }, { behavior: 'immediate' }); // it reads before it writes: see writeTick
  ctx.memory.rosterAt = now;
}

/** The tracked students, as a set. */
export function trackedSet(ctx: TickContext): Set<string> {
  return new Set(ctx.db.select({ id: tables.trackedStudent.studentId }).from(tables.trackedStudent).all().map((r) => r.id));
}

/** Backfills every tracked student not yet backfilled; returns the students that got events. */
export async function backfill(ctx: TickContext): Promise<{ events: number; students: Set<string> }> {
  const pending = ctx.db.select().from(tables.trackedStudent).where(isNull(tables.trackedStudent.backfilledAt)).all();
  const touched = new Set<string>();
  let events = 0;
  for (const t of pending) {
    const since = new Date(ctx.now() - ctx.config.backfillHours * 3_600_000);
    for await (const page of ctx.source.eventsSince(since, { student: t.studentId, signal: ctx.signal })) {
      const r = ingestEvents(ctx.db, page.filter((e) => e.student === t.studentId), null, ctx.now());
      noteText(r.bytes);
      events += r.inserted;
      for (const s of r.students) touched.add(s);
    }
    if (ctx.signal.aborted) break;
    ctx.db.update(tables.trackedStudent).set({ backfilledAt: ctx.now() }).where(eq(tables.trackedStudent.studentId, t.studentId)).run();
    touched.add(t.studentId);
  }
  return { events, students: touched };
}

/** Every student with events in the log. */
export function studentsInLog(ctx: TickContext): string[] {
  return ctx.db.selectDistinct({ id: tables.vexLog.studentId }).from(tables.vexLog).all().map((r) => r.id);
}
