/**
 * Stored producer events written to one new stream in pieces: a page of rows at a time, one
 * `publish` frame per event (the stored JSON as it is), each write waiting for the client to
 * drain. Memory per stream stays at about one page however much is stored, and the client is
 * never dropped for the size of the store. Rows pruned meanwhile are simply not sent.
 */
import type { Storage } from '@lmdash/core';
import { publishFrame, type SseClient } from './sse.ts';

/** Rows read per query: at most 4 MiB of stored JSON at the default event size, and few queries. */
export const REPLAY_PAGE_ROWS = 16;

/** Writes the stored events with `seq <= upTo`, oldest first; resolves false if the client went away. */
export async function replayPublished(store: Storage, client: SseClient, upTo: number): Promise<boolean> {
  let after = 0;
  for (;;) {
    const page = store.published.page(after, upTo, REPLAY_PAGE_ROWS);
    if (page.length === 0) return !client.closed;
    for (const r of page) if (!(await client.write(publishFrame(r.id, r.receivedAt, r.body)))) return false;
    after = page.at(-1)!.id;
  }
}
