/**
 * The daemon against the simulator in one process, for tests and benchmarks: no port, a clock
 * the caller controls, a fresh SQLite file in a temporary folder (or a store the caller gives).
 */
import { loadConfig, type RosterStudent, type SourceEvent } from '@lmdash/core';
import { createSimApp, type Sim } from '@lmdash/fixtures';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDaemon, openDaemonOn, type DaemonOptions, type OpenedDaemon, type StartedDaemon } from '../src/daemon.ts';
import type { FetchLike } from '../src/source/client.ts';
import type { Tracking } from '../src/tick/context.ts';

export type Harness<C extends StartedDaemon = OpenedDaemon> = { ctx: C; sim: Sim; cleanup: () => void };

type HarnessOptions = {
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
  /** Provisional rows (`DaemonOptions.provisional`, default true). */
  provisional?: boolean;
};

/** The daemon on a SQLite file. */
export function inProcessDaemon(o: HarnessOptions & {
  /** An existing database (a restart); the caller removes it. Default: a fresh file, removed by cleanup. */
  dbPath?: string;
}): Harness {
  const dir = o.dbPath === undefined ? mkdtempSync(join(tmpdir(), 'lmdash-daemon-')) : null;
  const h = harness(o, (options) => openDaemon({ dbPath: o.dbPath ?? join(dir!, 'lmdash.sqlite'), ...options }));
  return { ...h, cleanup: () => (h.cleanup(), dir !== null && rmSync(dir, { recursive: true, force: true })) };
}

/** The daemon on any store (`target`: a SQLite path or a `postgres://` URL; the caller owns it). */
export function inProcessDaemonOn(target: string, o: HarnessOptions): Harness<StartedDaemon> {
  return harness(o, (options) => openDaemonOn(target, options));
}

function harness<C extends StartedDaemon>(o: HarnessOptions, open: (options: Omit<DaemonOptions, 'dbPath'>) => C): Harness<C> {
  const sim = createSimApp({ events: o.events, roster: o.roster, asIs: true, now: o.now, seed: o.seed ?? 1, faults: o.faults });
  const fetch: FetchLike = async (url, init) => sim.app.request(url, init);
  const ctx = open({
    config: loadConfig({ env: { LMDASH_SOURCE_URL: 'http://sim.test', LMDASH_DISTANCE_WORKERS: '0', ...o.env } }),
    tracking: o.tracking ?? { mode: 'all' },
    signal: new AbortController().signal,
    log: () => {},
    now: o.now,
    fetch: o.wrapFetch ? o.wrapFetch(fetch) : fetch,
    // Retries wait a macrotask, not the backoff: fast, and the caller's own timers still run.
    sleep: () => new Promise((r) => setTimeout(r, 0)),
    provisional: o.provisional,
  });
  return { ctx, sim, cleanup: () => ctx.close() };
}
