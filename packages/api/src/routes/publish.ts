/**
 * `POST /publish` (also `/api/publish`): a program on this machine puts an event on every open
 * dashboard. Loopback peers only (by the socket, not a header). The body is bounded before it is
 * parsed (`input/producerBody.ts`: bytes, depth, keys and items, UTF-8 and surrogates); known
 * types are checked against their schema, others passed through. Stored for later streams, then
 * broadcast; answers `{ delivered }`, the number of live streams that received it.
 */
import { parsePublishEvent } from '@lmdash/core/wire';
import { Hono, type MiddlewareHandler } from 'hono';
import type { ApiDeps } from '../context.ts';
import { badRequest } from '../errors.ts';
import { producerJson, type ProducerLimits } from '../input/producerBody.ts';
import { loopbackOnly } from '../security.ts';
import { keepLimits, storePublished } from '../writes/publish.ts';

/** Metric labels for producer-chosen types: sanitised, and at most this many distinct ones. */
export const MAX_TYPE_LABELS = 32;

export function countPublished(stats: ApiDeps['stats'], type: string): void {
  let label = type.replace(/[^A-Za-z0-9_.:-]/g, '_').slice(0, 64);
  if (!stats.publishedByType.has(label) && stats.publishedByType.size >= MAX_TYPE_LABELS) label = 'other';
  stats.publishedByType.set(label, (stats.publishedByType.get(label) ?? 0) + 1);
}

export const producerLimits = (c: ApiDeps['config']): ProducerLimits => ({ maxBytes: c.publishMaxBytes, maxDepth: c.publishMaxDepth, maxKeys: c.publishMaxKeys });

export function publishRoutes(d: ApiDeps, sameOrigin: MiddlewareHandler): Hono {
  const app = new Hono();
  const limits = producerLimits(d.config);
  const keep = keepLimits(d.config);
  app.post('/', loopbackOnly(d.config.apiHost), sameOrigin, async (c) => {
    const parsed = parsePublishEvent(await producerJson(c.req.raw, limits));
    if (!parsed.ok) throw badRequest(parsed.error);
    const stored = storePublished(d.storage, parsed.event, d.now(), keep);
    countPublished(d.stats, parsed.event.type);
    // Through the watcher: after any stored meanwhile by another API process on the same database.
    const delivered = d.watcher.publishLive(stored);
    return c.json({ delivered });
  });
  return app;
}
