/**
 * Stores a producer's event so that later streams replay it: the latest per (type, name), for
 * `series` the latest SERIES_POINTS points of each name, for `note` (a log) the latest
 * NOTES_KEPT; and at most `KeepLimits` per type and in all, counted in events and in UTF-8
 * bytes of the stored JSON (the oldest go first, never the event just stored). The JSON is
 * serialised once, here: streams send the stored text as it is. Insert and prune are one
 * transaction.
 */
import type { Config } from '@lmdash/core';
import type { PublishEvent, PublishedEvent } from '@lmdash/core/wire';
import type { Database } from 'bun:sqlite';
import { writeTransaction } from '../context.ts';

export const SERIES_POINTS = 500;
export const NOTES_KEPT = 200;
/** How many events of one (type, name) a snapshot replays: a history for series and notes, else the latest. */
const KEEP: Record<string, number> = { series: SERIES_POINTS, note: NOTES_KEPT };

export type KeepLimits = { events: number; bytes: number; typeEvents: number; typeBytes: number };
/** The defaults of LMDASH_PUBLISH_KEEP_*: well under what a browser tab holds comfortably. */
export const DEFAULT_KEEP: KeepLimits = { events: 10_000, bytes: 8 * 1024 * 1024, typeEvents: 5_000, typeBytes: 4 * 1024 * 1024 };
export const keepLimits = (c: Config): KeepLimits => ({ events: c.publishKeepEvents, bytes: c.publishKeepBytes, typeEvents: c.publishKeepTypeEvents, typeBytes: c.publishKeepTypeBytes });

/** A stored event with its JSON as stored (and sent). */
export type StoredPublished = PublishedEvent & { body: string };

/** The name an event is kept under: its `name` when it is a string, else ''. */
export const nameOf = (event: PublishEvent): string => (typeof (event as { name?: unknown }).name === 'string' ? (event as { name: string }).name : '');

/** UTF-8 bytes of a stored body, as SQLite counts them. */
const SIZE = 'LENGTH(CAST(body AS BLOB))';

type Tally = { n: number; bytes: number };
/**
 * What the table holds, kept in memory so that a publish does not sum every body (tens of ms at
 * the default bound). Re-counted from the table when its row count says someone else changed it
 * (a reset), and every RECOUNT_EVERY writes in case another process wrote too.
 */
type Totals = { all: Tally; byType: Map<string, Tally>; writes: number };
const RECOUNT_EVERY = 256;
const totalsOf = new WeakMap<Database, Totals>();

function recount(sqlite: Database): Totals {
  const rows = sqlite.query(`SELECT type, COUNT(*) AS n, COALESCE(SUM(${SIZE}), 0) AS bytes FROM published_event GROUP BY type`).all() as { type: string; n: number; bytes: number }[];
  const t: Totals = { all: { n: 0, bytes: 0 }, byType: new Map(), writes: 0 };
  for (const r of rows) {
    t.byType.set(r.type, { n: r.n, bytes: r.bytes });
    t.all.n += r.n;
    t.all.bytes += r.bytes;
  }
  return t;
}

function tally(t: Totals, type: string, n: number, bytes: number): void {
  const ty = t.byType.get(type) ?? { n: 0, bytes: 0 };
  ty.n += n;
  ty.bytes += bytes;
  if (ty.n <= 0) t.byType.delete(type);
  else t.byType.set(type, ty);
  t.all.n += n;
  t.all.bytes += bytes;
}

/** The current totals, re-counted when the table's row count disagrees with them. */
function currentTotals(sqlite: Database): Totals {
  const known = totalsOf.get(sqlite);
  const { n } = sqlite.query('SELECT COUNT(*) AS n FROM published_event').get() as { n: number };
  return known && known.all.n === n && known.writes < RECOUNT_EVERY ? known : recount(sqlite);
}

/** What the table holds now: events and UTF-8 bytes, in all and per type (for tests and /metrics). */
export function keptTotals(sqlite: Database): { all: Tally; byType: Record<string, Tally> } {
  const t = recount(sqlite);
  return { all: t.all, byType: Object.fromEntries(t.byType) };
}

export function storePublished(sqlite: Database, event: PublishEvent, now: number, keep: KeepLimits = DEFAULT_KEEP): StoredPublished {
  const name = nameOf(event);
  const body = JSON.stringify(event);
  const size = Buffer.byteLength(body, 'utf8');
  try {
    return writeTransaction(sqlite, () => {
      const t = currentTotals(sqlite);
      totalsOf.set(sqlite, t);
      t.writes++;
      const { id } = sqlite.query('INSERT INTO published_event (type, name, received_at, body) VALUES (?, ?, ?, ?) RETURNING id').get(event.type, name, now, body) as { id: number };
      tally(t, event.type, 1, size);
      const history = sqlite
        .query(`DELETE FROM published_event WHERE type = ?1 AND name = ?2 AND id NOT IN (SELECT id FROM published_event WHERE type = ?1 AND name = ?2 ORDER BY id DESC LIMIT ?3) RETURNING ${SIZE} AS size`)
        .all(event.type, name, KEEP[event.type] ?? 1) as { size: number }[];
      for (const r of history) tally(t, event.type, -1, -r.size);
      const ty = t.byType.get(event.type)!;
      if (ty.n > keep.typeEvents || ty.bytes > keep.typeBytes) pruneOldest(sqlite, t, id, event.type, keep.typeEvents, keep.typeBytes);
      if (t.all.n > keep.events || t.all.bytes > keep.bytes) pruneOldest(sqlite, t, id, null, keep.events, keep.bytes);
      return { seq: id, receivedAt: now, event: event as PublishedEvent['event'], body };
    });
  } catch (e) {
    totalsOf.delete(sqlite); // rolled back: count again next time
    throw e;
  }
}

/** Deletes the oldest events (of `type`, or of any type), never `keepId`, until within `events` and `bytes`. */
function pruneOldest(sqlite: Database, t: Totals, keepId: number, type: string | null, events: number, bytes: number): void {
  const within = () => (type === null ? t.all : (t.byType.get(type) ?? { n: 0, bytes: 0 }));
  const oldest = (
    type === null
      ? sqlite.query(`SELECT id, type, ${SIZE} AS size FROM published_event WHERE id != ?1 ORDER BY id`).iterate(keepId)
      : sqlite.query(`SELECT id, type, ${SIZE} AS size FROM published_event WHERE type = ?2 AND id != ?1 ORDER BY id`).iterate(keepId, type)
  ) as IterableIterator<{ id: number; type: string; size: number }>;
  const doomed: number[] = [];
  for (const r of oldest) {
    const now = within();
    if (now.n <= events && now.bytes <= bytes) break;
    doomed.push(r.id);
    tally(t, r.type, -1, -r.size);
  }
  if (doomed.length > 0) sqlite.query('DELETE FROM published_event WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(doomed));
}
