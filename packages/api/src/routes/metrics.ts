/**
 * `GET /metrics`: Prometheus text format 0.0.4. Everything is read from the SQLite file at
 * scrape time, except the stream and publish counters of this process. No student ids as
 * labels: the only labels are alert kinds and (sanitised, capped) producer event types.
 */
import { TriggerKind } from '@lmdash/core/wire';
import { Hono } from 'hono';
import type { ApiDeps } from '../context.ts';
import { heartbeatStale, sourceLagSeconds } from '../queries/health.ts';
import { NOTICE_STATES } from '../stream/notices.ts';

type Sample = { labels?: Record<string, string>; value: number };
type Family = { name: string; help: string; type: 'gauge' | 'counter'; samples: Sample[] };

const escapeLabel = (v: string): string => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
const formatValue = (v: number): string => (Number.isNaN(v) ? 'NaN' : v === Infinity ? '+Inf' : v === -Infinity ? '-Inf' : String(v));

export function renderMetrics(families: readonly Family[]): string {
  const lines: string[] = [];
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${f.name} ${f.type}`);
    for (const s of f.samples) {
      const labels = s.labels && Object.keys(s.labels).length > 0 ? `{${Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}` : '';
      lines.push(`${f.name}${labels} ${formatValue(s.value)}`);
    }
  }
  return lines.join('\n') + '\n';
}

export function collectMetrics(d: ApiDeps): Family[] {
  const now = d.now();
  const m = d.storage.status.meta();
  const { eventsIngested, openAlerts: open, tracked } = d.storage.status.counters();
  const stale = heartbeatStale(m.heartbeatAt, now);
  const lag = sourceLagSeconds(m.caughtUpAt, now);
  const notices = d.watcher.notices;
  const noticeState = notices.state();
  const noticeStats = notices.stats();
  return [
    { name: 'lmdash_events_ingested_total', type: 'counter', help: 'Source events mirrored into vex_log (its highest id).', samples: [{ value: eventsIngested }] },
    { name: 'lmdash_tick_duration_seconds', type: 'gauge', help: "Duration of the daemon's last tick.", samples: m.lastTickMs === null ? [] : [{ value: m.lastTickMs / 1000 }] },
    { name: 'lmdash_ticks_total', type: 'counter', help: 'Ticks run since the daemon started.', samples: [{ value: m.tickCount }] },
    { name: 'lmdash_daemon_healthy', type: 'gauge', help: 'The daemon reports the source healthy and its heartbeat is fresh (1) or not (0).', samples: [{ value: m.health === 'healthy' && !stale ? 1 : 0 }] },
    { name: 'lmdash_daemon_unhealthy', type: 'gauge', help: 'The daemon reports the source unhealthy (1) or not (0).', samples: [{ value: m.health === 'unhealthy' ? 1 : 0 }] },
    { name: 'lmdash_daemon_heartbeat_stale', type: 'gauge', help: "No daemon heartbeat for more than 30 s (1) or a fresh one (0).", samples: [{ value: stale ? 1 : 0 }] },
    { name: 'lmdash_source_lag_seconds', type: 'gauge', help: 'Seconds since the drain last reached the end of the source.', samples: lag === null ? [] : [{ value: lag }] },
    { name: 'lmdash_open_triggers', type: 'gauge', help: 'Open alerts by kind.', samples: TriggerKind.options.map((kind) => ({ labels: { kind }, value: open.get(kind) ?? 0 })) },
    { name: 'lmdash_tracked_students', type: 'gauge', help: 'Students on the tracked allowlist.', samples: [{ value: tracked }] },
    { name: 'lmdash_stream_clients', type: 'gauge', help: 'Connected dashboard streams (GET /api/stream) of this API process.', samples: [{ value: d.hub.size }] },
    {
      name: 'lmdash_api_version_notices',
      type: 'gauge',
      help: "What wakes this API process's stream watcher (1 for the current state): listening (PostgreSQL notices, meta.version also read every second), polling (the notice channel is down: meta.version read every 50 ms), none (SQLite: read every 50 ms).",
      samples: NOTICE_STATES.map((state) => ({ labels: { state }, value: state === noticeState ? 1 : 0 })),
    },
    { name: 'lmdash_api_version_notices_total', type: 'counter', help: 'Version notices received by this API process (PostgreSQL).', samples: [{ value: noticeStats.notices }] },
    { name: 'lmdash_api_version_notice_drops_total', type: 'counter', help: 'Times the notice channel of this API process dropped or a reconnection attempt failed (PostgreSQL).', samples: [{ value: noticeStats.drops }] },
    {
      name: 'lmdash_published_events_total',
      type: 'counter',
      help: 'Events accepted by POST /publish since this API process started, by type (sanitised; rare types as "other").',
      samples: [...d.stats.publishedByType].sort(([a], [b]) => a.localeCompare(b)).map(([type, value]) => ({ labels: { type }, value })),
    },
  ];
}

export function metricsRoutes(d: ApiDeps): Hono {
  const app = new Hono();
  app.get('/', (c) => c.body(renderMetrics(collectMetrics(d)), 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }));
  return app;
}
