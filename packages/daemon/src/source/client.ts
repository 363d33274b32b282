/**
 * The daemon's client of the production source API (`docs/source-api.md`), read-only. This class
 * only wires the pieces together, one idea per file:
 *
 * - `session.ts`, login: one token per session; a 401 logs in again once and retries, a second
 *   401 in a row is a failure. A fixed token (LMDASH_SOURCE_TOKEN) skips the login altogether.
 * - `transport.ts`, the timed transport: one exchange under the request timeout and a body cap.
 * - `answer.ts`: every answer is validated with the `@lmdash/core` schemas before anything is
 *   returned: a malformed page is a failed request, never a partial result.
 * - `retry.ts`, retry and health: at run time every source failure is retried (backoff:
 *   `failureDelay`, Retry-After honoured), forever, until the caller's AbortSignal fires; health
 *   transitions are logged and reported once each.
 * - `urls.ts`, URL building; `paging.ts`, the walks over `next` links.
 * - `check.ts`, the first-run probe: the one place wrong credentials are fatal.
 *
 * The password and the token never appear in a log line or an error message.
 */
import { EventsPage, RosterPage } from '@lmdash/core';
import type { RosterStudent, SourceEvent } from '@lmdash/core';
import type { Schema } from './answer.ts';
import { checkSource, type CheckOptions, type CheckResult } from './check.ts';
import { HealthTracker } from './health.ts';
import type { HealthStatus, HealthTransition } from './health.ts';
import { eventPages, rosterPages, type PageSource } from './paging.ts';
import { Retrier } from './retry.ts';
import { Session } from './session.ts';
import { abortableSleep } from './sleep.ts';
import { Transport, type FetchLike } from './transport.ts';
import { SourceUrls, type EventsPageQuery } from './urls.ts';

export type { Schema } from './answer.ts';
export type { CheckProblem, CheckResult } from './check.ts';
export type { FetchLike } from './transport.ts';
export type { EventsPageQuery } from './urls.ts';

export type SourceClientOptions = {
  /** Base URL of the source, e.g. `https://vex.example.org` (a path prefix is kept). */
  baseUrl: string;
  user: string;
  password: string;
  /** A long-lived token: no login is ever made. */
  token?: string;
  /** Events per page, 1..1000. */
  pageSize: number;
  fetch?: FetchLike;
  /** Per request, until the last byte of the body. Default 20 s. */
  requestTimeoutMs?: number;
  /**
   * The most bytes one answer may hold (LMDASH_SOURCE_MAX_PAGE_BYTES); reading stops there. An
   * events page over it is asked for again in smaller pages. Default 64 MiB.
   */
  maxBodyBytes?: number;
  /** Waits between retries; must end early (or not) when the signal aborts. Default: a timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** One line per notable thing (logins, failures and retries, health). Default `console.log`. */
  log?: (line: string) => void;
  /** Called once per health transition (the daemon records it in `meta`). */
  onHealth?: (transition: HealthTransition) => void;
  /** Failures in a row before UNHEALTHY. Default 5. */
  unhealthyAfter?: number;
};

type RequestOptions = { signal?: AbortSignal };

export class SourceClient {
  readonly baseUrl: string;
  readonly pageSize: number;
  readonly #urls: SourceUrls;
  readonly #session: Session;
  readonly #retrier: Retrier;
  readonly #pages: PageSource;

  constructor(options: SourceClientOptions) {
    const log = options.log ?? ((line: string) => console.log(line));
    this.#urls = new SourceUrls(options.baseUrl, options.pageSize, log);
    this.baseUrl = this.#urls.baseUrl;
    this.pageSize = this.#urls.pageSize;
    const transport = new Transport({ fetch: options.fetch, timeoutMs: options.requestTimeoutMs, maxBodyBytes: options.maxBodyBytes });
    this.#session = new Session({ transport, urls: this.#urls, user: options.user, password: options.password, token: options.token, log });
    this.#retrier = new Retrier({ health: new HealthTracker(options.unhealthyAfter), sleep: options.sleep ?? abortableSleep, log, onHealth: options.onHealth });
    this.#pages = { get: (url, schema, signal) => this.getJson(url, schema, { signal }), retrier: this.#retrier, urls: this.#urls, log };
  }

  /** The source's health as of the last request. */
  get health(): { status: HealthStatus; consecutiveFailures: number; lastError: string | undefined } {
    const h = this.#retrier.health;
    return { status: h.status, consecutiveFailures: h.consecutiveFailures, lastError: h.lastError };
  }

  /** Logs in now (a new token), unless the client runs on a fixed token. Counts for health. */
  async login(options: RequestOptions = {}): Promise<void> {
    if (this.#session.fixedToken) return;
    await this.#retrier.tracked(() => this.#session.login(options.signal), options.signal);
  }

  /**
   * One authenticated GET of a path (under the base URL) or an absolute URL, validated with
   * `schema`. No retry beyond the one re-login on 401; throws SourceError.
   */
  async getJson<T>(pathOrUrl: string, schema: Schema<T>, options: RequestOptions = {}): Promise<T> {
    const url = this.#urls.resolve(pathOrUrl);
    return this.#retrier.tracked(() => this.#session.get(url, schema, options.signal), options.signal);
  }

  /** One page of events, no retry. */
  eventsPage(query: EventsPageQuery, options: RequestOptions = {}): Promise<EventsPage> {
    return this.getJson(this.#urls.events(query), EventsPage, options);
  }

  /**
   * Every event visible from `dateFrom` (inclusive), one validated page at a time, following
   * `next`. Each page is retried until it succeeds or `signal` aborts (then the AbortSignal's
   * reason is thrown). Empty pages are not yielded. A page is emptied when the next one is
   * asked for (a catch-up must not keep its last page of programs alive): copy what you keep.
   *
   * Not de-duplicated: pages are offsets into a growing log, so an event at a page boundary can
   * come twice (a late commit shifts the rest), and a late commit inside pages already read is
   * missed in this pass. The caller de-duplicates by id and re-reads an overlap on the next poll.
   */
  async *eventsSince(dateFrom: string | Date, options: { student?: string; signal?: AbortSignal } = {}): AsyncGenerator<SourceEvent[], void, undefined> {
    yield* eventPages(this.#pages, this.#urls.events({ dateFrom, student: options.student }), options.signal);
  }

  /** The whole roster (every page, each retried like events), optionally filtered by `search`. */
  async roster(search?: string, options: RequestOptions = {}): Promise<RosterStudent[]> {
    return rosterPages(this.#pages, this.#urls.roster(search), options.signal);
  }

  /**
   * The first-run probe: logs in, then reads one page of events (since `since`, default 24 h
   * ago) and one of the roster. Transient failures are retried `attempts` times (default 3) in
   * all; what still fails becomes the problem to print. Never throws for a source problem.
   */
  check(options: CheckOptions = {}): Promise<CheckResult> {
    const probe = {
      login: (signal: AbortSignal | undefined) => this.login({ signal }),
      eventsPage: (since: Date, signal: AbortSignal | undefined) => this.eventsPage({ dateFrom: since }, { signal }),
      rosterPage: (signal: AbortSignal | undefined) => this.getJson(this.#urls.roster(undefined), RosterPage, { signal }),
    };
    return checkSource(probe, this.#retrier, options);
  }
}
