/**
 * The config as every command loads it: the environment over `lmdash.config.json` in the
 * working folder (if there is one). The one place that reads that file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfig, type Config } from './config.ts';

export const CONFIG_FILE = 'lmdash.config.json';

export function loadConfigFromDisk(env: Record<string, string | undefined> = process.env, dir = process.cwd()): Config {
  const path = resolve(dir, CONFIG_FILE);
  const file = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>) : {};
  return loadConfig({ env, file });
}
