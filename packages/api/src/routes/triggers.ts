/** `GET /api/triggers?status=&limit=` (newest first) and `POST /api/triggers/:id/ack`. */
import { AckBody, TriggerStatus } from '@lmdash/core/wire';
import { Hono, type MiddlewareHandler } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from '../context.ts';
import { jsonBody, validate } from '../errors.ts';
import { triggersByStatus } from '../queries/rows.ts';
import { ackTrigger } from '../writes/ack.ts';

export const TriggersQuery = z.object({
  status: TriggerStatus.optional(),
  limit: z.coerce.number().int().min(1).max(5000).default(500),
});
const TriggerId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

export function triggersRoutes(d: ApiDeps, guard: MiddlewareHandler): Hono {
  const app = new Hono();
  app.get('/', (c) => {
    const q = validate(TriggersQuery, c.req.query(), 'query');
    return c.json(triggersByStatus(d.storage, q.status ?? null, q.limit));
  });
  app.post('/:id/ack', guard, async (c) => {
    const id = validate(TriggerId, c.req.param('id'), 'trigger id');
    const body = validate(AckBody, await jsonBody(c), 'body');
    const row = ackTrigger(d.storage, id, body.note, d.now());
    d.watcher.poll();
    return c.json(row);
  });
  return app;
}
