/**
 * Paging: walks `next` links to the end, each page retried until it succeeds or the signal
 * aborts. An events page too big to read is asked for again in smaller pages (the walk goes on
 * at that size). Not de-duplicated: pages are offsets into a growing log (see `eventsSince`).
 */
import { EventsPage, RosterPage } from '@lmdash/core';
import type { RosterStudent, SourceEvent } from '@lmdash/core';
import type { Schema } from './answer.ts';
import { SourceError } from './errors.ts';
import type { Retrier } from './retry.ts';
import type { SourceUrls } from './urls.ts';

/** What a walk needs from the client. */
export type PageSource = {
  /** One validated GET, counted for health, no retry. */
  get<T>(url: string, schema: Schema<T>, signal: AbortSignal | undefined): Promise<T>;
  retrier: Retrier;
  urls: SourceUrls;
  log: (line: string) => void;
};

/**
 * Every non-empty events page from `first` to the end of the `next` links. A page is the
 * consumer's until it asks for the next one: then it is emptied (copy what you keep).
 */
export async function* eventPages(p: PageSource, first: string, signal: AbortSignal | undefined): AsyncGenerator<SourceEvent[], void, undefined> {
  let url: string | undefined = first;
  while (url !== undefined) {
    let current: string = url;
    let page: EventsPage | undefined;
    while (page === undefined) {
      const asked = current;
      try {
        page = await p.retrier.retrying(() => p.get(asked, EventsPage, signal), { signal, giveUp: (e) => e.kind === 'too-large' && smallerPage(asked) !== undefined });
      } catch (e) {
        // A page too big to read: the same events again, in smaller pages (the walk goes on at that size).
        const smaller = e instanceof SourceError && e.kind === 'too-large' ? smallerPage(asked) : undefined;
        if (smaller === undefined) throw e;
        p.log(`source: ${e instanceof Error ? e.message : String(e)}; asking for ${new URL(smaller).searchParams.get('page_size')} events a page instead`);
        current = smaller;
      }
    }
    if (page.results.length > 0) {
      yield page.results;
      // The consumer asked for the next page, so it is done with this one: emptied in place,
      // because the runtime keeps the value an awaited promise resolved to (here the page, MBs
      // of programs) reachable after the await, until the next page replaced it.
      page.results.length = 0;
    }
    url = p.urls.next(page.next, current);
  }
}

/** Every roster entry from `first` to the end of the `next` links. */
export async function rosterPages(p: PageSource, first: string, signal: AbortSignal | undefined): Promise<RosterStudent[]> {
  const students: RosterStudent[] = [];
  let url: string | undefined = first;
  while (url !== undefined) {
    const current: string = url;
    const page = await p.retrier.retrying(() => p.get(current, RosterPage, signal), { signal });
    students.push(...page.results);
    url = p.urls.next(page.next, current);
  }
  return students;
}

/**
 * The same events as an events-page URL, in a smaller page: half the page size at most, a size
 * that divides the page's offset (so page numbers still line up). Undefined at one event a page.
 */
export function smallerPage(url: string): string | undefined {
  const u = new URL(url);
  const size = Number(u.searchParams.get('page_size'));
  const page = Number(u.searchParams.get('page') ?? '1');
  if (!Number.isInteger(size) || size <= 1 || !Number.isInteger(page) || page < 1) return undefined;
  const offset = (page - 1) * size;
  let smaller = Math.floor(size / 2);
  while (offset % smaller !== 0) smaller--;
  u.searchParams.set('page_size', String(smaller));
  u.searchParams.set('page', String(offset / smaller + 1));
  return u.href;
}
