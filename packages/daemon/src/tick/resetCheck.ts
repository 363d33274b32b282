/** Stage 1: a reset requested since the last tick drops every worker. */
import type { TickContext } from './context.ts';

export function resetCheck(ctx: TickContext): boolean {
  const at = ctx.storage.status.resetRequestedAt();
  if (at === ctx.memory.resetSeen) return false;
  const first = ctx.memory.resetSeen === null && ctx.memory.ticks === 0;
  ctx.memory.resetSeen = at;
  if (first) return false; // the value found at start is not a new request
  ctx.workers.clear();
  ctx.memory.waiting.clear(); // everyone is recomputed this tick anyway
  ctx.memory.provisional.clear(); // the reset emptied the projection
  // The reset emptied the allowlist: re-read the roster now, so --track-all tracks the class again this tick.
  ctx.memory.rosterAt = 0;
  ctx.log(`reset requested at ${new Date(at ?? 0).toISOString()}: workers dropped`);
  return true;
}
