/**
 * The daemon's health as readers see it: `meta` (written by the daemon) and the cursor. The
 * daemon writes a heartbeat after every tick; none for HEARTBEAT_STALE_MS means it is probably
 * not running, whatever `meta.health` last said.
 */
import type { Storage } from '@lmdash/core';
import type { Health } from '@lmdash/core/wire';

/** A heartbeat older than this is stale (the daemon sleeps at most PIPELINE_IDLE_MAX between ticks). */
export const HEARTBEAT_STALE_MS = 30_000;

export const heartbeatStale = (heartbeatAt: number | null, now: number): boolean => heartbeatAt === null || now - heartbeatAt > HEARTBEAT_STALE_MS;

/** Seconds since the drain last reached the end of the source; null before it ever did. */
export const sourceLagSeconds = (caughtUpAt: number | null, now: number): number | null => (caughtUpAt === null ? null : Math.max(0, now - caughtUpAt) / 1000);

export function readHealth(store: Storage, now: number): Health {
  const m = store.status.meta();
  return {
    daemon: m.health,
    healthChangedAt: m.healthChangedAt,
    lastError: m.lastError,
    heartbeatAt: m.heartbeatAt,
    heartbeatStale: heartbeatStale(m.heartbeatAt, now),
    cursorAt: store.status.cursorAt(),
    sourceLagSeconds: sourceLagSeconds(m.caughtUpAt, now),
    modelHash: m.modelHash,
    epoch: m.epoch,
    version: m.version,
    now,
  };
}

/** What makes a health frame worth sending: everything but the clock-driven fields. */
export const healthKey = (h: Health): string => JSON.stringify([h.daemon, h.healthChangedAt, h.lastError, h.heartbeatStale, h.modelHash, h.epoch]);
