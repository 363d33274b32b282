/**
 * The daemon's health as readers see it: `meta` (written by the daemon) and the cursor. The
 * daemon writes a heartbeat after every tick; none for HEARTBEAT_STALE_MS means it is probably
 * not running, whatever `meta.health` last said.
 */
import type { Health } from '@lmdash/core/wire';
import type { Database } from 'bun:sqlite';

/** A heartbeat older than this is stale (the daemon sleeps at most PIPELINE_IDLE_MAX between ticks). */
export const HEARTBEAT_STALE_MS = 30_000;

export type MetaRow = {
  version: number;
  epoch: number;
  health: Health['daemon'];
  healthChangedAt: number | null;
  lastError: string | null;
  heartbeatAt: number | null;
  tickCount: number;
  lastTickMs: number | null;
  caughtUpAt: number | null;
  modelHash: string | null;
};

export function readMeta(sqlite: Database): MetaRow {
  return sqlite
    .query(
      `SELECT version, epoch, health, health_changed_at AS healthChangedAt, last_error AS lastError, heartbeat_at AS heartbeatAt,
        tick_count AS tickCount, last_tick_ms AS lastTickMs, caught_up_at AS caughtUpAt, model_hash AS modelHash FROM meta WHERE id = 1`,
    )
    .get() as MetaRow;
}

/** The change counter and the reset epoch: what the stream's watcher polls. */
export function readVersion(sqlite: Database): { version: number; epoch: number } {
  return sqlite.query('SELECT version, epoch FROM meta WHERE id = 1').get() as { version: number; epoch: number };
}

export const heartbeatStale = (heartbeatAt: number | null, now: number): boolean => heartbeatAt === null || now - heartbeatAt > HEARTBEAT_STALE_MS;

/** Seconds since the drain last reached the end of the source; null before it ever did. */
export const sourceLagSeconds = (caughtUpAt: number | null, now: number): number | null => (caughtUpAt === null ? null : Math.max(0, now - caughtUpAt) / 1000);

export function readHealth(sqlite: Database, now: number): Health {
  const m = readMeta(sqlite);
  const cursor = sqlite.query('SELECT last_event_time AS t FROM cursor WHERE id = 1').get() as { t: number | null } | null;
  return {
    daemon: m.health,
    healthChangedAt: m.healthChangedAt,
    lastError: m.lastError,
    heartbeatAt: m.heartbeatAt,
    heartbeatStale: heartbeatStale(m.heartbeatAt, now),
    cursorAt: cursor?.t ?? null,
    sourceLagSeconds: sourceLagSeconds(m.caughtUpAt, now),
    modelHash: m.modelHash,
    epoch: m.epoch,
    version: m.version,
    now,
  };
}

/** What makes a health frame worth sending: everything but the clock-driven fields. */
export const healthKey = (h: Health): string => JSON.stringify([h.daemon, h.healthChangedAt, h.lastError, h.heartbeatStale, h.modelHash, h.epoch]);
