/**
 * Test helpers for real processes and sockets: the writer child, the `lmdash api` command, an
 * SSE client that parses frames as they arrive, and poll-until waits (no fixed sleeps: the
 * CI machine is slow and noisy).
 */
import type { Subprocess } from 'bun';
import { resolve } from 'node:path';
import type { WriteOp } from './daemonWrites.ts';

export const REPO_ROOT = resolve(import.meta.dir, '../../..');

/** Polls `check` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 15_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await Bun.sleep(20);
  }
}

/** Reads a child's stdout line by line. */
function lines(proc: Subprocess<'pipe' | 'ignore', 'pipe', 'pipe' | 'inherit' | 'ignore'>): { next: (timeoutMs?: number) => Promise<string>; all: string[] } {
  const all: string[] = [];
  const waiting: ((l: string) => void)[] = [];
  let consumed = 0;
  (async () => {
    let buf = '';
    for await (const chunk of proc.stdout as ReadableStream<Uint8Array>) {
      buf += new TextDecoder().decode(chunk);
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        all.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
        while (waiting.length > 0 && consumed < all.length) waiting.shift()!(all[consumed++]!);
      }
    }
  })();
  return {
    all,
    next: (timeoutMs = 15_000) =>
      new Promise<string>((ok, fail) => {
        if (consumed < all.length) return ok(all[consumed++]!);
        const t = setTimeout(() => fail(new Error(`no line from the child within ${timeoutMs} ms (so far: ${all.join(' | ')})`)), timeoutMs);
        waiting.push((l) => (clearTimeout(t), ok(l)));
      }),
  };
}

export type Writer = { write(op: WriteOp): Promise<{ epoch: number; version: number; id?: number }>; stop(): Promise<void> };

/** `writer.ts` in its own process on `dbPath`. */
export async function spawnWriter(dbPath: string): Promise<Writer> {
  const proc = Bun.spawn(['bun', resolve(import.meta.dir, 'writer.ts'), dbPath], { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit', cwd: REPO_ROOT });
  const out = lines(proc);
  const first = await out.next(30_000);
  if (first !== 'ready') throw new Error(`writer: ${first}`);
  return {
    async write(op) {
      proc.stdin.write(JSON.stringify(op) + '\n');
      proc.stdin.flush();
      const line = await out.next();
      const m = /^ok (\d+):(\d+)(?: (\d+))?$/.exec(line);
      if (!m) throw new Error(`writer: ${line}`);
      return { epoch: Number(m[1]), version: Number(m[2]), ...(m[3] ? { id: Number(m[3]) } : {}) };
    },
    async stop() {
      proc.stdin.end();
      await proc.exited;
    },
  };
}

export type ApiProcess = { url: string; proc: Subprocess; out: string[]; err: () => Promise<string>; stop: (signal?: NodeJS.Signals) => Promise<number> };

/** `bun run lmdash api ...` as a researcher starts it; resolves once it prints its address. */
export async function spawnApi(args: string[], env: Record<string, string> = {}): Promise<ApiProcess> {
  const proc = Bun.spawn(['bun', 'scripts/lmdash.ts', 'api', ...args], { cwd: REPO_ROOT, stdout: 'pipe', stderr: 'pipe', env: { ...process.env, ...env } });
  const out = lines(proc);
  // Drained from the start: a full pipe would block the server.
  const stderr = new Response(proc.stderr).text();
  const err = () => stderr;
  const exitedEarly = proc.exited.then(async (code) => {
    throw new Error(`lmdash api exited (${code}) before listening: ${out.all.join('\n')}${await err()}`);
  });
  const line = await Promise.race([out.next(30_000), exitedEarly]);
  exitedEarly.catch(() => {});
  const m = /^listening on (http:\/\/\S+)$/.exec(line);
  if (!m) throw new Error(`unexpected first line: ${line}`);
  return {
    url: m[1]!,
    proc,
    out: out.all,
    err,
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null) proc.kill(signal);
      return await proc.exited;
    },
  };
}

export type Frame = { event?: string; id?: string; data?: string; retry?: number; comment?: string };

/** A streaming SSE client over fetch: every frame as it arrives, and waits for the next that matches. */
export class SseClient {
  readonly frames: Frame[] = [];
  status = 0;
  private controller = new AbortController();
  private done: Promise<void>;
  private opened: Promise<void>;

  constructor(url: string, headers: Record<string, string> = {}) {
    let ready!: () => void;
    let failed!: (e: unknown) => void;
    this.opened = new Promise<void>((a, b) => ((ready = a), (failed = b)));
    this.done = (async () => {
      try {
        const res = await fetch(url, { headers, signal: this.controller.signal });
        this.status = res.status;
        ready();
        let buf = '';
        // One decoder for the whole body: a multi-byte character may straddle two chunks.
        const decoder = new TextDecoder();
        for await (const chunk of res.body as ReadableStream<Uint8Array>) {
          buf += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buf.indexOf('\n\n')) >= 0) {
            this.frames.push(parseFrame(buf.slice(0, end)));
            buf = buf.slice(end + 2);
          }
        }
      } catch (e) {
        failed(e);
      }
    })();
  }

  async ready(): Promise<void> {
    await this.opened;
  }

  /** The data frames (comments and bare `retry:` left out). */
  events(name?: string): Frame[] {
    return this.frames.filter((f) => f.event !== undefined && (name === undefined || f.event === name));
  }

  /** Waits for a frame after the first `from` frames matching `match`; returns it. */
  async next(match: (f: Frame) => boolean, timeoutMs = 15_000, from = 0): Promise<Frame> {
    return until(() => this.frames.slice(from).find(match), timeoutMs, 'an SSE frame');
  }

  close(): void {
    this.controller.abort();
  }

  async closed(): Promise<void> {
    await this.done;
  }
}

export function parseFrame(text: string): Frame {
  const f: Frame = {};
  for (const line of text.split('\n')) {
    if (line.startsWith(':')) f.comment = line.slice(1).trim();
    else if (line.startsWith('event: ')) f.event = line.slice(7);
    else if (line.startsWith('id: ')) f.id = line.slice(4);
    else if (line.startsWith('data: ')) f.data = (f.data === undefined ? '' : f.data + '\n') + line.slice(6);
    else if (line.startsWith('retry: ')) f.retry = Number(line.slice(7));
  }
  return f;
}

export const json = <T = any>(f: Frame): T => JSON.parse(f.data ?? 'null') as T;
