/**
 * The connected streams of this process. Frames are broadcast as ready-made bytes; a comment
 * ping every PING_MS keeps proxies and browsers from thinking a quiet stream died.
 */
import { PING, type SseClient } from './sse.ts';

export const PING_MS = 5000;

export class Hub {
  readonly clients = new Set<SseClient>();
  private ping: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly pingMs = PING_MS) {}

  get size(): number {
    return this.clients.size;
  }

  add(client: SseClient): void {
    this.clients.add(client);
    if (!this.ping) {
      this.ping = setInterval(() => this.broadcast(PING), this.pingMs);
      this.ping.unref?.();
    }
  }

  remove(client: SseClient): void {
    this.clients.delete(client);
    if (this.clients.size === 0 && this.ping) {
      clearInterval(this.ping);
      this.ping = null;
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
    if (this.ping) clearInterval(this.ping);
    this.ping = null;
  }
}
