import type { SourceEvent } from '@lmdash/core';
import { createSimApp } from '@lmdash/fixtures';
import { describe, expect, test } from 'bun:test';
import { SourceClient } from './client.ts';
import { smallerPage } from './paging.ts';
import { SIM_URL, SMALL_LOG, collect, fakeSleep, idsOf, simFetch, tally } from '../../test/sourceHelpers.ts';

/** The small class with a few runs carrying a big (but valid) program text. */
function withBigEvents(bytes: number, every: number): SourceEvent[] {
  return SMALL_LOG.map((e, i) => (i % every === 0 ? { ...e, data: { ...(e.data as object), note: 'x'.repeat(bytes) } } : e));
}

describe('the most bytes one source answer may hold', () => {
  test('smaller pages cover the same events: half the size or less, dividing the offset', () => {
    const at = (page: number, size: number) => `${SIM_URL}/api/events/?dateFrom=x&page=${page}&page_size=${size}`;
    const parts = (url: string | undefined) => {
      const u = new URL(url!);
      return [Number(u.searchParams.get('page')), Number(u.searchParams.get('page_size'))];
    };
    expect(parts(smallerPage(at(1, 1000)))).toEqual([1, 500]);
    expect(parts(smallerPage(at(3, 20)))).toEqual([5, 10]); // offset 40
    expect(parts(smallerPage(at(2, 7)))).toEqual([8, 1]); // offset 7: only 1 divides it
    expect(smallerPage(at(9, 1))).toBeUndefined();
  });

  test('a page over the limit is read again in smaller pages, and nothing is lost or repeated', async () => {
    const events = withBigEvents(20_000, 5);
    const sim = createSimApp({ events, allVisible: true });
    const lines: string[] = [];
    const { sleep } = fakeSleep();
    const c = new SourceClient({ baseUrl: SIM_URL, user: 'demo', password: 'demo', pageSize: 40, maxBodyBytes: 100_000, fetch: simFetch(sim), sleep, log: (l) => lines.push(l) });
    const pages = await collect(c.eventsSince(new Date(0)));
    expect(tally(pages).ids).toEqual(idsOf(events));
    expect(Math.max(...pages.map((p) => p.length))).toBeLessThan(40);
    expect(lines.some((l) => l.includes('LMDASH_SOURCE_MAX_PAGE_BYTES') && l.includes('events a page instead'))).toBe(true);
  });

  test('one event over the limit: a clear error naming the setting, retried (never read whole)', async () => {
    const events = withBigEvents(300_000, 50);
    const sim = createSimApp({ events, allVisible: true });
    const ctrl = new AbortController();
    const lines: string[] = [];
    const c = new SourceClient({
      baseUrl: SIM_URL, user: 'demo', password: 'demo', pageSize: 4, maxBodyBytes: 100_000, fetch: simFetch(sim), log: (l) => lines.push(l),
      sleep: async () => {
        if (lines.filter((l) => l.includes('retry in')).length >= 3) ctrl.abort(new Error('enough'));
      },
    });
    await expect(collect(c.eventsSince(new Date(0), { signal: ctrl.signal }))).rejects.toThrow('enough');
    const retries = lines.filter((l) => l.includes('retry in'));
    expect(retries.length).toBeGreaterThanOrEqual(3);
    expect(retries[0]).toContain('too-large');
    expect(retries[0]).toContain('LMDASH_SOURCE_MAX_PAGE_BYTES');
    expect(c.health.lastError).toContain('too-large');
  });
});
