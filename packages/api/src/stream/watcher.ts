/**
 * The one poller of a process: it reads `meta.version` and `meta.epoch` every POLL_MS — or, on
 * PostgreSQL while its version notices are listening (`notices.ts`), when a notice wakes it and
 * every SAFETY_POLL_MS — and, when they move, computes the delta once and broadcasts it to every
 * stream (or, on a new epoch, a `reset` then a fresh snapshot). It also remembers which students were tracked and untracked
 * at which version since it started, so a client resuming with `Last-Event-ID` gets the cards of
 * students tracked meanwhile and the ids of those untracked (`tracked_student` has no version).
 * Health frames go out when the daemon's health or heartbeat staleness changes, and at least
 * every HEALTH_MAX_QUIET_MS.
 *
 * Published events: each poll also looks for stored ones this process has not sent yet — those
 * another API process on the same database took (`POST /publish` there) — and sends them, in
 * `seq` order, with the ones published here (`publishLive`): so a stream on any process gets every
 * producer event live, once.
 */
import type { Storage } from '@lmdash/core';
import type { DeltaEvent } from '@lmdash/core/wire';
import type { SessionRule } from '../queries/cards.ts';
import { healthKey, readHealth } from '../queries/health.ts';
import { buildDelta, buildSnapshot } from '../queries/snapshot.ts';
import type { Hub } from './hub.ts';
import { noNotices, type VersionNotices, type Wake } from './notices.ts';
import { REPLAY_PAGE_ROWS } from './replay.ts';
import { eventId, frame, publishFrame } from './sse.ts';

/** The poll interval of `meta.version` (the bound: at most 50 ms). */
export const POLL_MS = 50;
/** While version notices are listening: the read of `meta` that a lost notice would wait for at most. */
export const SAFETY_POLL_MS = 1000;
/** How often health is re-read (heartbeat staleness changes with the clock alone). */
export const HEALTH_CHECK_MS = 1000;
/** A health frame goes out at least this often. */
export const HEALTH_MAX_QUIET_MS = 10_000;
/** A resuming client that missed more rows than this gets a snapshot instead of a delta. */
export const MAX_CATCHUP_ROWS = 20_000;

export type WatcherOptions = {
  storage: Storage;
  hub: Hub;
  now: () => number;
  rule: SessionRule;
  log: (line: string) => void;
  pollMs?: number;
  healthCheckMs?: number;
  /** What wakes the watcher besides its timer (PostgreSQL's LISTEN); default none: it polls every `pollMs`. */
  notices?: VersionNotices;
  /** While the notices are listening, `meta` is still read this often (default SAFETY_POLL_MS). */
  safetyPollMs?: number;
};

/** What a resuming client needs: nothing, the rows since its version, or a snapshot. */
export type CatchUp = { kind: 'current' } | { kind: 'delta'; delta: DeltaEvent } | { kind: 'snapshot' };

export class Watcher {
  epoch = 0;
  version = 0;
  /** The first version this watcher saw in this epoch: tracking history is known from here on. */
  private startVersion = 0;
  private tracked = new Set<string>();
  private addedAt = new Map<string, number>();
  private removedAt = new Map<string, number>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private lastHealthKey = '';
  private lastHealthSent = -Infinity;
  private lastHealthCheck = -Infinity;
  private lastError = '';
  private lastPoll = -Infinity;
  private wakePending = false;
  /** The highest published `seq` this process has sent to its streams (or that they replay themselves). */
  private publishedSeq = 0;
  readonly notices: VersionNotices;

