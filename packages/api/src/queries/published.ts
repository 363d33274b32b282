/** What producers published, as the stream carries it (`PublishedEvent`), oldest first. */
import type { PublishedEvent } from '@lmdash/core/wire';
import type { Database } from 'bun:sqlite';
import { parseJson } from './json.ts';

type Row = { id: number; receivedAt: number; body: string };

export const toPublished = (r: Row): PublishedEvent => ({ seq: r.id, receivedAt: r.receivedAt, event: parseJson<PublishedEvent['event']>(r.body, { type: 'unknown' }) });

/** Every stored published event, in the order they arrived. */
export function storedPublished(sqlite: Database): PublishedEvent[] {
  return (sqlite.query('SELECT id, received_at AS receivedAt, body FROM published_event ORDER BY id').all() as Row[]).map(toPublished);
}
