/** The API over an in-memory database and a clock the test moves, driven with `app.request()`. */
import { loadConfig, openDatabase, type OpenedDatabase } from '@lmdash/core';
import { createApiApp, type ApiApp } from '../src/app.ts';
import type { Repeat } from '../src/stream/hub.ts';
import { parseFrame, type Frame } from './helpers.ts';
import { seedClass } from './daemonWrites.ts';

export type TestApi = ApiApp & {
  db: OpenedDatabase;
  clock: { now: number };
  /** `app.request` as if from a socket peer (default 127.0.0.1). */
  request: (path: string, init?: RequestInit, peer?: string | null) => Promise<Response>;
  post: (path: string, body: unknown, headers?: Record<string, string>) => Promise<Response>;
  cleanup: () => void;
};

export const T0 = 1_000_000;

export function makeApi(o: { env?: Record<string, string>; seed?: boolean; webRoot?: string | null; pollMs?: number; pingMs?: number; pingRepeat?: Repeat } = {}): TestApi {
  const db = openDatabase(':memory:');
  if (o.seed !== false) seedClass(db.sqlite, T0);
  const clock = { now: T0 + 600_000 };
  const api = createApiApp({ db, config: loadConfig({ env: o.env ?? {} }), now: () => clock.now, webRoot: o.webRoot ?? null, log: () => {}, pollMs: o.pollMs ?? 10, pingMs: o.pingMs, pingRepeat: o.pingRepeat });
  const request = (path: string, init?: RequestInit, peer: string | null = '127.0.0.1') =>
    Promise.resolve(api.app.request(path, init, peer === null ? undefined : { requestIP: () => ({ address: peer, family: peer.includes(':') ? 'IPv6' : 'IPv4', port: 40000 }) }));
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    request(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  return { ...api, db, clock, request, post, cleanup: () => (api.close(), db.close()) };
}

/**
 * A clock for `Repeat` that only moves when told: `advance(ms)` runs every due callback in time
 * order, as often as its period fits, so a cadence is asserted exactly instead of by waiting.
 */
export function manualRepeat(): { repeat: Repeat; advance: (ms: number) => void; periods: () => number[] } {
  type Job = { fn: () => void; ms: number; due: number; live: boolean };
  const jobs: Job[] = [];
  let now = 0;
  return {
    repeat: (fn, ms) => {
      const job = { fn, ms, due: now + ms, live: true };
      jobs.push(job);
      return () => void (job.live = false);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const next = jobs.filter((j) => j.live && j.due <= end).sort((a, b) => a.due - b.due)[0];
        if (!next) break;
        now = next.due;
        next.due += next.ms;
        next.fn();
      }
      now = end;
    },
    periods: () => jobs.filter((j) => j.live).map((j) => j.ms),
  };
}

/** Reads SSE frames from a response body as they come. */
export class FrameReader {
  readonly frames: Frame[] = [];
  private reader: { read(): Promise<{ done: boolean; value?: Uint8Array }>; cancel(): Promise<void> };
  private buf = '';
  /** One decoder for the whole body: a multi-byte character may straddle two chunks. */
  private decoder = new TextDecoder();
  private pending: Promise<{ done: boolean; value?: Uint8Array }> | null = null;

  constructor(res: Response) {
    this.reader = res.body!.getReader();
  }

  /** Reads until a frame after index `from` matches, or `timeoutMs` passes. */
  async until(match: (f: Frame) => boolean, timeoutMs = 5000, from = 0): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const hit = this.frames.slice(from).find(match);
      if (hit) return hit;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames.map((f) => f.event ?? f.comment ?? f.retry))}`);
      // A read that loses the race stays pending and is awaited next time: no chunk is lost.
      this.pending ??= this.reader.read();
      const chunk = await Promise.race([this.pending, Bun.sleep(left).then(() => null)]);
      if (chunk === null) continue;
      this.pending = null;
      if (chunk.done) throw new Error('stream ended');
      this.buf += this.decoder.decode(chunk.value, { stream: true });
      let end: number;
      while ((end = this.buf.indexOf('\n\n')) >= 0) {
        this.frames.push(parseFrame(this.buf.slice(0, end)));
        this.buf = this.buf.slice(end + 2);
      }
    }
  }

  async cancel(): Promise<void> {
    await this.reader.cancel().catch(() => {});
  }
}
