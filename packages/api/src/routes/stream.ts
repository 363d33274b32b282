/**
 * `GET /api/stream`: one server-sent event stream per browser tab. On connect: `retry:`, then a
 * snapshot — or, with a `Last-Event-ID` of the current epoch that the watcher can follow, only
 * the delta since that version, a health frame and the stored published events. Then the live
 * tail from the watcher and /publish, and a ping comment every few seconds.
 */
import { Hono } from 'hono';
import type { ApiDeps } from '../context.ts';
import { readHealth } from '../queries/health.ts';
import { storedPublished } from '../queries/published.ts';
import { buildSnapshot } from '../queries/snapshot.ts';
import { RETRY_MS, eventId, frame, openSse, parseEventId, retryLine } from '../stream/sse.ts';

export function streamRoutes(d: ApiDeps): Hono {
  const app = new Hono();
  app.get('/', (c) => {
    // EventSource sends the header on reconnects; `?lastEventId=` lets a fresh page resume too.
    const resume = parseEventId(c.req.header('last-event-id') ?? c.req.query('lastEventId'));
    const { response, client } = openSse((gone) => d.hub.remove(gone));
    client.send(retryLine(RETRY_MS));
    d.watcher.sync((at) => {
      const plan = resume && resume.epoch === at.epoch ? d.watcher.catchUp(resume.version) : ({ kind: 'snapshot' } as const);
      if (plan.kind === 'snapshot') {
        const s = buildSnapshot(d.sqlite, d.now(), d.rule);
        client.send(frame('snapshot', s, eventId(s.epoch, s.version)));
      } else {
        if (plan.kind === 'delta') client.send(frame('delta', plan.delta, eventId(at.epoch, at.version)));
        client.send(frame('health', readHealth(d.sqlite, d.now())));
        // Published events carry no version: a resuming tab gets the stored ones again (by seq, idempotent).
        for (const p of storedPublished(d.sqlite)) client.send(frame('publish', p));
      }
      if (!client.closed) d.hub.add(client);
    });
    c.req.raw.signal.addEventListener('abort', () => client.close(), { once: true });
    return response;
  });
  return app;
}
