/**
 * Stage 2: the roster and the tracked allowlist. The mirrored directory is refreshed every few
 * minutes; `--track-all` tracks every student of the roster, `--track` a list. A student added
 * since the last tick gets a one-time backfill of their recent history through the `student=`
 * filter, separate from the cursor, so their card fills within a tick or two.
 * `--track-all` tracks the whole roster when nothing is tracked, and newcomers after that.
 */
import { noteText } from '../memory/collect.ts';
import type { TickContext } from './context.ts';

/** How often the mirrored roster is refreshed from the source. */
export const ROSTER_EVERY_MS = 5 * 60_000;

export async function refreshRoster(ctx: TickContext): Promise<void> {
  const now = ctx.now();
  if (ctx.memory.rosterAt !== 0 && now - ctx.memory.rosterAt < ROSTER_EVERY_MS) return;
  const students = await ctx.source.roster(undefined, { signal: ctx.signal });
  // A student a researcher untracked stays untracked.
  ctx.storage.roster.mirror(
    students.map((s) => ({ studentId: s.id, displayName: s.displayName, classroom: s.classroom })),
    ctx.tracking,
    now,
  );
  ctx.memory.rosterAt = now;
}

/** The tracked students, as a set. */
export function trackedSet(ctx: TickContext): Set<string> {
  return ctx.storage.roster.trackedIds();
}

/** Backfills every tracked student not yet backfilled; returns the students that got events. */
export async function backfill(ctx: TickContext): Promise<{ events: number; students: Set<string> }> {
  const pending = ctx.storage.roster.awaitingBackfill();
  const touched = new Set<string>();
  let events = 0;
  for (const studentId of pending) {
    const since = new Date(ctx.now() - ctx.config.backfillHours * 3_600_000);
    for await (const page of ctx.source.eventsSince(since, { student: studentId, signal: ctx.signal })) {
      const r = ctx.storage.log.append(page.filter((e) => e.student === studentId), null, ctx.now());
      noteText(r.bytes);
      events += r.inserted;
      for (const s of r.students) touched.add(s);
    }
    if (ctx.signal.aborted) break;
    ctx.storage.roster.markBackfilled(studentId, ctx.now());
    touched.add(studentId);
  }
  return { events, students: touched };
}

/** Every student with events in the log. */
export function studentsInLog(ctx: TickContext): string[] {
  return ctx.storage.log.students();
}
