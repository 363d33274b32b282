/**
 * `POST /publish` (also `/api/publish`): a program on this machine puts an event on every open
 * dashboard. Loopback peers only (by the socket, not a header), at most PUBLISH_MAX_BYTES, known
 * types checked against their schema, others passed through. Stored for later snapshots, then
 * broadcast; answers `{ delivered }`, the number of streams that received it.
 */
import { parsePublishEvent } from '@lmdash/core/wire';
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { ApiDeps } from '../context.ts';
import { ApiError, badRequest, jsonBody } from '../errors.ts';
import { loopbackOnly } from '../security.ts';
import { frame } from '../stream/sse.ts';
import { storePublished } from '../writes/publish.ts';

export const PUBLISH_MAX_BYTES = 256 * 1024;

/** Metric labels for producer-chosen types: sanitised, and at most this many distinct ones. */
export const MAX_TYPE_LABELS = 32;

export function countPublished(stats: ApiDeps['stats'], type: string): void {
  let label = type.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 64);
  if (!stats.publishedByType.has(label) && stats.publishedByType.size >= MAX_TYPE_LABELS) label = 'other';
  stats.publishedByType.set(label, (stats.publishedByType.get(label) ?? 0) + 1);
}

export function publishRoutes(d: ApiDeps, sameOrigin: MiddlewareHandler): Hono {
  const app = new Hono();
  app.post(
    '/',
    loopbackOnly(),
    sameOrigin,
    bodyLimit({
      maxSize: PUBLISH_MAX_BYTES,
      onError: () => {
        throw new ApiError(413, `body too large (at most ${PUBLISH_MAX_BYTES} bytes)`);
      },
    }),
    async (c) => {
      const parsed = parsePublishEvent(await jsonBody(c));
      if (!parsed.ok) throw badRequest(parsed.error);
      const stored = storePublished(d.sqlite, parsed.event, d.now());
      countPublished(d.stats, parsed.event.type);
      const delivered = d.hub.broadcast(frame('publish', stored));
      return c.json({ delivered });
    },
  );
  return app;
}
