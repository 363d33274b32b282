/**
 * Opens the LM Dashboard SQLite file the way every process must: WAL (the API reads while the
 * daemon writes), synchronous NORMAL (durable at checkpoints, fast commits), a busy timeout, an
 * 8 KiB page, a bounded WAL file, and the committed migrations applied. The one place that does
 * I/O in this package, shared so the daemon and the API cannot disagree on these settings.
 */
import { Database } from 'bun:sqlite';
import { drizzle, type BunSQLiteDatabase } from 'drizzle-orm/bun-sqlite';
import { migrate } from 'drizzle-orm/bun-sqlite/migrator';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import * as schema from './schema.ts';
import type { Storage } from '../storage/port.ts';
import { sqliteStorage } from '../storage/sqlite/index.ts';

/** The drizzle database; `$client` is the bun:sqlite connection under it (for prepared hot paths). */
export type Db = BunSQLiteDatabase<typeof schema> & { $client: Database };
/** `storage` is the storage port over this connection: what the daemon and the API use. */
export type OpenedDatabase = { sqlite: Database; db: Db; storage: Storage; close: () => void };

export const MIGRATIONS_FOLDER = resolve(import.meta.dir, '../../drizzle');
/** Busy timeout: how long a writer waits for another writer's lock before failing. */
export const BUSY_TIMEOUT_MS = 5000;
/** After a checkpoint the WAL file is truncated to at most this size. */
export const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

/**
 * Opens (creating the folder and file if needed) and migrates the database at `path`
 * (`:memory:` for tests).
 * @example const { db, close } = openDatabase('data/lmdash.sqlite');
 */
export function openDatabase(path: string): OpenedDatabase {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path, { create: true, strict: true });
  sqlite.run(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
  const db = drizzle(sqlite, { schema });
  setUpRacing(sqlite, db);
  // The single rows exist from the start, so readers never see them missing.
  sqlite.run('INSERT OR IGNORE INTO meta (id) VALUES (1)');
  sqlite.run('INSERT OR IGNORE INTO cursor (id, updated_at) VALUES (1, 0)');
  return { sqlite, db, storage: sqliteStorage(db), close: () => sqlite.close() };
}

/** How often opening retries a set-up that lost a race to another process. */
export const SETUP_ATTEMPTS = 10;

/** The file's settings and the migrations; safe to run again (every step is idempotent). */
function setUp(sqlite: Database, db: Db): void {
  // page_size only takes effect before the first table exists, so before the migrations.
  sqlite.run('PRAGMA page_size = 8192');
  sqlite.run('PRAGMA journal_mode = WAL');
  sqlite.run('PRAGMA synchronous = NORMAL');
  sqlite.run(`PRAGMA journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  sqlite.run('PRAGMA foreign_keys = ON');
  migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}

/**
 * Two processes opening one new file at the same moment (the daemon and the API under `bun run
 * start`) race: switching a new file to WAL can answer SQLITE_BUSY without waiting, and drizzle
 * reads which migrations are applied before its transaction begins, so the loser fails ("table
 * already exists") and rolls back. Trying again, it finds the winner's work and does nothing.
 */
function setUpRacing(sqlite: Database, db: Db): void {
  for (let attempt = 1; ; attempt++) {
    try {
      setUp(sqlite, db);
      return;
    } catch (e) {
      if (attempt >= SETUP_ATTEMPTS) throw e;
      Bun.sleepSync(20 * attempt + Math.floor(Math.random() * 20));
    }
  }
}

/**
 * Folds the WAL back into the database file. The daemon calls it periodically: with a reader
 * always holding a snapshot, automatic checkpoints can fall behind and the WAL grow without
 * bound. Returns SQLite's (busy, log frames, checkpointed frames).
 */
export function checkpoint(sqlite: Database, mode: 'PASSIVE' | 'TRUNCATE' = 'PASSIVE'): { busy: number; log: number; checkpointed: number } {
  const row = sqlite.query(`PRAGMA wal_checkpoint(${mode})`).get() as { busy: number; log: number; checkpointed: number };
  return row;
}
