/**
 * Assembles a daemon: opens the database, connects the source (health recorded in `meta`),
 * and returns the tick context for `runLoop`. The CLI and the tests both start here.
 */
import { openDatabase, openStorage, type Config, type Db, type Storage } from '@lmdash/core';
import { defaultStrategyModel, fromHmmlearn, isFeatureModel, validateStrategyModel, type StrategyModel } from '@lmdash/inference';
import type { Database } from 'bun:sqlite';
import { readFileSync } from 'node:fs';
import { SourceClient, type FetchLike } from './source/client.ts';
import type { TickContext, Tracking } from './tick/context.ts';
import { Workers } from './worker/workers.ts';
import { DistancePool } from './distance/pool.ts';
import { DistanceResolver } from './distance/resolver.ts';
import { DurableDistances } from './distance/durable.ts';
import { DurableSummaries } from './durable/programSummaries.ts';
import { programLimits, projectionIdentity, projectionOptions } from './projection/options.ts';

export type DaemonOptions = {
  dbPath: string;
  config: Config;
  tracking: Tracking;
  signal: AbortSignal;
  log?: (line: string) => void;
  now?: () => number;
  fetch?: FetchLike;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * Whether a student whose pending pairs' exact bounds decide every state is written at once
   * with those distances null, then again with them (default true); false: such a student waits,
   * unwritten, for the exact distances (the behaviour before; tests compare the two).
   */
  provisional?: boolean;
};

/**
 * Loads `LMDASH_MODEL`: a strategy FeatureModel (`lmdash model fit`), a bucket-only model
 * (`fitBaumWelch`) or an hmmlearn export (both decoded on the change buckets alone). A bad file
 * stops the daemon at start.
 */
export function loadModel(path: string | undefined): StrategyModel {
  if (!path) return defaultStrategyModel;
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const model = 'startprob_' in json ? fromHmmlearn(json as never) : json;
  validateStrategyModel(model);
  return model;
}

/**
 * A short, stable identity of a model (recorded in `meta.model_hash`): a hash of its
 * probabilities (and features, and `decode` when posterior), prefixed with its name when it has one (`name@hash`).
 */
export function modelHash(model: StrategyModel): string {
  const text = JSON.stringify(
    isFeatureModel(model)
      ? // How states are picked changes the decoding too; absent (Viterbi), the hash is as it always was.
        [model.startProb, model.transProb, model.features.map((f) => [f.name, f.emitProb]), ...(model.decode === 'posterior' ? ['posterior'] : [])]
      : [model.startProb, model.transProb, model.emitProb],
  );
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  const hash = (h >>> 0).toString(16).padStart(8, '0');
  return isFeatureModel(model) && model.name ? `${model.name}@${hash}` : hash;
}

/** LMDASH_DISTANCE_WORKERS, or one thread per core when unset. */
export function distanceThreads(config: Config): number {
  return config.distanceWorkers ?? navigator.hardwareConcurrency ?? 1;
}

/**
 * Where missing distances come from: the durable cache, the bounds, and a pool of
 * `distanceThreads(config)` threads (none: APTED on the spot). `close()` ends the threads.
 */
export function distanceResolver(store: Storage, config: Config, log: (line: string) => void): DistanceResolver {
  const threads = distanceThreads(config);
  const pool = threads > 0 ? new DistancePool({ size: threads, log }) : null;
  return new DistanceResolver(new DurableDistances(store.distances, config.distanceCacheRows, log), pool, log);
}

/** The durable program summaries, under LMDASH_PROGRAM_SUMMARY_ROWS and the program bounds. */
export function programSummaries(store: Storage, config: Config, log: (line: string) => void): DurableSummaries {
  return new DurableSummaries(store.summaries, config.programSummaryRows, programLimits(config), log);
}

/** A daemon ready to tick on any storage engine: the tick context and `close`. */
export type StartedDaemon = TickContext & { close: () => void };
/**
 * A daemon on a SQLite file: also the opened file under it (`db`, `sqlite`: for tests and tools
 * that inspect it; the daemon itself goes through `storage`).
 */
export type OpenedDaemon = StartedDaemon & { db: Db; sqlite: Database };

/** Opens the SQLite file at `o.dbPath` and a daemon on it. */
export function openDaemon(o: DaemonOptions): OpenedDaemon {
  const opened = openDatabase(o.dbPath);
  return { ...startDaemon(opened.storage, opened.close, o), db: opened.db, sqlite: opened.sqlite };
}

/**
 * Opens the store `target` names (a SQLite path, or a `postgres://` URL) and a daemon on it.
 * @example const ctx = openDaemonOn(config.databaseUrl ?? 'data/lmdash.sqlite', { config, tracking, signal });
 */
export function openDaemonOn(target: string, o: Omit<DaemonOptions, 'dbPath'>): StartedDaemon & { where: string } {
  const opened = openStorage(target);
  return { ...startDaemon(opened.storage, opened.close, o), where: opened.where };
}

function startDaemon(storage: Storage, closeStorage: () => void, o: Omit<DaemonOptions, 'dbPath'>): StartedDaemon {
  const now = o.now ?? Date.now;
  const log = o.log ?? ((line: string) => console.log(line));
  let model: StrategyModel;
  try {
    if (!o.config.sourceUrl) throw new Error('no source: set LMDASH_SOURCE_URL or pass --source URL');
    model = loadModel(o.config.model);
    storage.status.setModelHash(projectionIdentity(modelHash(model), programLimits(o.config)));
  } catch (e) {
    closeStorage();
    throw e;
  }
  const source = new SourceClient({
    baseUrl: o.config.sourceUrl!,
    user: o.config.sourceUser,
    password: o.config.sourcePassword,
    token: o.config.sourceToken,
    pageSize: o.config.pageSize,
    maxBodyBytes: o.config.sourceMaxPageBytes,
    fetch: o.fetch,
    sleep: o.sleep,
    log,
    // The client logs the transition itself; here it is recorded for the API and the dashboard.
    onHealth: (t) => {
      storage.status.recordHealth({ status: t.status, at: now(), lastError: t.status === 'unhealthy' ? t.lastError : null });
    },
  });
  const distances = distanceResolver(storage, o.config, log);
  // Provisional rows (states decided from exact bounds, distances to come) only with a pool: on the tick every distance is exact at once.
  const workers = new Workers(storage, projectionOptions(o.config, model), {
    distances,
    programCacheBytes: o.config.programCacheMb * 1024 * 1024,
    provisional: o.provisional ?? true,
    summaries: programSummaries(storage, o.config, log),
  });
  return {
    storage, source, config: o.config, workers, distances, tracking: o.tracking, log, now, signal: o.signal,
    memory: { resetSeen: null, rosterAt: 0, ticks: 0, waiting: new Map(), provisional: new Set() },
    // The threads first: a pair in flight is simply computed again after a restart.
    close: () => {
      distances.close();
      closeStorage();
    },
  };
}
