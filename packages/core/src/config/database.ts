/**
 * Which store a command opens: `--db` when given (a SQLite path, `sqlite:PATH`, or a
 * `postgres://` URL), else LMDASH_DATABASE_URL, else the SQLite file in LMDASH_DATA_DIR. One rule
 * for every command.
 */
import { resolve } from 'node:path';
import { parseStorageTarget } from '../storage/open.ts';
import type { Config } from './config.ts';

/** The SQLite file's name in LMDASH_DATA_DIR. */
export const SQLITE_FILE = 'lmdash.sqlite';

/** Whether `target` names a PostgreSQL database rather than a SQLite file. */
export const isPostgresTarget = (target: string): boolean => parseStorageTarget(target).engine === 'postgres';

/** @example databaseTarget(config, args.db) // 'postgres://…' or '/abs/data/lmdash.sqlite' */
export function databaseTarget(config: Pick<Config, 'databaseUrl' | 'dataDir'>, explicit?: string): string {
  if (explicit) {
    const { engine, location } = parseStorageTarget(explicit);
    return engine === 'postgres' ? location : resolve(location);
  }
  return config.databaseUrl ?? resolve(config.dataDir, SQLITE_FILE);
}
