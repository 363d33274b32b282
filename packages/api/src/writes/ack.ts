/**
 * A researcher acknowledges an alert: `open` → `acked` with the time and an optional note,
 * stamped with a new `meta.version`. Acking an acked alert again only updates its note; a
 * resolved alert cannot be acked (409). The daemon's rules re-open an acked alert whose
 * condition still holds after RE_ALERT_SECONDS.
 */
import type { Storage } from '@lmdash/core';
import type { TriggerRow } from '@lmdash/core/wire';
import { ApiError, notFound } from '../errors.ts';
import { toTrigger } from '../queries/rows.ts';

export function ackTrigger(store: Storage, id: number, note: string | undefined, now: number): TriggerRow {
  const r = store.actions.ack(id, note, now);
  if (r.ok) return toTrigger(r.alert);
  if (r.reason === 'missing') throw notFound(`no trigger ${id}`);
  throw new ApiError(409, `trigger ${id} is already resolved`);
}
