/**
 * The tab's one EventSource on `/api/stream`, and its status: `connecting` at first, `live` once
 * open, `reconnecting` while down, `offline` when down for longer than `offlineAfterMs`.
 *
 * The browser reconnects an EventSource by itself after a network error and sends
 * `Last-Event-ID`, which the API resumes from. It gives up for good (readyState CLOSED) when a
 * reconnect gets an HTTP error or a non-stream body, e.g. while a proxy answers for a stopped
 * API; then we open a new EventSource with backoff, resuming with `?lastEventId=` from what the
 * store holds (the API answers with the delta since then, or a snapshot when it cannot).
 */
import type { StreamEventName } from '@lmdash/core/wire';

export type StreamStatus = 'connecting' | 'live' | 'reconnecting' | 'offline';

/** Mirrors the keys of the contract's `STREAM_EVENTS`. */
export const STREAM_EVENT_NAMES = ['snapshot', 'delta', 'health', 'publish', 'reset'] as const satisfies readonly StreamEventName[];

export interface StreamOptions {
  url: string;
  onFrame: (name: StreamEventName, data: unknown, id: string) => void;
  onStatus: (status: StreamStatus) => void;
  /** Down this long, the status becomes `offline` (the tab keeps trying). */
  offlineAfterMs?: number;
  /** The `<epoch>:<version>` the page holds, to resume from when we reopen ourselves. */
  resumeId?: () => string | null;
  /**
   * The browser gave up on the stream (an HTTP error such as a 401 once a session has ended, or
   * a proxy answering for a stopped API); we reopen it with backoff regardless.
   */
  onGiveUp?: () => void;
  /** For tests: the EventSource constructor. */
  create?: (url: string) => EventSource;
}

export interface StreamHandle {
  /** Drops the connection and opens a fresh one, which starts with a snapshot. */
  resync: () => void;
  close: () => void;
}

const OFFLINE_AFTER_MS = 10_000;
const RESYNC_MIN_INTERVAL_MS = 3_000;

/**
 * Wait before the `attempt`-th reopen after the browser gave up: 1 s doubling to 15 s.
 * @example reopenDelay(0) // 1000
 */
export function reopenDelay(attempt: number): number {
  return Math.min(15_000, 1000 * 2 ** Math.max(0, attempt));
}

export function openStream(opts: StreamOptions): StreamHandle {
  const create = opts.create ?? ((url: string) => new EventSource(url));
  const offlineAfter = opts.offlineAfterMs ?? OFFLINE_AFTER_MS;
  let source: EventSource | null = null;
  let attempt = 0;
  let down = false;
  let closed = false;
  let lastResync = 0;
  let reopenTimer: ReturnType<typeof setTimeout> | undefined;
  let offlineTimer: ReturnType<typeof setTimeout> | undefined;

  function markDown(): void {
    if (down) return;
    down = true;
    opts.onStatus('reconnecting');
    offlineTimer = setTimeout(() => opts.onStatus('offline'), offlineAfter);
  }

  function markUp(): void {
    down = false;
    attempt = 0;
    clearTimeout(offlineTimer);
    opts.onStatus('live');
  }

  function open(resume = false): void {
    if (closed) return;
    const id = resume ? opts.resumeId?.() : null;
    const es = create(id ? `${opts.url}${opts.url.includes('?') ? '&' : '?'}lastEventId=${encodeURIComponent(id)}` : opts.url);
    source = es;
    es.onopen = () => {
      if (source === es) markUp();
    };
    es.onerror = () => {
      if (source !== es) return;
      markDown();
      if (es.readyState === 2 /* CLOSED: the browser will not retry */) {
        es.close();
        source = null;
        reopenTimer = setTimeout(() => open(true), reopenDelay(attempt++));
        opts.onGiveUp?.();
      }
    };
    for (const name of STREAM_EVENT_NAMES) {
      es.addEventListener(name, (e) => {
        if (source !== es) return;
        const msg = e as MessageEvent<string>;
        let data: unknown;
        try {
          data = JSON.parse(msg.data);
        } catch {
          console.warn(`lmdash: ignoring a ${name} frame that is not JSON`);
          return;
        }
        opts.onFrame(name, data, msg.lastEventId);
      });
    }
  }

  function drop(): void {
    clearTimeout(reopenTimer);
    source?.close();
    source = null;
  }

  open();
  return {
    resync() {
      if (closed) return;
      const wait = lastResync + RESYNC_MIN_INTERVAL_MS - Date.now();
      drop();
      lastResync = Math.max(Date.now(), lastResync + RESYNC_MIN_INTERVAL_MS);
      if (wait > 0) reopenTimer = setTimeout(() => open(), wait);
      else open();
    },
    close() {
      closed = true;
      drop();
      clearTimeout(offlineTimer);
    },
  };
}
