import type { SourceEvent } from '@lmdash/core';
import { createSimApp } from '@lmdash/fixtures';
import { expect, test } from 'bun:test';
import { heapStats } from 'bun:jsc';
import { SourceClient } from './client.ts';
import type { FetchLike } from './transport.ts';
import { SIM_URL, SMALL_LOG, simFetch } from '../../test/sourceHelpers.ts';

/** Text held outside the JS heap after a full collection, MB. */
function textMb(): number {
  Bun.gc(true);
  return heapStats().extraMemorySize / 1048576;
}

/** One events page, as the bytes the source sends: `big` events carry 4 MB each (~24 MB a page). */
async function pageBytes(big: boolean): Promise<Uint8Array> {
  const events: SourceEvent[] = SMALL_LOG.slice(0, 30).map((e, i) => (big && i % 5 === 0 ? { ...e, data: { ...(e.data as object), note: String(i % 10).repeat(4 << 20) } } : e));
  const sim = createSimApp({ events, allVisible: true });
  let page: Uint8Array | undefined;
  const fetch: FetchLike = async (url, init) => {
    const res = await sim.app.request(url, init);
    if (new URL(url).pathname.includes('events')) page = new Uint8Array(await res.clone().arrayBuffer());
    return res;
  };
  const c = new SourceClient({ baseUrl: SIM_URL, user: 'demo', password: 'demo', pageSize: 100, fetch });
  for await (const _ of c.eventsSince(new Date(0)));
  return page!;
}

/** Reads the page through the client; everything here is garbage once it returns. */
async function readPage(bytes: Uint8Array): Promise<{ pages: number; notes: number }> {
  const c = new SourceClient({ baseUrl: SIM_URL, user: 'demo', password: 'demo', token: 't', pageSize: 100, fetch: async () => new Response(bytes) });
  let pages = 0;
  let notes = 0;
  for await (const page of c.eventsSince(new Date(0))) {
    pages++;
    for (const e of page) notes += ((e.data as { note?: string }).note ?? '').length;
  }
  return { pages, notes };
}

test("a page is not held once it is read, neither its text nor its events: a catch-up does not keep its last page alive", async () => {
  const big = await pageBytes(true);
  const small = await pageBytes(false);
  expect(big.byteLength).toBeGreaterThan(20 << 20);
  // A small page read first: whatever the runtime keeps of the last answer is small now.
  await readPage(small);
  const before = textMb();
  const { pages, notes } = await readPage(big);
  expect(pages).toBe(1);
  expect(notes).toBeGreaterThan(20 << 20);
  // Before, the page's text and its parsed events (~24 MB each) were still reachable here: the
  // value an awaited promise resolved to outlives the await (`releaseText`, `eventPages`).
  expect(textMb() - before).toBeLessThan(8);
});
