/**
 * The storage port (`port.ts`), its rows (`rows.ts`), the SQLite adapter (`sqlite/`), the
 * PostgreSQL adapter (`postgres/`) and `openStorage`, which picks one by the target.
 * @module
 */
export { sqliteStorage } from './sqlite/index.ts';
export { openStorage, parseStorageTarget } from './open.ts';
export type { OpenedStorage, StorageEngine } from './open.ts';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_STATEMENT_TIMEOUT_MS,
  MIGRATION_LOCK_KEY,
  PostgresError,
  VERSION_CHANNEL,
  WRITER_LOCK_KEY,
  isBusyError,
  openPgConnection,
  openPostgresStorage,
  postgresStorage,
  redactUrl,
} from './postgres/index.ts';
export type { OpenedPostgresStorage, PgConnection, PostgresOptions, VersionNotice } from './postgres/index.ts';
export { DEFAULT_TEST_POSTGRES_URL, createScratchPostgres, emptyPostgresStore, postgresTestsOff } from './postgres/scratch.ts';
export type { ScratchPostgres } from './postgres/scratch.ts';
export { POSTGRES_MIGRATIONS_FOLDER } from '../db/postgres/migrate.ts';
export type * from './port.ts';
export type {
  AlertKind,
  AlertRecord,
  AlertStatus,
  CardRecord,
  CursorPosition,
  CursorRecord,
  DirectoryRecord,
  DistanceRecord,
  EpisodeRecord,
  EpisodeSpan,
  LogEvent,
  LogRecord,
  MetaRecord,
  ProgramSummaryRecord,
  PublishedRecord,
  ProjectedCard,
  ProjectedEpisode,
  ProjectedRun,
  RunRecord,
  StoredAlert,
  StoredCard,
  StoredEvent,
  SweepCard,
  WireRunRecord,
} from './rows.ts';
