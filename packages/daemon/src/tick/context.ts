/** What every tick stage shares: the database, the source, the config and the workers. */
import type { Config, Db } from '@lmdash/core';
import type { Database } from 'bun:sqlite';
import type { SourceClient } from '../source/client.ts';
import type { Workers } from '../worker/workers.ts';

export type Tracking = { mode: 'all' } | { mode: 'list'; students: string[] } | { mode: 'table' };

export type TickContext = {
  db: Db;
  sqlite: Database;
  source: SourceClient;
  config: Config;
  workers: Workers;
  tracking: Tracking;
  log: (line: string) => void;
  now: () => number;
  signal: AbortSignal;
  /** State kept between ticks. */
  memory: { resetSeen: number | null; rosterAt: number; ticks: number; recomputeAll?: boolean };
};

/** How much a tick did, for the one log line it prints (only when something happened). */
export type TickReport = {
  ingested: number;
  backfilled: number;
  recomputed: number;
  alerts: number;
  version: number | null;
  ms: number;
  /** The drain reached the end of the source (the mirror is current as of this tick). */
  caughtUp: boolean;
};