  constructor(private readonly o: WatcherOptions) {
    this.notices = o.notices ?? noNotices();
    this.rebase();
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), this.o.pollMs ?? POLL_MS);
    // The watcher alone must not keep a process (a test, a script) alive.
    this.timer.unref?.();
    this.notices.start((wake) => this.wake(wake));
  }

  /** Stops the timer and the notices (resolves once their connection is closed). */
  stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    return this.notices.stop();
  }

  /** The timer: polls unless the notices are listening and the safety poll and health check are not due. */
  private tick(): void {
    const since = performance.now() - this.lastPoll;
    if (this.notices.state() === 'listening' && since < (this.o.safetyPollMs ?? SAFETY_POLL_MS) && since < (this.o.healthCheckMs ?? HEALTH_CHECK_MS)) return;
    this.poll();
  }

  /**
   * A notice or a (re)connect: poll soon, once for a burst. A notice of a version already
   * followed changes nothing (the version row would say the same), so it is not even read.
   */
  private wake(w: Wake): void {
    if (w && w.epoch === this.epoch && w.version <= this.version) return;
    if (this.wakePending) return;
    this.wakePending = true;
    setImmediate(() => {
      this.wakePending = false;
      if (this.timer) this.poll();
    });
  }

  /** One poll: cheap when nothing moved (one single-row read). Never throws. */
  poll(): void {
    this.lastPoll = performance.now();
    try {
      const v = this.o.storage.status.version();
      if (v.epoch !== this.epoch || v.version !== this.version) this.o.storage.consistent(() => this.advance());
      this.followPublished();
      // Cadence on the monotonic clock; staleness on the (injectable) wall clock.
      const tick = performance.now();
      if (tick - this.lastHealthCheck >= (this.o.healthCheckMs ?? HEALTH_CHECK_MS)) {
        this.lastHealthCheck = tick;
        this.checkHealth(tick);
      }
      this.lastError = '';
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (message !== this.lastError) this.o.log(`stream watcher: ${message}`);
      this.lastError = message;
    }
  }

  /**
   * Runs `fn` on one consistent read, after bringing every connected stream up to date:
   * what `fn` reads is exactly at `this.version`, and no broadcast can slip in before it returns
   * (the stream route registers a new client here).
   */
  sync<T>(fn: (at: { epoch: number; version: number }) => T): T {
    return this.o.storage.consistent(() => {
      this.advance();
      // The stored events the new stream replays (up to the last seq) must not come live too.
      this.followPublished();
      return fn({ epoch: this.epoch, version: this.version });
    });
  }

  /**
   * An event this process just stored (`POST /publish`): sends it to every stream, after any
   * stored before it by another process that were not sent yet. Returns how many streams got it.
   */
  publishLive(stored: { seq: number; receivedAt: number; body: string }): number {
    if (stored.seq > this.publishedSeq) {
      this.sendPublished(stored.seq - 1);
      this.publishedSeq = stored.seq;
    }
    const delivered = this.o.hub.broadcast(publishFrame(stored.seq, stored.receivedAt, stored.body));
    this.notices.announcePublished?.(stored.seq);
    return delivered;
  }

  /** Sends the stored events newer than `publishedSeq` (another process's): the ones still kept, in seq order. */
  private followPublished(): void {
    const last = this.o.storage.published.lastSeq();
    // Fewer than before: a reset emptied the table (SQLite numbers from 1 again).
    if (last < this.publishedSeq) this.publishedSeq = last;
    else if (last > this.publishedSeq) this.sendPublished(last);
  }

  private sendPublished(upTo: number): void {
    if (this.o.hub.size > 0) {
      for (let after = this.publishedSeq; ; ) {
        const page = this.o.storage.published.page(after, upTo, REPLAY_PAGE_ROWS);
        if (page.length === 0) break;
        for (const r of page) this.o.hub.broadcast(publishFrame(r.id, r.receivedAt, r.body));
        after = page.at(-1)!.id;
      }
    }
    this.publishedSeq = Math.max(this.publishedSeq, upTo);
  }

  /** Inside `sync`: what a client resuming at `fromVersion` of the current epoch needs. */
  catchUp(fromVersion: number): CatchUp {
    if (fromVersion === this.version) return { kind: 'current' };
    if (fromVersion < this.startVersion || fromVersion > this.version) return { kind: 'snapshot' };
    if (this.o.storage.reads.rowsChangedSince(fromVersion) > MAX_CATCHUP_ROWS) return { kind: 'snapshot' };
    const added = [...this.addedAt].filter(([id, v]) => v > fromVersion && this.tracked.has(id)).map(([id]) => id);
    const removed = [...this.removedAt].filter(([id, v]) => v > fromVersion && !this.tracked.has(id)).map(([id]) => id);
    const delta = buildDelta(this.o.storage, { epoch: this.epoch, fromVersion, toVersion: this.version, tracked: this.tracked, added, removed }, this.o.rule);
    return { kind: 'delta', delta };
  }

  /** Forgets the tracking history: a new epoch (or a version that went backwards) starts over. */
  private rebase(): void {
    const v = this.o.storage.status.version();
    this.epoch = v.epoch;
    this.version = v.version;
    this.startVersion = v.version;
    this.tracked = this.o.storage.roster.trackedIds();
    this.publishedSeq = this.o.storage.published.lastSeq();
    this.addedAt.clear();
    this.removedAt.clear();
  }

  /** Inside a consistent read: follow `meta` to where it is now, broadcasting what changed. */
  private advance(): void {
    const v = this.o.storage.status.version();
    if (v.epoch === this.epoch && v.version === this.version) return;
    const hub = this.o.hub;
    if (v.epoch !== this.epoch || v.version < this.version) {
      const newEpoch = v.epoch !== this.epoch;
      this.rebase();
      if (hub.size === 0) return;
      if (newEpoch) hub.broadcast(frame('reset', { epoch: this.epoch }));
      const snapshot = buildSnapshot(this.o.storage, this.o.now(), this.o.rule);
      hub.broadcast(frame('snapshot', snapshot, eventId(snapshot.epoch, snapshot.version)));
      // A snapshot is followed by the stored events (after a reset: those published since).
      if (newEpoch) this.publishedSeq = 0;
      return;
    }
    const now = this.o.storage.roster.trackedIds();
    const added = [...now].filter((id) => !this.tracked.has(id));
    const removed = [...this.tracked].filter((id) => !now.has(id));
    for (const id of added) (this.addedAt.set(id, v.version), this.removedAt.delete(id));
    for (const id of removed) (this.removedAt.set(id, v.version), this.addedAt.delete(id));
    const fromVersion = this.version;
    this.version = v.version;
    this.tracked = now;
    if (hub.size === 0) return;
    const delta = buildDelta(this.o.storage, { epoch: this.epoch, fromVersion, toVersion: v.version, tracked: now, added, removed }, this.o.rule);
    hub.broadcast(frame('delta', delta, eventId(this.epoch, v.version)));
  }

  private checkHealth(tick: number): void {
    if (this.o.hub.size === 0) return;
    const health = readHealth(this.o.storage, this.o.now());
    const key = healthKey(health);
    if (key === this.lastHealthKey && tick - this.lastHealthSent < HEALTH_MAX_QUIET_MS) return;
    this.lastHealthKey = key;
    this.lastHealthSent = tick;
    this.o.hub.broadcast(frame('health', health));
  }
}
