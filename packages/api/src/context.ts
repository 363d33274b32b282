/** What every route shares: the storage port, the clock, the config, the streams and their watcher. */
import type { Config, Storage } from '@lmdash/core';
import type { SessionRule } from './queries/cards.ts';
import type { Hub } from './stream/hub.ts';
import type { Watcher } from './stream/watcher.ts';

export type ApiDeps = {
  storage: Storage;
  config: Config;
  now: () => number;
  log: (line: string) => void;
  hub: Hub;
  watcher: Watcher;
  rule: SessionRule;
  /** Counters kept since this API process started (for /metrics). */
  stats: { publishedByType: Map<string, number> };
};
