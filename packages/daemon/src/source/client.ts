/**
 * The daemon's client of the production source API (`docs/source-api.md`), read-only.
 *
 * - Auth: one token per session, reused by every request over Bun's pooled keep-alive
 *   connections; a 401 logs in again once and retries, a second 401 in a row is a failure. A fixed
 *   token (LMDASH_SOURCE_TOKEN) skips the login altogether; a 401 with it is a failure.
 * - Every answer is validated with the `@lmdash/core` schemas before anything is returned: a
 *   malformed page is a failed request, never a partial result.
 * - At run time every source failure is retried (backoff: `failureDelay`, Retry-After honoured),
 *   forever, until the caller's AbortSignal fires; health transitions are logged and reported once
 *   each. Wrong credentials are fatal only in `check()`, the first-run probe.
 * - The password and the token never appear in a log line or an error message.
 */
import { EventsPage, EventsQuery, RosterPage, SOURCE_PATHS, TokenResponse } from '@lmdash/core';
import type { RosterStudent, SourceEvent } from '@lmdash/core';
import { BAD_CREDENTIALS_RETRY_MS, failureDelay } from './backoff.ts';
import { SourceError, redactUrl } from './errors.ts';
import { HealthTracker } from './health.ts';
import type { HealthStatus, HealthTransition } from './health.ts';

/** The part of `fetch` the client uses; the global `fetch` fits, and so does a wrapped `app.request`. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/** Anything with zod's `safeParse` (the core schemas), so this package needs no zod of its own. */
export type Schema<T> = {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
};

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

export type CheckProblem = 'unreachable' | 'bad-credentials' | 'contract';

/** What `check()` found: ready to run, or the one problem to print before refusing to start. */
export type CheckResult = { ok: true; events: number; students: number } | { ok: false; problem: CheckProblem; detail: string };

export type EventsPageQuery = { dateFrom: string | Date; page?: number; student?: string };

type RequestOptions = { signal?: AbortSignal };
type Answer = { status: number; headers: Headers; text: string };

