/**
 * `GET /api/health`: the daemon's health as read from `meta` (see queries/health.ts), plus
 * `simulated: true` when the API was started on a simulated source (`lmdash api --simulated`,
 * as `lmdash start` does without LMDASH_SOURCE_URL): the dashboard then says so in a banner;
 * and what wakes this process's stream (`versionNotices`: PostgreSQL notices listening or down, or
 * none on SQLite).
 */
import { Hono } from 'hono';
import type { ApiDeps } from '../context.ts';
import { readHealth } from '../queries/health.ts';

export function healthRoutes(d: ApiDeps, o: { simulated?: boolean } = {}): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json({ ...readHealth(d.storage, d.now()), ...(o.simulated ? { simulated: true } : {}), versionNotices: d.watcher.notices.state() }));
  return app;
}
