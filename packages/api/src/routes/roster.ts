/** `GET /api/roster?q=&limit=`: search the mirrored directory by name or id. */
import { Hono } from 'hono';
import { z } from 'zod';
import type { ApiDeps } from '../context.ts';
import { validate } from '../errors.ts';

export const RosterQuery = z.object({
  q: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(1000).default(50),
});

export function rosterRoutes(d: ApiDeps): Hono {
  const app = new Hono();
  app.get('/', (c) => {
    const q = validate(RosterQuery, c.req.query(), 'query');
    return c.json(d.storage.roster.search(q.q.trim(), q.limit));
  });
  return app;
}
