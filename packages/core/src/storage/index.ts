/**
 * The storage port (`port.ts`), its rows (`rows.ts`) and the SQLite adapter (`sqlite/`).
 * @module
 */
export { sqliteStorage } from './sqlite/index.ts';
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
