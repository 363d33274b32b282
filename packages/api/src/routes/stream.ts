/**
 * `GET /api/stream`: one server-sent event stream per browser tab. On connect: `retry:`, then a
 * snapshot — or, with a `Last-Event-ID` of the current epoch that the watcher can follow, only
 * the delta since that version and a health frame. Then the stored producer events, written in
 * pieces as the client drains them (live frames wait behind them), then the live tail from the
 * watcher and /publish, and a ping comment every few seconds.
 *
 * HEAD answers the headers and opens nothing (Hono runs GET handlers for HEAD and drops the
 * body, which would leave a client registered with no one reading it). A client is removed as
 * soon as its request is aborted or its body cancelled.
 */
import { Hono } from 'hono';
import type { ApiDeps } from '../context.ts';
import { readHealth } from '../queries/health.ts';
import { buildSnapshot } from '../queries/snapshot.ts';
import { replayPublished } from '../stream/replay.ts';
import { RETRY_MS, SSE_HEADERS, eventId, frame, openSse, parseEventId, retryLine } from '../stream/sse.ts';

export function streamRoutes(d: ApiDeps): Hono {
  const app = new Hono();
  app.get('/', (c) => {
    if (c.req.method === 'HEAD') return new Response(null, { headers: SSE_HEADERS });
    // EventSource sends the header on reconnects; `?lastEventId=` lets a fresh page resume too.
    const resume = parseEventId(c.req.header('last-event-id') ?? c.req.query('lastEventId'));
    const { response, client } = openSse((gone) => d.hub.remove(gone));
    const signal = c.req.raw.signal;
    if (signal.aborted) client.close();
    else signal.addEventListener('abort', () => client.close(), { once: true });
    client.send(retryLine(RETRY_MS));
    const upTo = d.watcher.sync((at) => {
      const plan = resume && resume.epoch === at.epoch ? d.watcher.catchUp(resume.version) : ({ kind: 'snapshot' } as const);
      if (plan.kind === 'snapshot') {
        const s = buildSnapshot(d.storage, d.now(), d.rule);
        client.send(frame('snapshot', s, eventId(s.epoch, s.version)));
      } else {
        if (plan.kind === 'delta') client.send(frame('delta', plan.delta, eventId(at.epoch, at.version)));
        client.send(frame('health', readHealth(d.storage, d.now())));
      }
      // Registered in the same read transaction: no delta missed or doubled. Live frames (and
      // publishes newer than `upTo`) wait until the stored events are written.
      client.hold();
      if (!client.closed) d.hub.add(client);
      return d.storage.published.lastSeq();
    });
    // Published events carry no version: a resuming tab gets the stored ones again (by seq, idempotent).
    replayPublished(d.storage, client, upTo).then(
      () => client.release(),
      (e: unknown) => {
        d.log(`stream: replay of published events failed: ${e instanceof Error ? e.message : String(e)}`);
        client.close();
      },
    );
    return response;
  });
  return app;
}
