/**
 * What wakes the stream's watcher. On PostgreSQL every `meta.version` bump sends, in its own
 * transaction, `pg_notify('lmdash_version', '{"epoch":E,"version":V}')`: the watcher LISTENs on
 * that channel and reads the version row when a notice arrives, instead of every 50 ms. A notice
 * is only a wake-up, never the truth: on every notice and on every (re)connect of the listener
 * the watcher reads `meta` itself, and while listening it still reads it every SAFETY_POLL_MS
 * (`watcher.ts`), so a notice lost on the way costs at most that.
 *
 * When the listening connection drops (the server restarted, the backend was terminated, the
 * network went away) the state goes to `polling` at once and the watcher polls every 50 ms as on
 * SQLite; the listener reconnects with a backoff (RECONNECT_MIN_MS doubling to
 * RECONNECT_MAX_MS, with jitter; reset once a connection has stayed up STABLE_MS) and, once the
 * LISTEN is acknowledged again, wakes the watcher (which reads what it missed) and goes back to
 * `listening`.
 *
 * Bun's SQL client reconnects a dropped LISTEN by itself, but with a backoff that keeps doubling
 * (tens of seconds after a minute down) and without a word to the caller beyond `onclose`: so the
 * listener here drops the whole client on the first `onclose` and reconnects on its own schedule.
 * On SQLite there is nothing to listen to (`noNotices`): the watcher polls as it always did.
 *
 * Published events do not move the version: a process that stores one (`POST /publish`) sends it
 * to its own streams and announces it on PUBLISHED_CHANNEL, which wakes the other processes to
 * send it to theirs (and, should the announcement be lost, their next poll finds it anyway).
 */
import { VERSION_CHANNEL, isPostgresTarget } from '@lmdash/core';
import { SQL } from 'bun';

/** The channel API processes announce a stored published event on (payload `{"seq":N,"from":ID}`). */
export const PUBLISHED_CHANNEL = 'lmdash_published';
/** First delay before reconnecting a dropped listener, ms. */
export const RECONNECT_MIN_MS = 250;
/** Longest delay between two reconnection attempts, ms. */
export const RECONNECT_MAX_MS = 5_000;
/** A connection that stayed up this long resets the backoff (a flapping one keeps backing off). */
export const STABLE_MS = 10_000;
/** `application_name` of the listening session (what `pg_stat_activity` shows). */
export const NOTICES_APPLICATION_NAME = 'lmdash-api-notices';

/**
 * `listening`: notices arrive, the watcher reads `meta` on each and every SAFETY_POLL_MS.
 * `polling`: the notice channel is down (or not up yet): the watcher polls every POLL_MS.
 * `none`: no notices on this engine (SQLite): the watcher polls every POLL_MS.
 */
export type NoticeState = 'listening' | 'polling' | 'none';
export const NOTICE_STATES: readonly NoticeState[] = ['listening', 'polling', 'none'];

/** What a wake-up says: the version a notice announced (a hint only), or null (a (re)connect, or a payload not understood). */
export type Wake = { epoch: number; version: number } | null;

export type NoticeStats = { notices: number; connects: number; drops: number };

export interface VersionNotices {
  /** Starts listening; `onWake` runs on every notice and on every (re)connect. */
  start(onWake: (wake: Wake) => void): void;
  /** Stops listening and closes the connection (resolves once it is closed). Idempotent. */
  stop(): Promise<void>;
  state(): NoticeState;
  /** Since this process started: notices received, LISTENs acknowledged, connections dropped. */
  stats(): NoticeStats;
  /** Tells the other processes that this one stored a published event (best effort). */
  announcePublished?(seq: number): void;
}

/** SQLite: nothing to listen to; the watcher polls. */
export const noNotices = (): VersionNotices => ({
  start() {},
  stop: async () => {},
  state: () => 'none',
  stats: () => ({ notices: 0, connects: 0, drops: 0 }),
});

/** `{"epoch":E,"version":V}` back into numbers; null for anything else. */
export function parseNotice(payload: string): Wake {
  try {
    const n = JSON.parse(payload) as { epoch?: unknown; version?: unknown };
    return Number.isSafeInteger(n?.epoch) && Number.isSafeInteger(n?.version) ? { epoch: n.epoch as number, version: n.version as number } : null;
  } catch {
    return null;
  }
}

export type PostgresNoticesOptions = {
  /** The database's `postgres://` URL. */
  url: string;
  channel?: string;
  log?: (line: string) => void;
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  stableMs?: number;
  applicationName?: string;
  /** Seconds a connection attempt may take (Bun's `connectionTimeout`). */
  connectTimeoutS?: number;
};

type Listener = { sql: SQL; sub: SQL.ListenSubscription | null; published: SQL.ListenSubscription | null; dead: boolean; since: number };

/** LISTEN on the version channel over one dedicated connection, reconnected with a backoff when it drops. */
export class PostgresVersionNotices implements VersionNotices {
  private current: Listener | null = null;
  private st: NoticeState = 'polling';
  private running = false;
  private onWake: (wake: Wake) => void = () => {};
  private retry: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private closing: Promise<void>[] = [];
  private lastProblem = '';
  private readonly counts: NoticeStats = { notices: 0, connects: 0, drops: 0 };
  /** Who this process is on PUBLISHED_CHANNEL (its own announcements need no wake). */
  private readonly id = `${process.pid}-${Math.random().toString(36).slice(2, 10)}`;
  private announcer: SQL | null = null;
  private announceFailed = false;

  constructor(private readonly o: PostgresNoticesOptions) {}

  state(): NoticeState {
    return this.st;
  }