export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export class SourceClient {
  readonly baseUrl: string;
  readonly pageSize: number;
  readonly #user: string;
  readonly #password: string;
  readonly #fixedToken: boolean;
  #token: string | undefined;
  #loggingIn: Promise<string> | undefined;
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #maxBodyBytes: number;
  readonly #sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly #log: (line: string) => void;
  readonly #onHealth: ((transition: HealthTransition) => void) | undefined;
  readonly #health: HealthTracker;

  constructor(options: SourceClientOptions) {
    const base = new URL(options.baseUrl); // throws on a bad URL: a config bug, not a source failure
    this.baseUrl = base.href.replace(/\/+$/, '');
    if (!(Number.isInteger(options.pageSize) && options.pageSize >= 1 && options.pageSize <= 1000)) throw new RangeError(`source: pageSize must be 1..1000, got ${options.pageSize}`);
    this.pageSize = options.pageSize;
    this.#user = options.user;
    this.#password = options.password;
    this.#token = options.token || undefined;
    this.#fixedToken = this.#token !== undefined;
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
    this.#sleep = options.sleep ?? abortableSleep;
    this.#log = options.log ?? ((line) => console.log(line));
    this.#onHealth = options.onHealth;
    this.#health = new HealthTracker(options.unhealthyAfter);
  }

  /** The source's health as of the last request. */
  get health(): { status: HealthStatus; consecutiveFailures: number; lastError: string | undefined } {
    return { status: this.#health.status, consecutiveFailures: this.#health.consecutiveFailures, lastError: this.#health.lastError };
  }

  /** Logs in now (a new token), unless the client runs on a fixed token. Counts for health. */
  async login(options: RequestOptions = {}): Promise<void> {
    if (this.#fixedToken) return;
    await this.#tracked(async () => {
      this.#token = undefined;
      await this.#ensureToken(options.signal);
    }, options.signal);
  }

  /**
   * One authenticated GET of a path (under the base URL) or an absolute URL, validated with
   * `schema`. No retry beyond the one re-login on 401; throws SourceError.
   */
  async getJson<T>(pathOrUrl: string, schema: Schema<T>, options: RequestOptions = {}): Promise<T> {
    const url = this.#resolve(pathOrUrl);
    return this.#tracked(() => this.#getOnce(url, schema, options.signal), options.signal);
  }

  /** One page of events, no retry. */
  eventsPage(query: EventsPageQuery, options: RequestOptions = {}): Promise<EventsPage> {
    return this.getJson(this.#eventsUrl(query), EventsPage, options);
  }

  /**
   * Every event visible from `dateFrom` (inclusive), one validated page at a time, following
   * `next`. Each page is retried until it succeeds or `signal` aborts (then the AbortSignal's
   * reason is thrown). Empty pages are not yielded.
   *
   * Not de-duplicated: pages are offsets into a growing log, so an event at a page boundary can
   * come twice (a late commit shifts the rest), and a late commit inside pages already read is
   * missed in this pass. The caller de-duplicates by id and re-reads an overlap on the next poll.
   */
  async *eventsSince(dateFrom: string | Date, options: { student?: string; signal?: AbortSignal } = {}): AsyncGenerator<SourceEvent[], void, undefined> {
    const { signal } = options;
    let url: string | undefined = this.#eventsUrl({ dateFrom, student: options.student });
    while (url !== undefined) {
      let current: string = url;
      let page: EventsPage | undefined;
      while (page === undefined) {
        const asked = current;
        try {
          page = await this.#retrying(() => this.getJson(asked, EventsPage, { signal }), { signal, giveUp: (e) => e.kind === 'too-large' && smallerPage(asked) !== undefined });
        } catch (e) {
          // A page too big to read: the same events again, in smaller pages (the walk goes on at that size).
          const smaller = e instanceof SourceError && e.kind === 'too-large' ? smallerPage(asked) : undefined;
          if (smaller === undefined) throw e;
          this.#log(`source: ${e instanceof Error ? e.message : String(e)}; asking for ${new URL(smaller).searchParams.get('page_size')} events a page instead`);
          current = smaller;
        }
      }
      if (page.results.length > 0) yield page.results;
      url = this.#next(page.next, current);
    }
  }

  /** The whole roster (every page, each retried like events), optionally filtered by `search`. */
  async roster(search?: string, options: RequestOptions = {}): Promise<RosterStudent[]> {
    const { signal } = options;
    const students: RosterStudent[] = [];
    let url: string | undefined = this.#rosterUrl(search);
    while (url !== undefined) {
      const current: string = url;
      const page = await this.#retrying(() => this.getJson(current, RosterPage, { signal }), { signal });
      students.push(...page.results);
      url = this.#next(page.next, current);
    }
    return students;
  }

  /**
   * The first-run probe: logs in, then reads one page of events (since `since`, default 24 h
   * ago) and one of the roster. Transient failures are retried `attempts` times (default 3) in
   * all; what still fails becomes the problem to print. Never throws for a source problem.
   */
  async check(options: { since?: Date; attempts?: number; signal?: AbortSignal } = {}): Promise<CheckResult> {
    const attempts = options.attempts ?? 3;
    const { signal } = options;
    const since = options.since ?? new Date(Date.now() - 24 * 3600_000);
    try {
      // Wrong credentials will not heal: stop at once instead of spending the attempts.
      const once = { signal, attempts, giveUp: (e: SourceError) => e.kind === 'bad-credentials' };
      await this.#retrying(() => this.login({ signal }), once);
      const events = await this.#retrying(() => this.eventsPage({ dateFrom: since }, { signal }), once);
      const students = await this.#retrying(() => this.getJson(this.#rosterUrl(undefined), RosterPage, { signal }), once);
      return { ok: true, events: events.count, students: students.count };
    } catch (e) {
      if (!(e instanceof SourceError)) throw e;
      return { ok: false, problem: checkProblem(e), detail: e.message };
    }
  }

  // ---- requests

  async #getOnce<T>(url: string, schema: Schema<T>, signal: AbortSignal | undefined): Promise<T> {
    let token = await this.#ensureToken(signal);
    let answer = await this.#exchange(url, { method: 'GET', headers: authHeaders(token) }, signal);
    if (answer.status === 401 && !this.#fixedToken) {
      token = await this.#relogin(token, signal);
      answer = await this.#exchange(url, { method: 'GET', headers: authHeaders(token) }, signal);
    }
    if (answer.status === 401) throw new SourceError('auth', this.#fixedToken ? 'HTTP 401 with the fixed token (LMDASH_SOURCE_TOKEN)' : 'HTTP 401 again right after a fresh login', { url, status: 401 });
    if (answer.status === 403) throw new SourceError('auth', `HTTP 403${errorDetail(answer)}`, { url, status: 403 });
    return parseAnswer(url, answer, schema);
  }

  /** The current token, logging in first if there is none; concurrent callers share one login. */
  async #ensureToken(signal: AbortSignal | undefined): Promise<string> {
    if (this.#token !== undefined) return this.#token;
    this.#loggingIn ??= this.#loginOnce(signal).finally(() => (this.#loggingIn = undefined));
    return this.#loggingIn;
  }

  /** After a 401: a new login, unless another request already replaced the stale token. */
  #relogin(stale: string, signal: AbortSignal | undefined): Promise<string> {
    if (this.#token === stale) this.#token = undefined;
    return this.#ensureToken(signal);
  }

  async #loginOnce(signal: AbortSignal | undefined): Promise<string> {
    const url = this.#resolve(SOURCE_PATHS.token);
    const body = JSON.stringify({ username: this.#user, password: this.#password });
    const answer = await this.#exchange(url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body }, signal);
    if (answer.status === 400) throw new SourceError('bad-credentials', `login refused for user ${JSON.stringify(this.#user)}${errorDetail(answer)}`, { url, status: 400 });
    const { token } = parseAnswer(url, answer, TokenResponse);
    this.#token = token;
    this.#log(`source: logged in as ${JSON.stringify(this.#user)}`);
    return token;
  }

  /** One HTTP exchange, body included, under the request timeout and the caller's signal. */
  async #exchange(url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Answer> {
    signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const res = await this.#fetch(url, { ...init, signal: both });
      // The body is read under the same signal: an answer that stalls midway is a timeout too.
      const text = await untilAborted(readCapped(res, this.#maxBodyBytes, url), both);
      return { status: res.status, headers: res.headers, text };
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      if (e instanceof SourceError) throw e;
      if (timeout.aborted) throw new SourceError('timeout', `no complete answer within ${this.#timeoutMs} ms`, { url, cause: e });
      throw new SourceError('network', networkDetail(e), { url, cause: e });
    }
  }

  // ---- health and retry

  /** Runs one request and feeds its outcome to the health tracker (an abort is not a failure). */
  async #tracked<T>(request: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> {
    try {
      const value = await request();
      this.#report(this.#health.success());
      return value;
    } catch (e) {
      if (e instanceof SourceError && !signal?.aborted) this.#report(this.#health.failure(e));
      throw e;
    }
  }

  #report(transition: HealthTransition | undefined): void {
    if (!transition) return;
    if (transition.status === 'unhealthy') this.#log(`source: UNHEALTHY after ${transition.consecutiveFailures} failures in a row; last: ${transition.lastError}`);
    else this.#log('source: HEALTHY');
    this.#onHealth?.(transition);
  }

  /** Retries a request on SourceError with the failure backoff, until it succeeds, `attempts` run out or `signal` aborts. */
  async #retrying<T>(request: () => Promise<T>, options: { signal?: AbortSignal; attempts?: number; giveUp?: (e: SourceError) => boolean }): Promise<T> {
    const { signal } = options;
    for (let attempt = 1; ; attempt++) {
      try {
        return await request();
      } catch (e) {
        if (!(e instanceof SourceError) || signal?.aborted) throw e;
        if (attempt >= (options.attempts ?? Infinity) || options.giveUp?.(e)) throw e;
        const failures = Math.max(1, this.#health.consecutiveFailures);
        // Wrong credentials mid-run (a rotated password) will not heal fast: spare the account.
        const delay = e.kind === 'bad-credentials' ? BAD_CREDENTIALS_RETRY_MS : failureDelay(failures, e.retryAfter);
        this.#log(`source: ${e.message}; retry in ${(delay / 1000).toFixed(1)} s (${failures} failure${failures === 1 ? '' : 's'} in a row)`);
        await this.#sleep(delay, signal);
        signal?.throwIfAborted();
      }
    }
  }

  // ---- URLs

  #resolve(pathOrUrl: string): string {
    if (/^https?:\/\//i.test(pathOrUrl)) return pathOrUrl;
    return this.baseUrl + (pathOrUrl.startsWith('/') ? pathOrUrl : `/${pathOrUrl}`);
  }

  #eventsUrl(query: EventsPageQuery): string {
    const dateFrom = query.dateFrom instanceof Date ? query.dateFrom.toISOString() : query.dateFrom;
    const parsed = EventsQuery.safeParse({ dateFrom, page: query.page ?? 1, page_size: this.pageSize, student: query.student });
    if (!parsed.success) throw new TypeError(`source: bad events query: ${issuesText(parsed.error.issues)}`);
    const q = parsed.data;
    const params = new URLSearchParams({ dateFrom: q.dateFrom, page: String(q.page), page_size: String(q.page_size) });
    if (q.student !== undefined) params.set('student', q.student);
    return `${this.#resolve(SOURCE_PATHS.events)}?${params}`;
  }

  #rosterUrl(search: string | undefined): string {
    const params = new URLSearchParams({ page: '1', page_size: String(this.pageSize) });
    if (search) params.set('search', search);
    return `${this.#resolve(SOURCE_PATHS.students)}?${params}`;
  }

  /**
   * The URL to fetch for a `next` link, undefined at the end. Its path and query are taken onto
   * our base URL's origin: the token never goes to another host, and a Django behind a proxy that
   * writes `http://internal-host/...` links still works. A link back to the same page ends the walk.
   */
  #next(next: string | null, current: string): string | undefined {
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

