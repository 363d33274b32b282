/**
 * What producers published, read for the stream: the sequence numbers a snapshot lists, and
 * pages of stored events (their JSON as stored, never re-parsed), oldest first.
 */
import type { Database } from 'bun:sqlite';

export type StoredRow = { id: number; receivedAt: number; body: string };

/** The seq of every stored event, oldest first. */
export function publishedSeqs(sqlite: Database): number[] {
  return (sqlite.query('SELECT id FROM published_event ORDER BY id').values() as [number][]).map((r) => r[0]);
}

/** The highest stored seq, 0 when none. */
export function lastPublishedSeq(sqlite: Database): number {
  return (sqlite.query('SELECT COALESCE(MAX(id), 0) AS id FROM published_event').get() as { id: number }).id;
}

/** Up to `limit` stored events with `after < seq <= upTo`, oldest first. */
export function publishedPage(sqlite: Database, after: number, upTo: number, limit: number): StoredRow[] {
  return sqlite.query('SELECT id, received_at AS receivedAt, body FROM published_event WHERE id > ?1 AND id <= ?2 ORDER BY id LIMIT ?3').all(after, upTo, limit) as StoredRow[];
}
