/**
 * The wire formats alone (no database code): what the dashboard and producers import.
 * @module
 */
export * from './dashboard.ts';
export * from './issues.ts';
export * from './publish.ts';
export * from './stream.ts';
