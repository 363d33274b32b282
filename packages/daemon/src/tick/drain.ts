/**
 * Stage 3: drain everything new since the cursor. Pages are read from `last_event_time - 2 s`
 * (events can become visible up to 2 s late), each page is stored in its own transaction
 * (idempotently), and the cursor moves only after the whole drain is committed. A crash
 * mid-drain re-reads from the old cursor and stores nothing twice.
 */
import { noteText } from '../memory/collect.ts';
import type { TickContext } from './context.ts';

/** How far back each drain re-reads, for events committed late at the source. */
export const OVERLAP_MS = 2000;

export async function drain(ctx: TickContext, tracked: ReadonlySet<string>): Promise<{ events: number; students: Set<string>; complete: boolean }> {
  const log = ctx.storage.log;
  const start = log.readCursor();
  const from = start.lastEventTime === null ? ctx.now() - ctx.config.backfillHours * 3_600_000 : start.lastEventTime - OVERLAP_MS;
  let maxTs = start.lastEventTime;
  let maxId = start.lastSourceId;
  let events = 0;
  const students = new Set<string>();
  for await (const page of ctx.source.eventsSince(new Date(from), { signal: ctx.signal })) {
    const r = log.append(page, tracked, ctx.now());
    noteText(r.bytes);
    events += r.inserted;
    for (const s of r.students) students.add(s);
    for (const e of page) {
      const ts = Date.parse(e.timestamp);
      if (maxTs === null || ts >= maxTs) {
        maxTs = ts;
        maxId = String(e.id);
      }
    }
  }
  if (ctx.signal.aborted) return { events, students, complete: false }; // the drain did not finish: keep the cursor
  if (maxTs !== start.lastEventTime || maxId !== start.lastSourceId) {
    const moved = log.advanceCursor(start, { lastEventTime: maxTs, lastSourceId: maxId }, ctx.now());
    if (!moved.ok) throw new Error(`cursor: ${moved.reason} (is another daemon writing to this file?)`);
  }
  return { events, students, complete: true };
}