  stats(): NoticeStats {
    return { ...this.counts };
  }

  start(onWake: (wake: Wake) => void): void {
    if (this.running) return;
    this.running = true;
    this.onWake = onWake;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    this.st = 'polling';
    if (this.current) this.teardown(this.current);
    this.current = null;
    const announcer = this.announcer;
    this.announcer = null;
    await Promise.all([...this.closing, announcer?.close({ timeout: 1 }).catch(() => {})]);
  }

  announcePublished(seq: number): void {
    // Not listening: the server is likely out of reach too; the others' polls find the event.
    if (!this.running || this.st !== 'listening') return;
    this.announcer ??= new SQL(this.o.url, { max: 1, idleTimeout: 60, connectionTimeout: this.o.connectTimeoutS ?? 10, connection: { application_name: `${this.o.applicationName ?? NOTICES_APPLICATION_NAME}-announce` } });
    this.announcer.notify(PUBLISHED_CHANNEL, JSON.stringify({ seq, from: this.id })).then(
      () => void (this.announceFailed = false),
      (e: unknown) => {
        // The others find it at their next poll (at most SAFETY_POLL_MS late): say so once.
        if (!this.announceFailed) this.log(`stream notices: could not announce a published event (${e instanceof Error ? e.message : String(e)}); the other API processes will find it at their next poll`);
        this.announceFailed = true;
      },
    );
  }

  private log(line: string): void {
    (this.o.log ?? ((l: string) => console.error(l)))(line);
  }

  private async connect(): Promise<void> {
    if (!this.running) return;
    const l: Listener = { sql: null as unknown as SQL, sub: null, published: null, dead: false, since: 0 };
    l.sql = new SQL(this.o.url, {
      max: 1,
      idleTimeout: 0,
      connectionTimeout: this.o.connectTimeoutS ?? 10,
      connection: { application_name: this.o.applicationName ?? NOTICES_APPLICATION_NAME },
      // This client only ever holds the LISTEN connection: any close is the channel dropping.
      onclose: (err) => this.dropped(l, err),
    });
    this.current = l;
    try {
      const sub = await l.sql.listen(
        this.o.channel ?? VERSION_CHANNEL,
        (payload) => {
          if (l.dead) return;
          this.counts.notices++;
          this.onWake(parseNotice(payload));
        },
        () => this.listening(l),
      );
      l.sub = sub;
      // On the same connection: another process stored a published event.
      l.published = await l.sql.listen(PUBLISHED_CHANNEL, (payload) => {
        if (l.dead || payload.includes(`"from":"${this.id}"`)) return;
        this.onWake(null);
      });
      // Dropped (or stopped) while a LISTEN was on its way: let go of it too.
      if (l.dead) this.closing.push(Promise.all([sub.unlisten(), l.published.unlisten()]).then(() => {}, () => {}));
    } catch (e) {
      this.dropped(l, e);
    }
  }

  /** The LISTEN is acknowledged (Bun calls this on every connect of `l`): read what was missed. */
  private listening(l: Listener): void {
    if (l.dead || !this.running) return;
    l.since = performance.now();
    this.counts.connects++;
    if (this.lastProblem) this.log(`stream notices: listening again on ${this.o.channel ?? VERSION_CHANNEL}`);
    this.lastProblem = '';
    this.st = 'listening';
    // After the state: a notice may come any moment now, and this read covers everything before.
    this.onWake(null);
  }

  /** The connection closed or never opened: poll, and try again after the backoff. */
  private dropped(l: Listener, err: unknown): void {
    if (l.dead || !this.running || this.current !== l) return;
    this.st = 'polling';
    this.counts.drops++;
    if (l.since > 0 && performance.now() - l.since >= (this.o.stableMs ?? STABLE_MS)) this.attempt = 0;
    this.teardown(l);
    this.current = null;
    const min = this.o.reconnectMinMs ?? RECONNECT_MIN_MS;
    const base = Math.min(this.o.reconnectMaxMs ?? RECONNECT_MAX_MS, min * 2 ** Math.min(this.attempt++, 20));
    const delay = Math.round(base * (0.8 + 0.4 * Math.random()));
    const problem = err instanceof Error ? `${(err as { code?: string }).code ?? err.name}: ${err.message}` : String(err);
    // One line per kind of trouble, not one per attempt.
    if (problem !== this.lastProblem) this.log(`stream notices: the listening connection is down (${problem}); polling meta.version every 50 ms, reconnecting with a backoff`);
    this.lastProblem = problem;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.connect();
    }, delay);
    this.retry.unref?.();
  }

  /** Ends a listener for good: its LISTEN (which also stops Bun's own reconnecting) and its client. */
  private teardown(l: Listener): void {
    if (l.dead) return;
    l.dead = true;
    const done = (async () => {
      try {
        await l.published?.unlisten();
        await l.sub?.unlisten();
      } catch {
        // already gone
      }
      try {
        await l.sql.close({ timeout: 1 });
      } catch {
        // already closed
      }
    })();
    this.closing.push(done);
    void done.then(() => {
      this.closing = this.closing.filter((p) => p !== done);
    });
  }
}

/**
 * The notices of a storage target: LISTEN on a `postgres://` URL, none for a SQLite file.
 * @example const notices = versionNoticesFor(process.env.LMDASH_DATABASE_URL ?? 'data/lmdash.sqlite', console.error);
 */
export function versionNoticesFor(target: string, log?: (line: string) => void): VersionNotices {
  return isPostgresTarget(target) ? new PostgresVersionNotices({ url: target, log }) : noNotices();
}
