/**
 * URL building: every URL the client asks for is made here, under the configured base URL (a
 * path prefix is kept), with the page size and the query validated by the `@lmdash/core` schemas.
 */
import { EventsQuery, SOURCE_PATHS, formatIssues } from '@lmdash/core';
import { SourceError, redactUrl } from './errors.ts';

export type EventsPageQuery = { dateFrom: string | Date; page?: number; student?: string };

export class SourceUrls {
  /** The base URL without trailing slashes. */
  readonly baseUrl: string;
  /** Events (and roster entries) per page, 1..1000. */
  readonly pageSize: number;
  readonly #log: (line: string) => void;

  constructor(baseUrl: string, pageSize: number, log: (line: string) => void) {
    const base = new URL(baseUrl); // throws on a bad URL: a config bug, not a source failure
    this.baseUrl = base.href.replace(/\/+$/, '');
    if (!(Number.isInteger(pageSize) && pageSize >= 1 && pageSize <= 1000)) throw new RangeError(`source: pageSize must be 1..1000, got ${pageSize}`);
    this.pageSize = pageSize;
    this.#log = log;
  }

  /** A path under the base URL, or an absolute URL as it is. */
  resolve(pathOrUrl: string): string {
    if (/^https?:\/\//i.test(pathOrUrl)) return pathOrUrl;
    return this.baseUrl + (pathOrUrl.startsWith('/') ? pathOrUrl : `/${pathOrUrl}`);
  }

  /** One page of events; a query the source would refuse is a TypeError (a caller bug). */
  events(query: EventsPageQuery): string {
    const dateFrom = query.dateFrom instanceof Date ? query.dateFrom.toISOString() : query.dateFrom;
    const parsed = EventsQuery.safeParse({ dateFrom, page: query.page ?? 1, page_size: this.pageSize, student: query.student });
    if (!parsed.success) throw new TypeError(`source: bad events query: ${formatIssues(parsed.error.issues, { max: 3 })}`);
    const q = parsed.data;
    const params = new URLSearchParams({ dateFrom: q.dateFrom, page: String(q.page), page_size: String(q.page_size) });
    if (q.student !== undefined) params.set('student', q.student);
    return `${this.resolve(SOURCE_PATHS.events)}?${params}`;
  }

  /** The first roster page, optionally filtered by `search`. */
  roster(search: string | undefined): string {
    const params = new URLSearchParams({ page: '1', page_size: String(this.pageSize) });
    if (search) params.set('search', search);
    return `${this.resolve(SOURCE_PATHS.students)}?${params}`;
  }

  /**
   * The URL to fetch for a `next` link, undefined at the end. Its path and query are taken onto
   * our base URL's origin: the token never goes to another host, and a Django behind a proxy that
   * writes `http://internal-host/...` links still works. A link back to the same page ends the walk.
   */
  next(next: string | null, current: string): string | undefined {
    if (next === null) return undefined;
    let link: URL;
    try {
      link = new URL(next, current);
    } catch {
      throw new SourceError('bad-body', `unusable next link ${JSON.stringify(next.slice(0, 200))}`, { url: current });
    }
    const url = new URL(link.pathname + link.search, new URL(this.baseUrl).origin).href;
    if (url === current) {
      this.#log(`source: next link points back at ${redactUrl(current)}; stopping there`);
      return undefined;
    }
    return url;
  }
}
