/**
 * Producer panels as data: one panel per published type and name (`note` events share one log),
 * each keeping a short history so that `series` draws a line, `metric` bars and `note` a log.
 * Events are deduplicated by their API sequence number, so a snapshot replayed after a
 * reconnect never doubles a point.
 */
import type { PublishedEvent } from '../types.ts';

export const KNOWN_PANEL_TYPES = ['metric', 'series', 'table', 'note'] as const;

/** How many events each kind of panel keeps. */
export const PANEL_HISTORY: Record<string, number> = { metric: 40, series: 500, table: 1, note: 200 };
const OTHER_HISTORY = 20;

export interface PanelEntry {
  seq: number;
  receivedAt: number;
  event: Record<string, unknown> & { type: string };
}

export interface PanelState {
  key: string;
  type: string;
  name: string | null;
  /** Sequence number of the first event seen: panels are listed in order of appearance. */
  firstSeq: number;
  lastSeq: number;
  receivedAt: number;
  /** Oldest first, at most the type's history length. */
  entries: PanelEntry[];
}

/** The event's name when it has a string one (notes and many unknown types have none). */
export function eventName(event: Record<string, unknown>): string | null {
  return typeof event.name === 'string' && event.name.length > 0 ? event.name : null;
}

/**
 * The panel an event belongs to: type and name.
 * @example panelKey({ type: 'metric', name: 'accuracy', value: 0.8 }) // "metric:accuracy"
 */
export function panelKey(event: Record<string, unknown> & { type: string }): string {
  const name = event.type === 'note' ? null : eventName(event);
  return name == null ? event.type : `${event.type}:${name}`;
}

export function historyLength(type: string): number {
  return PANEL_HISTORY[type] ?? OTHER_HISTORY;
}

/**
 * The panel after one more published event, or null when the event is already in it (same or
 * older sequence number). Does not modify `panel`.
 */
export function mergePublished(panel: PanelState | undefined, pub: PublishedEvent): PanelState | null {
  const event = pub.event as PanelEntry['event'];
  if (panel && pub.seq <= panel.lastSeq) return null;
  const entry: PanelEntry = { seq: pub.seq, receivedAt: pub.receivedAt, event };
  const cap = historyLength(event.type);
  const entries = panel ? [...panel.entries, entry] : [entry];
  if (event.type === 'series') entries.sort((a, b) => Number(a.event.t) - Number(b.event.t) || a.seq - b.seq);
  return {
    key: panelKey(event),
    type: event.type,
    name: event.type === 'note' ? null : eventName(event),
    firstSeq: panel?.firstSeq ?? pub.seq,
    lastSeq: pub.seq,
    receivedAt: pub.receivedAt,
    entries: entries.length > cap ? entries.slice(entries.length - cap) : entries,
  };
}
