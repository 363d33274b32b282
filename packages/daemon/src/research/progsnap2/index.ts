/**
 * ProgSnap2 data sets out of the mirror and back in: the export (pseudonymous by default), the
 * checker and the import for replay. docs/research-data.md.
 * @module
 */
export { MAIN_COLUMNS, X_COLUMN_DOCS, X_EVENT_TYPE_DOCS } from './columns.ts';
export { checkProgsnap2 } from './check.ts';
export type { CheckResult } from './check.ts';
export { exportProgsnap2 } from './exportStore.ts';
export type { ExportOptions, ExportProgress, ExportResult } from './exportStore.ts';
export { importProgsnap2 } from './importLog.ts';
export type { ImportOptions, ImportResult, ImportSummary } from './importLog.ts';
export { exportSecret, pseudonym, realIdsRefusal } from './pseudonyms.ts';
