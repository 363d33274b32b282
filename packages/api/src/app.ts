/**
 * The API as a Hono app over the storage port (one SQLite connection): REST reads, the researcher's writes, the
 * event stream and its watcher, `/publish`, `/metrics`, `/api/schema` and the built dashboard.
 * No port here (`serveApi` binds one), so tests drive it with `app.request()`.
 */
import { openStorage, type Config, type OpenedDatabase, type OpenedStorage } from '@lmdash/core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { every } from 'hono/combine';
import { createAuth } from './auth/auth.ts';
import { sessionGuard, writeAuth } from './auth/guard.ts';
import { authRoutes } from './auth/routes.ts';
import type { ApiDeps } from './context.ts';
import { ApiError, errorHandler } from './errors.ts';
import { actionsRoutes } from './routes/actions.ts';
import { serveDoc } from './routes/docs.ts';
import { healthRoutes } from './routes/health.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { publishRoutes } from './routes/publish.ts';
import { rosterRoutes } from './routes/roster.ts';
import { schemaRoutes } from './routes/schema.ts';
import { streamRoutes } from './routes/stream.ts';
import { studentsRoutes } from './routes/students.ts';
import { triggersRoutes } from './routes/triggers.ts';
import { methodGuard } from './methods.ts';
import { loopbackHostGuard, requireToken, sameOriginWrites } from './security.ts';
import { DEFAULT_WEB_ROOT, serveWeb } from './static.ts';
import { Hub, type Repeat } from './stream/hub.ts';
import { noNotices, versionNoticesFor, type VersionNotices } from './stream/notices.ts';
import { Watcher } from './stream/watcher.ts';

/** The researcher's writes are small (a track of 5,000 ids is about 100 KiB). */
export const WRITE_MAX_BYTES = 1024 * 1024;

export type ApiOptions = {
  /**
   * A storage target — the SQLite file's path or a `postgres://` URL (opened and migrated here,
   * closed by `close`) — or an opened store (left open).
   */
  db: string | OpenedDatabase | OpenedStorage;
  /** What wakes the stream's watcher besides its poll; default: LISTEN when `db` is a `postgres://` URL, else none. */
  notices?: VersionNotices;
  config: Config;
  now?: () => number;
  /** The built dashboard; default `packages/web/dist`; null: none. */
  webRoot?: string | null;
  log?: (line: string) => void;
  /** The watcher's poll interval, ms (default POLL_MS). */
  pollMs?: number;
  /** The stream's ping interval, ms (default PING_MS). */
  pingMs?: number;
  /** What schedules the pings (default: a timer); a test passes a clock it moves. */
  pingRepeat?: Repeat;
  /**
   * The daemon mirrors a simulated classroom (`lmdash start` without LMDASH_SOURCE_URL passes
   * `--simulated`): `/api/health` says `simulated: true` and the dashboard shows a banner.
   */
  simulated?: boolean;
};

export type ApiApp = {
  app: Hono;
  deps: ApiDeps;
  /** Ends every stream, stops the watcher, closes the database if it was opened here. */
  close(): void;
};

/**
 * @example
 * const api = createApiApp({ db: 'data/lmdash.sqlite', config: loadConfig({ env: process.env }) });
 * const res = await api.app.request('/api/students');
 */
export function createApiApp(o: ApiOptions): ApiApp {
  const opened = typeof o.db === 'string' ? openStorage(o.db) : o.db;
  const now = o.now ?? Date.now;
  const log = o.log ?? ((line: string) => console.error(line));
  const rule = { sessionGapMs: o.config.sessionGapSeconds * 1000 };
  const hub = new Hub(o.pingMs, o.pingRepeat);
  const notices = o.notices ?? (typeof o.db === 'string' ? versionNoticesFor(o.db, log) : noNotices());
  const watcher = new Watcher({ storage: opened.storage, hub, now, rule, log, pollMs: o.pollMs, notices });
  const deps: ApiDeps = { storage: opened.storage, config: o.config, now, log, hub, watcher, rule, stats: { publishedByType: new Map() } };

  // Beyond loopback every route but health and the login needs a session or the bearer token (auth/).
  const auth = createAuth({ config: o.config, now, log });
  const sameOrigin = sameOriginWrites(o.config.apiHost);
  const writeGuard = every(
    writeAuth(auth, requireToken(o.config.apiToken)),
    sameOrigin,
    bodyLimit({
      maxSize: WRITE_MAX_BYTES,
      onError: () => {
        throw new ApiError(413, `body too large (at most ${WRITE_MAX_BYTES} bytes)`);
      },
    }),
  );
  const app = new Hono();
  app.onError(errorHandler(log, opened.storage.isBusy));
  app.use(loopbackHostGuard(o.config.apiHost));
  app.use(sessionGuard(auth, app));
  app.route('/api', authRoutes(auth, sameOrigin, writeGuard));
  app.route('/api/students', studentsRoutes(deps));
  app.route('/api/triggers', triggersRoutes(deps, writeGuard));
  app.route('/api/roster', rosterRoutes(deps));
  app.route('/api/health', healthRoutes(deps, { simulated: o.simulated }));
  app.route('/api/stream', streamRoutes(deps));
  app.route('/api/schema', schemaRoutes());
  app.route('/api', actionsRoutes(deps, writeGuard));
  const publish = publishRoutes(deps, sameOrigin);
  app.route('/publish', publish);
  app.route('/api/publish', publish);
  app.route('/metrics', metricsRoutes(deps));
  app.get('/docs/:file', serveDoc);
  app.use(methodGuard(app));
  app.use(serveWeb(o.webRoot === undefined ? DEFAULT_WEB_ROOT : o.webRoot));
  app.notFound((c) => c.json({ error: `not found: ${c.req.method} ${new URL(c.req.url).pathname}` }, 404));

  watcher.start();
  return {
    app,
    deps,
    close() {
      hub.closeAll();
      void watcher.stop();
      if (typeof o.db === 'string') opened.close();
    },
  };
}

