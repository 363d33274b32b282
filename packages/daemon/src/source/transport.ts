/**
 * The timed transport: one HTTP exchange, body included, under the request timeout and the
 * caller's signal, reading at most `maxBodyBytes`. Every way it can fail becomes a SourceError
 * (`network`, `timeout`, `too-large`), except the caller's own abort, whose reason is rethrown.
 */
import { SourceError } from './errors.ts';

/** The part of `fetch` the client uses; the global `fetch` fits, and so does a wrapped `app.request`. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

/**
 * An answer read whole: what the rest of the client looks at. Whoever is done with a big one
 * empties `text` (`releaseText`): the value an awaited promise resolved to stays reachable after
 * the await (measured on Bun 1.4: a 20 MB text awaited and dropped was still held after a full
 * collection), so a catch-up's last page of text (MBs) lived on until the next page.
 */
export type Answer = { status: number; headers: Headers; text: string };

/** Empties an answer's text once it is parsed (see `Answer`). */
export function releaseText(answer: Answer): void {
  answer.text = '';
}

/** A body's text, in a holder emptied as soon as it is taken, for the same reason. */
type Body = { text: string };

export const DEFAULT_REQUEST_TIMEOUT_MS = 20_000;
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

export type TransportOptions = {
  fetch?: FetchLike;
  /** Per request, until the last byte of the body. Default 20 s. */
  timeoutMs?: number;
  /** The most bytes one answer may hold (LMDASH_SOURCE_MAX_PAGE_BYTES). Default 64 MiB. */
  maxBodyBytes?: number;
};

export class Transport {
  readonly #fetch: FetchLike;
  readonly #timeoutMs: number;
  readonly #maxBodyBytes: number;

  constructor(options: TransportOptions = {}) {
    this.#fetch = options.fetch ?? ((url, init) => fetch(url, init));
    this.#timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.#maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  }

  /** One HTTP exchange, body included, under the request timeout and the caller's signal. */
  async exchange(url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Answer> {
    signal?.throwIfAborted();
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const both = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const res = await this.#fetch(url, { ...init, signal: both });
      // The body is read under the same signal: an answer that stalls midway is a timeout too.
      const body = await untilAborted(readCapped(res, this.#maxBodyBytes, url), both);
      const text = body.text;
      body.text = '';
      return { status: res.status, headers: res.headers, text };
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      if (e instanceof SourceError) throw e;
      if (timeout.aborted) throw new SourceError('timeout', `no complete answer within ${this.#timeoutMs} ms`, { url, cause: e });
      throw new SourceError('network', networkDetail(e), { url, cause: e });
    }
  }
}

function networkDetail(e: unknown): string {
  if (e instanceof Error) {
    const code = (e as { code?: unknown }).code;
    return `connection failed (${typeof code === 'string' ? `${code}: ` : ''}${e.message || e.name})`;
  }
  return 'connection closed before the answer was complete';
}

/**
 * The body as text, reading at most `maxBytes` bytes: a bigger answer is a `too-large`
 * SourceError, so no page of the source can hold the daemon's memory hostage.
 */
async function readCapped(res: Response, maxBytes: number, url: string): Promise<Body> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  const over = (bytes: string) => new SourceError('too-large', `answer of ${bytes} bytes is over the limit of ${maxBytes} bytes (LMDASH_SOURCE_MAX_PAGE_BYTES)`, { url, status: res.status });
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw over(String(declared));
  }
  if (!res.body) return { text: await res.text() };
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
  return { text: Buffer.concat(chunks, total).toString('utf8') };
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
