/**
 * Server-sent events, written by hand rather than with hono's `streamSSE`: a frame is encoded
 * once and the same bytes are enqueued on every client's stream (fan-out to hundreds of tabs
 * without re-serialising), and a client that stops reading is noticed by its queue size and
 * dropped (it reconnects with Last-Event-ID and catches up) instead of buffering without bound.
 * What a new stream replays (stored producer events) is written with `write`, which waits for
 * the client to drain, while the live frames that arrive meanwhile are held and follow it: so a
 * stream is never dropped for the size of what is stored, only for not reading live frames.
 */
import type { StreamEventName } from '@lmdash/core/wire';

/** What the browser waits before reconnecting (the `retry:` line). */
export const RETRY_MS = 2000;
/** A client more than this many bytes behind is disconnected. */
export const MAX_QUEUED_BYTES = 32 * 1024 * 1024;

const encoder = new TextEncoder();

/**
 * One frame: `event`, then `id` when given, then the JSON on one `data:` line (JSON.stringify
 * never emits a raw newline). Ids are `<epoch>:<version>`, never containing CR/LF.
 */
export function frame(event: StreamEventName, data: unknown, id?: string): Uint8Array {
  return encoder.encode(`event: ${event}\n${id === undefined ? '' : `id: ${id}\n`}data: ${JSON.stringify(data)}\n\n`);
}

/**
 * A `publish` frame from the stored JSON of the event, spliced in as it is: stored events are
 * serialised once, when they are published, never again per stream.
 */
export function publishFrame(seq: number, receivedAt: number, body: string): Uint8Array {
  return encoder.encode(`event: publish\ndata: {"seq":${seq},"receivedAt":${receivedAt},"event":${body}}\n\n`);
}

export const PING = encoder.encode(': ping\n\n');
export const retryLine = (ms: number): Uint8Array => encoder.encode(`retry: ${ms}\n\n`);
export const eventId = (epoch: number, version: number): string => `${epoch}:${version}`;

/** `Last-Event-ID` back into its parts; null for anything else. */
export function parseEventId(id: string | null | undefined): { epoch: number; version: number } | null {
  const m = /^(\d{1,15}):(\d{1,15})$/.exec(id?.trim() ?? '');
  return m ? { epoch: Number(m[1]), version: Number(m[2]) } : null;
}

export type SseClient = {
  readonly id: number;
  /** Queues a live frame (held while `hold` is on); false when the client is gone or was just dropped for being too slow. */
  send(bytes: Uint8Array): boolean;
  /** Queues a frame of a replay and resolves once the client has read enough to take more; false when it is gone. */
  write(bytes: Uint8Array): Promise<boolean>;
  /** From now on live frames wait (in order) until `release`, e.g. while a replay is written. */
  hold(): void;
  /** Sends the held frames and stops holding. */
  release(): void;
  close(): void;
  readonly closed: boolean;
};

export const SSE_HEADERS: Record<string, string> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // Proxies (nginx) must not buffer the stream.
  'x-accel-buffering': 'no',
};

let nextId = 1;

/** A streaming Response and the client handle that writes into it. `onClose` runs once, however it ends. */
export function openSse(onClose: (client: SseClient) => void): { response: Response; client: SseClient } {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  let closed = false;
  let held: Uint8Array[] | null = null;
  let heldBytes = 0;
  let drained: (() => void)[] = [];
  const wake = () => {
    const waiting = drained;
    drained = [];
    for (const w of waiting) w();
  };
  const finish = () => {
    if (closed) return;
    closed = true;
    held = null;
    wake();
    onClose(client);
  };
  const body = new ReadableStream<Uint8Array>(
    {
      start: (c) => void (controller = c),
      // The reader took frames and wants more: a waiting replay goes on.
      pull: wake,
      // Bun calls cancel when the browser goes away (since Bun 1.1.27).
      cancel: finish,
    },
    new ByteLengthQueuingStrategy({ highWaterMark: 64 * 1024 }),
  );
  const enqueue = (bytes: Uint8Array): boolean => {
    try {
      controller.enqueue(bytes);
    } catch {
      finish();
      return false;
    }
    return true;
  };
  const behind = () => heldBytes - (controller.desiredSize ?? 0);
  const client: SseClient = {
    id: nextId++,
    get closed() {
      return closed;
    },
    send(bytes) {
      if (closed) return false;
      if (held) {
        held.push(bytes);
        heldBytes += bytes.byteLength;
      } else if (!enqueue(bytes)) return false;
      if (behind() > MAX_QUEUED_BYTES) {
        client.close();
        return false;
      }
      return true;
    },
    async write(bytes) {
      if (closed || !enqueue(bytes)) return false;
      while (!closed && (controller.desiredSize ?? 0) <= 0) await new Promise<void>((r) => drained.push(r));
      return !closed;
    },
    hold() {
      held ??= [];
    },
    release() {
      const frames = held;
      held = null;
      heldBytes = 0;
      for (const f of frames ?? []) if (!client.send(f)) return;
    },
    close() {
      if (closed) return;
      try {
        controller.close();
      } catch {
        // already errored or closed by the runtime
      }
      finish();
    },
  };
  const response = new Response(body, { headers: SSE_HEADERS });
  return { response, client };
}
