/** The daemon's source client: token auth, validated pages, retry with backoff, health. */
export { SourceClient, DEFAULT_REQUEST_TIMEOUT_MS, abortableSleep, retryAfterSeconds } from './client.ts';
export type { CheckProblem, CheckResult, EventsPageQuery, FetchLike, Schema, SourceClientOptions } from './client.ts';
export { SourceError, redactUrl } from './errors.ts';
export type { SourceErrorInit, SourceErrorKind } from './errors.ts';
export { HealthTracker, UNHEALTHY_AFTER } from './health.ts';
export type { HealthStatus, HealthTransition } from './health.ts';
export { FAILURE_BASE_MS, FAILURE_MAX_MS, IDLE_MIN_MS, failureDelay, idleDelay } from './backoff.ts';
