/**
 * One tick of the daemon, the list of its stages: reset check, roster and backfill, drain,
 * recompute each student with new events once, sweep the alerts, and write the projection
 * changes with one `meta.version` bump.
 */
import { writeTick } from '../store/projection.ts';
import type { StudentChange } from '../worker/diff.ts';
import type { TickContext, TickReport } from './context.ts';
import { drain } from './drain.ts';
import { resetCheck } from './resetCheck.ts';
import { backfill, refreshRoster, studentsInLog, trackedSet } from './roster.ts';
import { sweepTriggers } from './triggers.ts';

export async function tick(ctx: TickContext): Promise<TickReport> {
  const started = performance.now();
  if (resetCheck(ctx)) ctx.memory.recomputeAll = true;
  await refreshRoster(ctx);
  const filled = await backfill(ctx);
  const tracked = trackedSet(ctx);
  const drained = await drain(ctx, tracked);
  const dirty = new Set([...filled.students, ...drained.students, ...ctx.workers.absorb()]);
  // A cold start recomputes everyone: a crash between storing events and projecting them
  // leaves events whose re-reading stores nothing new, so nothing else would mark them dirty.
  if (ctx.memory.ticks === 0 || ctx.memory.recomputeAll) {
    for (const s of studentsInLog(ctx)) dirty.add(s);
    ctx.memory.recomputeAll = false;
  }
  const changes: StudentChange[] = [];
  for (const studentId of [...dirty].sort()) if (tracked.has(studentId)) changes.push(ctx.workers.recompute(studentId));
  // Cards first, so the sweep sees this tick's states.
  const v1 = writeTick(ctx.db, { changes, actions: [] }, ctx.now());
  ctx.workers.committed(changes);
  const actions = sweepTriggers(ctx, tracked, changes);
  const v2 = actions.length > 0 ? writeTick(ctx.db, { changes: [], actions }, ctx.now()) : null;
  ctx.memory.ticks++;
  return {
    ingested: drained.events,
    backfilled: filled.events,
    recomputed: changes.length,
    alerts: actions.length,
    version: v2 ?? v1,
    ms: performance.now() - started,
    caughtUp: drained.complete,
  };
}
