/**
 * The daemon against the simulator in one process, for tests and benchmarks: no port, a clock
 * the caller controls, a fresh SQLite file in a temporary folder.
 */
import { loadConfig, type RosterStudent, type SourceEvent } from '@lmdash/core';
import { createSimApp, type Sim } from '@lmdash/fixtures';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDaemon } from '../src/daemon.ts';
import type { FetchLike } from '../src/source/client.ts';
import type { OpenedDaemon } from '../src/daemon.ts';
import type { Tracking } from '../src/tick/context.ts';

export type Harness = { ctx: OpenedDaemon; sim: Sim; cleanup: () => void };

export function inProcessDaemon(o: {
  events: readonly SourceEvent[];
  now: () => number;
  roster?: readonly RosterStudent[];
  tracking?: Tracking;
  seed?: number;
  faults?: Parameters<typeof createSimApp>[0]['faults'];
  /**
   * Settings beyond the source URL (docs/config.md names). LMDASH_DISTANCE_WORKERS defaults to 0
   * here (distances on the tick), so a test that ticks a set number of times sees every student
   * written; pass it to run the pool (then `ctx.close()`, through `cleanup`, ends its threads).
   */
  env?: Record<string, string>;
  /** Wraps the simulator's fetch (to inject failures). */
  wrapFetch?: (f: FetchLike) => FetchLike;
  /** An existing database (a restart); the caller removes it. Default: a fresh file, removed by cleanup. */
  dbPath?: string;
}): Harness {
  const sim = createSimApp({ events: o.events, roster: o.roster, asIs: true, now: o.now, seed: o.seed ?? 1, faults: o.faults });
  const dir = o.dbPath === undefined ? mkdtempSync(join(tmpdir(), 'lmdash-daemon-')) : null;
  const fetch: FetchLike = async (url, init) => sim.app.request(url, init);
  const ctx = openDaemon({
    dbPath: o.dbPath ?? join(dir!, 'lmdash.sqlite'),
    config: loadConfig({ env: { LMDASH_SOURCE_URL: 'http://sim.test', LMDASH_DISTANCE_WORKERS: '0', ...o.env } }),
    tracking: o.tracking ?? { mode: 'all' },
    signal: new AbortController().signal,
    log: () => {},
    now: o.now,
    fetch: o.wrapFetch ? o.wrapFetch(fetch) : fetch,
    // Retries wait a macrotask, not the backoff: fast, and the caller's own timers still run.
    sleep: () => new Promise((r) => setTimeout(r, 0)),
  });
  return { ctx, sim, cleanup: () => (ctx.close(), dir !== null && rmSync(dir, { recursive: true, force: true })) };
}
