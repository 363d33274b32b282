/**
 * The connected streams of this process. Frames are broadcast as ready-made bytes; a comment
 * ping every PING_MS keeps proxies and browsers from thinking a quiet stream died.
 */
import { PING, type SseClient } from './sse.ts';

export const PING_MS = 5000;

/** Runs `fn` every `ms` until the returned function is called. A test passes its own clock. */
export type Repeat = (fn: () => void, ms: number) => () => void;

/** A timer that does not keep the process alive by itself. */
export const repeatTimer: Repeat = (fn, ms) => {
  const timer = setInterval(fn, ms);
  timer.unref?.();
  return () => clearInterval(timer);
};

export class Hub {
  readonly clients = new Set<SseClient>();
  private stopPing: (() => void) | null = null;

  constructor(
    private readonly pingMs = PING_MS,
    private readonly repeat: Repeat = repeatTimer,
  ) {}

  get size(): number {
    return this.clients.size;
  }

  add(client: SseClient): void {
    this.clients.add(client);
    this.stopPing ??= this.repeat(() => this.broadcast(PING), this.pingMs);
  }

  remove(client: SseClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0 && this.stopPing) {
      this.stopPing();
      this.stopPing = null;
    }
  }

  /** Sends to every client; returns how many received it. */
  broadcast(bytes: Uint8Array): number {
    let delivered = 0;
    for (const c of [...this.clients]) if (c.send(bytes)) delivered++;
    return delivered;
  }

  /** Ends every stream (shutdown). */
  closeAll(): void {
    for (const c of [...this.clients]) c.close();
    this.clients.clear();
    this.stopPing?.();
    this.stopPing = null;
  }
}
