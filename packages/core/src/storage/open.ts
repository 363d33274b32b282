/**
 * Opens the store a target names: a PostgreSQL URL (`postgres://…`, `postgresql://…`) or a
 * SQLite file (a path, or `sqlite:PATH`). What the daemon, the API and the command line call
 * with their `--db`.
 */
import { openDatabase } from '../db/open.ts';
import type { Storage } from './port.ts';
import { openPostgresStorage } from './postgres/index.ts';
import type { PostgresOptions } from './postgres/connection.ts';

export type StorageEngine = 'sqlite' | 'postgres';
/** `where`: the SQLite path, or the URL with its password redacted (safe to log). */
export type OpenedStorage = { storage: Storage; close: () => void; engine: StorageEngine; where: string };

/** Which engine a target names, and what to open it with (the path without `sqlite:`). */
export function parseStorageTarget(target: string): { engine: StorageEngine; location: string } {
  if (/^postgres(ql)?:\/\//i.test(target)) return { engine: 'postgres', location: target };
  if (target.startsWith('sqlite:')) return { engine: 'sqlite', location: target.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') };
  return { engine: 'sqlite', location: target };
}

/**
 * Opens and migrates the store at `target`.
 * @example const { storage, close, where } = openStorage(process.env.LMDASH_DB ?? 'data/lmdash.sqlite');
 */
export function openStorage(target: string, options: { postgres?: PostgresOptions } = {}): OpenedStorage {
  const { engine, location } = parseStorageTarget(target);
  if (location === '') throw new Error(`no storage target in ${JSON.stringify(target)}: give a SQLite path or a postgres:// URL`);
  if (engine === 'postgres') {
    const o = openPostgresStorage(location, options.postgres);
    return { storage: o.storage, close: o.close, engine, where: o.where };
  }
  const o = openDatabase(location);
  return { storage: o.storage, close: o.close, engine, where: location };
}
