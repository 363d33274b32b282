/**
 * A typed client of the API's `POST /publish`, for notebooks, models and scripts on the machine
 * that runs LM Dashboard. It uses nothing but `fetch` (no Bun, Node or Deno API, no imports at
 * run time), so this one file runs under all three, also as plain JavaScript once its types are
 * stripped. See docs/producers.md.
 */
import type { PublishEvent } from '../wire/publish.ts';

/** Where `lmdash api` listens by default. */
export const DEFAULT_PUBLISH_URL = 'http://127.0.0.1:8447';
/** A publish that takes longer than this fails (the API answers in milliseconds). */
export const DEFAULT_PUBLISH_TIMEOUT_MS = 5000;

export type PublishResult = { delivered: number };
export type PublishFailure = { error: string; status: number | null };

/** The API refused the event (`status`: 400 bad shape, 403 not loopback, 413 too big) or could not be reached (`status` null). */
export class PublishError extends Error {
  override readonly name = 'PublishError';
  constructor(
    readonly status: number | null,
    readonly reason: string,
  ) {
    super(status === null ? `publish failed: ${reason}` : `publish failed (${status}): ${reason}`);
  }
}

/** The part of `fetch` the client uses. */
export type FetchFn = (url: string, init: RequestInit) => Promise<Response>;

export type PublisherOptions = {
  timeoutMs?: number;
  /** Another fetch (tests, proxies); default the global one. */
  fetch?: FetchFn;
};

/**
 * @example
 * const pub = new Publisher(); // http://127.0.0.1:8447
 * await pub.publish({ type: 'metric', name: 'val_loss', value: 0.31 }); // { delivered: 2 }
 * await pub.tryPublish({ type: 'note', text: 'epoch 3 done', level: 'info' }); // never throws
 */
export class Publisher {
  /** The endpoint events are POSTed to. */
  readonly endpoint: string;
  private readonly timeoutMs: number;
  private readonly fetchFn: FetchFn;

  /** `url`: the API's base URL (or its `/publish` endpoint itself). */
  constructor(url: string = DEFAULT_PUBLISH_URL, options: PublisherOptions = {}) {
    const base = url.replace(/\/+$/, '');
    this.endpoint = /\/publish$/.test(base) ? base : `${base}/publish`;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PUBLISH_TIMEOUT_MS;
    this.fetchFn = options.fetch ?? ((url, init) => fetch(url, init));
  }

  /** Sends one event; resolves to how many open dashboards received it, or throws a PublishError. */
  async publish(event: PublishEvent): Promise<PublishResult> {
    let res: Response;
    try {
      res = await this.fetchFn(this.endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(event),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (e) {
      throw new PublishError(null, e instanceof Error ? e.message : String(e));
    }
    const text = await res.text().catch(() => '');
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: reported below as it is
    }
    if (!res.ok) {
      const reason = body !== null && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string' ? (body as { error: string }).error : text.slice(0, 200) || res.statusText;
      throw new PublishError(res.status, reason);
    }
    const delivered = body !== null && typeof body === 'object' ? (body as { delivered?: unknown }).delivered : undefined;
    if (typeof delivered !== 'number') throw new PublishError(res.status, `unexpected answer: ${text.slice(0, 200)}`);
    return { delivered };
  }

  /** Like `publish`, but never throws (nor rejects): a failure comes back as `{ error, status }`. */
  async tryPublish(event: PublishEvent): Promise<PublishResult | PublishFailure> {
    try {
      return await this.publish(event);
    } catch (e) {
      if (e instanceof PublishError) return { error: e.reason, status: e.status };
      return { error: e instanceof Error ? e.message : String(e), status: null };
    }
  }
}
