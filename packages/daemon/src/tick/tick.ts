/**
 * One tick of the daemon, the list of its stages: reset check, roster and backfill, drain,
 * recompute each student with new events (or whose awaited distances arrived) once, sweep the
 * alerts, and write the projection changes with one `meta.version` bump. A student one of
 * whose pairs of programs is still being computed off the tick is not written: their rows stay
 * as they were until the exact projection can be written, a tick or two later.
 */
import type { StudentChange } from '../worker/diff.ts';
import type { TickContext, TickReport } from './context.ts';
import { drain } from './drain.ts';
import { resetCheck } from './resetCheck.ts';
import { backfill, refreshRoster, studentsInLog, trackedSet } from './roster.ts';
import { sweepTriggers } from '../triggers/sweep.ts';

export async function tick(ctx: TickContext): Promise<TickReport> {
  const started = performance.now();
  if (resetCheck(ctx)) ctx.memory.recomputeAll = true;
  await refreshRoster(ctx);
  const filled = await backfill(ctx);
  const tracked = trackedSet(ctx);
  const drained = await drain(ctx, tracked);
  const dirty = new Set([...filled.students, ...drained.students, ...ctx.workers.absorb(), ...ready(ctx)]);
  // A cold start recomputes everyone: a crash between storing events and projecting them
  // leaves events whose re-reading stores nothing new, so nothing else would mark them dirty.
  if (ctx.memory.ticks === 0 || ctx.memory.recomputeAll) {
    for (const s of studentsInLog(ctx)) dirty.add(s);
    ctx.memory.recomputeAll = false;
  }
  const changes: StudentChange[] = [];
  const { waiting } = ctx.memory;
  // Whether each written change is provisional; the memory follows once the write commits.
  const provisional = new Map<string, boolean>();
  for (const studentId of [...dirty].sort()) {
    // Rows written provisionally are finished even for a student untracked meanwhile.
    if (!tracked.has(studentId) && !ctx.memory.provisional.has(studentId)) {
      waiting.delete(studentId);
      continue;
    }
    const r = ctx.workers.recompute(studentId);
    // A provisional change is written now and the student still waits for its exact distances.
    if (r.change) {
      changes.push(r.change);
      provisional.set(studentId, r.pending.size > 0);
    }
    if (r.pending.size === 0) waiting.delete(studentId);
    else waiting.set(studentId, new Set(r.pending));
  }
  // Distances settled and programs parsed this tick go to the durable caches, whoever's projection is written.
  ctx.distances.flush(ctx.now());
  ctx.workers.flush(ctx.now());
  // Cards first, so the sweep sees this tick's states.
  const v1 = ctx.storage.projection.writeTick({ changes, actions: [] }, ctx.now());
  ctx.workers.committed(changes);
  for (const [studentId, p] of provisional) {
    if (p) ctx.memory.provisional.add(studentId);
    else ctx.memory.provisional.delete(studentId);
  }
  const actions = sweepTriggers(ctx, tracked, changes);
  const v2 = actions.length > 0 ? ctx.storage.projection.writeTick({ changes: [], actions }, ctx.now()) : null;
  ctx.memory.ticks++;
  return {
    ingested: drained.events,
    backfilled: filled.events,
    recomputed: changes.length,
    waiting: waiting.size,
    provisional: [...provisional].filter(([, p]) => p).map(([s]) => s),
    inFlight: ctx.distances.inFlight,
    alerts: actions.length,
    version: v2 ?? v1,
    ms: performance.now() - started,
    caughtUp: drained.complete,
  };
}

/**
 * Students whose awaited distances are all in (the pool delivered them, or gave up and they
 * will be computed here). With nothing left in flight, every waiting student is ready: no
 * student can wait for a pair the pool no longer has.
 */
function ready(ctx: TickContext): string[] {
  const settled = ctx.distances.collect();
  const { waiting } = ctx.memory;
  if (waiting.size === 0) return [];
  for (const keys of waiting.values()) for (const k of settled) keys.delete(k);
  const idle = ctx.distances.inFlight === 0;
  return [...waiting].filter(([, keys]) => idle || keys.size === 0).map(([s]) => s);
}
