/**
 * @lmdash/core: the shared kernel of LM Dashboard (wire schemas, config). Pure: no I/O.
 * @module
 */
export * from './wire/source.ts';
export { ConfigError, SETTINGS, isLoopbackHost, loadConfig, redactConfig, renderConfigDocs } from './config/config.ts';
export type { Config, ConfigSources } from './config/config.ts';
