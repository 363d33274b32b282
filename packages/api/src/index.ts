/**
 * @lmdash/api: the read side of LM Dashboard (REST, the event stream, /publish, /metrics).
 * @module
 */
export { createApiApp } from './app.ts';
export type { ApiApp, ApiOptions } from './app.ts';
export { ApiStartError, DEFAULT_HOST, serveApi } from './server.ts';
export type { ApiServer, ServeOptions } from './server.ts';
export { API_USAGE, runApi } from './cli.ts';
export { ApiError } from './errors.ts';
export { HEARTBEAT_STALE_MS } from './queries/health.ts';
export { POLL_MS } from './stream/watcher.ts';
export { PING_MS } from './stream/hub.ts';
export { producerLimits } from './routes/publish.ts';
export { scanJson } from './input/jsonScan.ts';
export { RETRY_MS, parseEventId } from './stream/sse.ts';
