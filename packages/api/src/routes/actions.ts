/** The researcher's writes besides acks: `POST /api/track`, `/api/untrack`, `/api/reset`. */
import { ResetBody, TrackBody } from '@lmdash/core/wire';
import { Hono, type MiddlewareHandler } from 'hono';
import type { ApiDeps } from '../context.ts';
import { jsonBody, validate } from '../errors.ts';
import { track, untrack } from '../writes/tracking.ts';

export function actionsRoutes(d: ApiDeps, guard: MiddlewareHandler): Hono {
  const app = new Hono();
  app.post('/track', guard, async (c) => {
    const body = validate(TrackBody, await jsonBody(c), 'body');
    const r = track(d.storage, body.studentIds, d.now());
    d.watcher.poll();
    return c.json(r);
  });
  app.post('/untrack', guard, async (c) => {
    const body = validate(TrackBody, await jsonBody(c), 'body');
    const r = untrack(d.storage, body.studentIds);
    d.watcher.poll();
    return c.json(r);
  });
  app.post('/reset', guard, async (c) => {
    validate(ResetBody, await jsonBody(c), 'body (a reset wipes every mirrored event and alert: send {"confirm":"RESET"})');
    const r = d.storage.actions.reset(d.now());
    d.log(`api: reset by request: epoch ${r.epoch}`);
    d.watcher.poll();
    return c.json(r);
  });
  return app;
}
