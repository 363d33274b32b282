/**
 * Stores a producer's event so that later streams replay it: the latest per (type, name), for
 * `series` the latest SERIES_POINTS points of each name, for `note` (a log) the latest
 * NOTES_KEPT; and at most `KeepLimits` per type and in all, counted in events and in UTF-8
 * bytes of the stored JSON (the oldest go first, never the event just stored). The JSON is
 * serialised once, here: streams send the stored text as it is. Insert and prune are one
 * transaction of the storage port (`published.append`).
 */
import type { Config, PublishedTotals, Storage } from '@lmdash/core';
import type { PublishEvent, PublishedEvent } from '@lmdash/core/wire';

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

/** What the table holds now: events and UTF-8 bytes, in all and per type (for tests and /metrics). */
export const keptTotals = (store: Storage): PublishedTotals => store.published.totals();

export function storePublished(store: Storage, event: PublishEvent, now: number, keep: KeepLimits = DEFAULT_KEEP): StoredPublished {
  const body = JSON.stringify(event);
  const seq = store.published.append(
    { type: event.type, name: nameOf(event), receivedAt: now, body },
    { perName: KEEP[event.type] ?? 1, type: { n: keep.typeEvents, bytes: keep.typeBytes }, all: { n: keep.events, bytes: keep.bytes } },
  );
  return { seq, receivedAt: now, event: event as PublishedEvent['event'], body };
}