// ---- helpers

function authHeaders(token: string): Record<string, string> {
  return { authorization: `Token ${token}`, accept: 'application/json' };
}

/** A 2xx answer parsed and validated, or the SourceError that says what is wrong with it. */
function parseAnswer<T>(url: string, answer: Answer, schema: Schema<T>): T {
  const { status } = answer;
  if (status < 200 || status > 299) {
    throw new SourceError('http', `HTTP ${status}${errorDetail(answer)}`, { url, status, retryAfter: retryAfterSeconds(answer.headers.get('retry-after')) });
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    const type = answer.headers.get('content-type') ?? 'no content-type';
    throw new SourceError('bad-body', `HTTP ${status} body is not JSON (${type}, ${answer.text.length} bytes)`, { url, status });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new SourceError('bad-body', `HTTP ${status} body has the wrong shape: ${issuesText(parsed.error.issues)}`, { url, status });
  return parsed.data;
}

/** `: <detail>` from a DRF error body, or nothing; short, it goes into logs. */
function errorDetail(answer: Answer): string {
  try {
    const body = JSON.parse(answer.text) as unknown;
    if (body && typeof body === 'object' && typeof (body as { detail?: unknown }).detail === 'string') return `: ${(body as { detail: string }).detail.slice(0, 200)}`;
  } catch {
    // not JSON: the status says enough
  }
  return '';
}

function issuesText(issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const shown = issues.slice(0, 3).map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`);
  return shown.join('; ') + (issues.length > 3 ? ` (+${issues.length - 3} more)` : '');
}

/** `Retry-After` in seconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}

function networkDetail(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return `connection failed (${typeof code === 'string' ? `${code}: ` : ''}${e.message || e.name})`;
  }
  return 'connection closed before the answer was complete';
}

function checkProblem(e: SourceError): CheckProblem {
  switch (e.kind) {
    case 'bad-credentials':
    case 'auth':
      return 'bad-credentials';
    case 'bad-body':
    case 'too-large':
      return 'contract';
    case 'network':
    case 'timeout':
      return 'unreachable';
    case 'http':
      // 5xx and throttling: the source is there but not serving. Other 4xx: wrong URL or API.
      return e.status !== undefined && (e.status >= 500 || e.status === 429 || e.status === 408) ? 'unreachable' : 'contract';
  }
}

/**
 * The body as text, reading at most `maxBytes` bytes: a bigger answer is a `too-large`
 * SourceError, so no page of the source can hold the daemon's memory hostage.
 */
async function readCapped(res: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  const over = (bytes: string) => new SourceError('too-large', `answer of ${bytes} bytes is over the limit of ${maxBytes} bytes (LMDASH_SOURCE_MAX_PAGE_BYTES)`, { url, status: res.status });
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw over(String(declared));
  }
  if (!res.body) return res.text();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      await res.body.cancel().catch(() => {});
      throw over(`more than ${maxBytes}`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total).toString('utf8');
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

/** A promise that rejects when `signal` aborts first (fetch bodies do not always listen). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

/** The default sleep: a timer that ends early when the signal aborts. */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
