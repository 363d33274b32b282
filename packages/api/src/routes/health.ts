/** `GET /api/health`: the daemon's health as read from `meta` (see queries/health.ts). */
import { Hono } from 'hono';
import type { ApiDeps } from '../context.ts';
import { readHealth } from '../queries/health.ts';

export function healthRoutes(d: ApiDeps): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json(readHealth(d.sqlite, d.now())));
  return app;
}
