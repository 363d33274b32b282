/**
 * The daemon's loop: tick, record the heartbeat, checkpoint the WAL now and then, and sleep
 * adaptively (0.5 s while the class is active, i.e. within ACTIVE_SPELL_MS of the last tick that
 * did something, then doubling to PIPELINE_IDLE_MAX while nothing happens). While
 * students wait for distances computed off the tick, the sleep ends as soon as the pool
 * delivers one, so their cards follow within a tick; `once` ticks until none waits.
 * `stop` (the first SIGINT/SIGTERM) lets the current tick finish and ends the loop;
 * `ctx.signal` (a second one) also interrupts the tick's requests — safe too, as a drain that
 * does not finish leaves the cursor where it was.
 */
import { releaseBuffers } from '@lmdash/inference';
import { idleDelay } from '../source/backoff.ts';
import { abortableSleep } from '../source/sleep.ts';
import type { TickContext, TickReport } from './context.ts';
import { BIG_TICK, collectGarbage } from '../memory/collect.ts';
import { tick } from './tick.ts';

/** A PASSIVE checkpoint every this many ticks keeps the WAL small under a busy reader. */
export const CHECKPOINT_EVERY = 20;

/**
 * How long after its last active tick a class still counts as active: the sleep stays at its
 * floor (0.5 s) instead of doubling. In a class under way a second or two without an event is
 * common; doubling on it made the next event wait up to 2 s more (the tail of the latency
 * benchmark). A class quiet for this long backs off as before.
 */
export const ACTIVE_SPELL_MS = 10_000;

export function describe(r: TickReport): string | null {
  if (r.ingested === 0 && r.backfilled === 0 && r.recomputed === 0 && r.alerts === 0) return null;
  const waiting = r.waiting > 0 ? `, ${r.waiting} waiting for ${r.inFlight} distances${r.provisional.length > 0 ? ` (${r.provisional.length} written provisionally)` : ''}` : '';
  return `tick: ${r.ingested} new events${r.backfilled ? `, ${r.backfilled} backfilled` : ''}, ${r.recomputed} students recomputed${waiting}, ${r.alerts} alert changes, version ${r.version ?? '-'} (${r.ms.toFixed(0)} ms)`;
}

export async function runLoop(ctx: TickContext, opts: { once?: boolean; stop?: AbortSignal } = {}): Promise<void> {
  let delay = 0;
  let lastActiveAt = -Infinity;
  const stopping = () => ctx.signal.aborted || opts.stop?.aborted === true;
  while (!stopping()) {
    let report: TickReport | null = null;
    try {
      report = await tick(ctx);
      const line = describe(report);
      if (line) ctx.log(line);
    } catch (e) {
      // A tick that fails (the source exhausting a retry, a write conflict) is logged and retried; the loop goes on.
      if (!ctx.signal.aborted) ctx.log(`tick failed: ${e instanceof Error ? e.message : String(e)}`);
      // Events it stored may not be projected yet, and no new event would mark them dirty.
      ctx.memory.recomputeAll = true;
    }
    // Heartbeat and tick figures for the API's health and /metrics.
    const now = ctx.now();
    try {
      ctx.storage.status.recordTick({ now, tickMs: report ? Math.round(report.ms * 100) / 100 : null, caughtUp: report?.caughtUp === true });
      if (ctx.memory.ticks % CHECKPOINT_EVERY === 0) ctx.storage.status.checkpoint();
    } catch (e) {
      // The store unreachable (a PostgreSQL restart, a lost connection): the next tick tries again.
      if (!ctx.signal.aborted) ctx.log(`heartbeat not recorded: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (report && report.ingested + report.backfilled + report.recomputed >= BIG_TICK) collectGarbage();
    // APTED's idle buffers (tens of MB after a big pair computed here) are not kept between ticks.
    releaseBuffers();
    const stop = opts.stop ?? ctx.signal;
    const waiting = ctx.memory.waiting.size > 0;
    if (opts.once && !waiting) return;
    const active = report !== null && (report.ingested > 0 || report.backfilled > 0 || report.recomputed > 0);
    if (active) lastActiveAt = now;
    delay = idleDelay(delay, now - lastActiveAt < ACTIVE_SPELL_MS, ctx.config.idleMax * 1000);
    // `once` only waits for the pool; the loop also wakes up for the next delivery.
    if (waiting) await abortableSleep(opts.once ? ctx.config.idleMax * 1000 : delay, AbortSignal.any([stop, ctx.distances.nextDelivery()]));
    else await abortableSleep(delay, stop);
  }
}
