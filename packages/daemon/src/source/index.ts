/** The daemon's source client: token auth, validated pages, retry with backoff, health. */
export { SourceClient } from './client.ts';
export type { SourceClientOptions } from './client.ts';
export { retryAfterSeconds } from './answer.ts';
export type { Schema } from './answer.ts';
export type { CheckProblem, CheckResult } from './check.ts';
export { DEFAULT_REQUEST_TIMEOUT_MS } from './transport.ts';
export type { FetchLike } from './transport.ts';
export type { EventsPageQuery } from './urls.ts';
export { abortableSleep } from './sleep.ts';
export { SourceError, redactUrl } from './errors.ts';
export type { SourceErrorInit, SourceErrorKind } from './errors.ts';
export { HealthTracker, UNHEALTHY_AFTER } from './health.ts';
export type { HealthStatus, HealthTransition } from './health.ts';
export { FAILURE_BASE_MS, FAILURE_MAX_MS, IDLE_MIN_MS, failureDelay, idleDelay } from './backoff.ts';
