/**
 * Assembles a daemon: opens the database, connects the source (health recorded in `meta`),
 * and returns the tick context for `runLoop`. The CLI and the tests both start here.
 */
import { openDatabase, tables, type Config } from '@lmdash/core';
import { defaultModel, fromHmmlearn, validateModel, type HmmModel } from '@lmdash/inference';
import { eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import { SourceClient, type FetchLike } from './source/client.ts';
import type { TickContext, Tracking } from './tick/context.ts';
import { Workers } from './worker/workers.ts';

export type DaemonOptions = {
  dbPath: string;
  config: Config;
  tracking: Tracking;
  signal: AbortSignal;
  log?: (line: string) => void;
  now?: () => number;
  fetch?: FetchLike;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
};

/** Loads `LMDASH_MODEL` (a fitBaumWelch model or an hmmlearn export); a bad file stops the daemon at start. */
export function loadModel(path: string | undefined): HmmModel {
  if (!path) return defaultModel;
  const json = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  if ('startprob_' in json) return fromHmmlearn(json as never);
  validateModel(json);
  return json;
}

/** A short, stable identity of a model (recorded in `meta.model_hash`). */
export function modelHash(model: HmmModel): string {
  const text = JSON.stringify([model.startProb, model.transProb, model.emitProb]);
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

export function openDaemon(o: DaemonOptions): TickContext & { close: () => void } {
  const { db, sqlite, close } = openDatabase(o.dbPath);
  const now = o.now ?? Date.now;
  const log = o.log ?? ((line: string) => console.log(line));
  if (!o.config.sourceUrl) throw new Error('no source: set LMDASH_SOURCE_URL or pass --source URL');
  const model = loadModel(o.config.model);
  db.update(tables.meta).set({ modelHash: modelHash(model) }).where(eq(tables.meta.id, 1)).run();
  const source = new SourceClient({
    baseUrl: o.config.sourceUrl,
    user: o.config.sourceUser,
    password: o.config.sourcePassword,
    token: o.config.sourceToken,
    pageSize: o.config.pageSize,
    fetch: o.fetch,
    sleep: o.sleep,
    log,
    // The client logs the transition itself; here it is recorded for the API and the dashboard.
    onHealth: (t) => {
      db.update(tables.meta)
        .set({ health: t.status, healthChangedAt: now(), lastError: t.status === 'unhealthy' ? t.lastError : null })
        .where(eq(tables.meta.id, 1))
        .run();
    },
  });
  const workers = new Workers(db, { model, episodeGapMs: o.config.episodeGap * 1000 });
  return {
    db, sqlite, source, config: o.config, workers, tracking: o.tracking, log, now, signal: o.signal,
    memory: { resetSeen: null, rosterAt: 0, ticks: 0 },
    close,
  };
}
