/**
 * @lmdash/daemon: the write side of LM Dashboard.
 * @module
 */
export { DAEMON_USAGE, DUMP_USAGE, REBUILD_USAGE, runDaemon, runDump, runRebuild } from './cli/commands.ts';
export { dumpProjection } from './rebuild/dumpProjection.ts';
export { rebuildProjection } from './rebuild/rebuildProjection.ts';
export { MODEL_USAGE, runModel } from './cli/model.ts';
export { EXPORT_USAGE, runExport } from './cli/export.ts';
export { IMPORT_USAGE, runImport } from './cli/import.ts';
export { checkProgsnap2, exportProgsnap2, exportSecret, importProgsnap2, pseudonym, realIdsRefusal } from './research/progsnap2/index.ts';
export type { CheckResult as Progsnap2Check, ExportOptions, ExportResult, ImportResult, ImportSummary } from './research/progsnap2/index.ts';
export type { ModelIo } from './cli/model.ts';
export { loadModel, modelHash, openDaemon } from './daemon.ts';
export type { OpenedDaemon } from './daemon.ts';
export { projectStudent } from './projection/projectStudent.ts';
export type { EpisodeRow, LogEvent, RunRow, StudentCard, StudentProjection } from './projection/projectStudent.ts';
export { runLoop } from './tick/loop.ts';
export { tick } from './tick/tick.ts';
export { evaluateTriggers } from './triggers/rules.ts';
export * from './source/index.ts';
