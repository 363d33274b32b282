/**
 * Binds the API to a socket. `idleTimeout: 0` because Bun's default (10 s) would cut a quiet
 * event stream between pings on a slow machine; streams end when their client goes away.
 * Refuses a non-loopback address without LMDASH_API_TOKEN.
 */
import { isLoopbackHost } from '@lmdash/core';
import type { Server } from 'bun';
import { createApiApp, type ApiApp, type ApiOptions } from './app.ts';

/** The address the issue names as the default. */
export const DEFAULT_HOST = '127.0.0.1';

export class ApiStartError extends Error {
  override readonly name = 'ApiStartError';
}

export type ServeOptions = ApiOptions & {
  /** Default: config.apiHost (127.0.0.1). */
  host?: string;
  /** Default: config.apiPort (8447); 0 picks a free port. */
  port?: number;
};

export type ApiServer = {
  /** e.g. `http://127.0.0.1:8447` (no trailing slash). */
  url: string;
  host: string;
  port: number;
  api: ApiApp;
  server: Server<undefined>;
  /** Ends the streams, stops listening, closes the database if it was opened here. */
  stop(): Promise<void>;
};

/** `host:port` as a URL authority (IPv6 in brackets). */
export const authority = (host: string, port: number): string => `${host.includes(':') ? `[${host}]` : host}:${port}`;

/**
 * @example
 * const s = serveApi({ db: 'data/lmdash.sqlite', config: loadConfig({ env: process.env }), port: 0 });
 * console.log(`listening on ${s.url}`);
 */
export function serveApi(o: ServeOptions): ApiServer {
  const host = o.host ?? o.config.apiHost ?? DEFAULT_HOST;
  const config = { ...o.config, apiHost: host };
  if (!isLoopbackHost(host) && !config.apiToken) {
    throw new ApiStartError(`refusing to listen on ${host} without LMDASH_API_TOKEN: beyond loopback every read and write needs a login or the bearer token (set LMDASH_API_TOKEN to 16+ random characters, or bind 127.0.0.1)`);
  }
  const api = createApiApp({ ...o, config });
  let server: Server<undefined>;
  try {
    server = Bun.serve({ hostname: host, port: o.port ?? config.apiPort, idleTimeout: 0, fetch: (req, srv) => api.app.fetch(req, srv) });
  } catch (e) {
    api.close();
    throw e;
  }
  const port = server.port ?? 0;
  return {
    url: `http://${authority(host, port)}`,
    host,
    port,
    api,
    server,
    async stop() {
      api.deps.hub.closeAll();
      await server.stop(true);
      api.close();
      // The notices' connection (PostgreSQL) is closed once this resolves.
      await api.deps.watcher.notices.stop();
    },
  };
}
