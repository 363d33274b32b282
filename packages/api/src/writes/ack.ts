/**
 * A researcher acknowledges an alert: `open` → `acked` with the time and an optional note,
 * stamped with a new `meta.version`. Acking an acked alert again only updates its note; a
 * resolved alert cannot be acked (409). The daemon's rules re-open an acked alert whose
 * condition still holds after RE_ALERT_SECONDS.
 */
import type { TriggerRow } from '@lmdash/core/wire';
import type { Database } from 'bun:sqlite';
import { bumpVersion, writeTransaction } from '../context.ts';
import { ApiError, notFound } from '../errors.ts';
import { triggerById } from '../queries/rows.ts';

export function ackTrigger(sqlite: Database, id: number, note: string | undefined, now: number): TriggerRow {
  return writeTransaction(sqlite, () => {
    const t = triggerById(sqlite, id);
    if (!t) throw notFound(`no trigger ${id}`);
    if (t.status === 'resolved') throw new ApiError(409, `trigger ${id} is already resolved`);
    if (t.status === 'acked' && (note === undefined || note === t.ackNote)) return t;
    const version = bumpVersion(sqlite);
    if (t.status === 'open') sqlite.query(`UPDATE trigger_event SET status = 'acked', acked_at = ?, ack_note = ?, version = ? WHERE id = ?`).run(now, note ?? null, version, id);
    else sqlite.query('UPDATE trigger_event SET ack_note = ?, version = ? WHERE id = ?').run(note ?? null, version, id);
    return triggerById(sqlite, id)!;
  });
}
