/**
 * @lmdash/core: the shared kernel of LM Dashboard: wire schemas, the SQLite schema and its
 * opening, config, the Publisher. `@lmdash/core/wire` is the part without database or files.
 * @module
 */
export * from './wire/source.ts';
export { ConfigError, SETTINGS, isLoopbackHost, loadConfig, redactConfig, renderConfigDocs } from './config/config.ts';
export type { Config, ConfigSources } from './config/config.ts';
export * as tables from './db/schema.ts';
export { sourceEventKey } from './db/schema.ts';
export { BUSY_TIMEOUT_MS, JOURNAL_SIZE_LIMIT, MIGRATIONS_FOLDER, checkpoint, openDatabase } from './db/open.ts';
export type { Db, OpenedDatabase } from './db/open.ts';
export { resetLocalData } from './db/reset.ts';
export {
  DEFAULT_TEST_POSTGRES_URL,
  POSTGRES_MIGRATIONS_FOLDER,
  PostgresError,
  VERSION_CHANNEL,
  createScratchPostgres,
  emptyPostgresStore,
  openPgConnection,
  openPostgresStorage,
  openStorage,
  parseStorageTarget,
  postgresStorage,
  postgresTestsOff,
  redactUrl,
  sqliteStorage,
} from './storage/index.ts';
export * as postgresTables from './db/postgres/schema.ts';
export type * from './storage/index.ts';
export { CONFIG_FILE, loadConfigFromDisk } from './config/file.ts';
export { SQLITE_FILE, databaseTarget, isPostgresTarget } from './config/database.ts';
export { onStopSignal, untilStopSignal } from './cli/stopSignal.ts';
export { COPY_USAGE, MIGRATE_USAGE, runCopy, runMigrate } from './cli/storageCommands.ts';
export { CopyRefused, copyStore } from './storage/copy/copyStore.ts';
export type { CopyProgress, CopyResult } from './storage/copy/copyStore.ts';
export * from './wire/dashboard.ts';
export * from './wire/issues.ts';
export * from './wire/publish.ts';
export * from './wire/stream.ts';
export { DEFAULT_PUBLISH_TIMEOUT_MS, DEFAULT_PUBLISH_URL, PublishError, Publisher } from './publisher/publisher.ts';
export type { FetchFn, PublishFailure, PublishResult, PublisherOptions } from './publisher/publisher.ts';
