/** What every tick stage shares: the storage port, the source, the config and the workers. */
import type { Config, RosterTracking, Storage } from '@lmdash/core';
import type { SourceClient } from '../source/client.ts';
import type { DistanceResolver } from '../distance/resolver.ts';
import type { Workers } from '../worker/workers.ts';

/** Who a roster refresh tracks: `--track-all`, `--track A,B`, or the table as it is. */
export type Tracking = RosterTracking;

export type TickContext = {
  /** Every read and write of stored data goes through the port. */
  storage: Storage;
  source: SourceClient;
  config: Config;
  workers: Workers;
  /** Missing distances: the durable cache, the bounds, the pool of threads off the tick. */
  distances: DistanceResolver;
  tracking: Tracking;
  log: (line: string) => void;
  now: () => number;
  signal: AbortSignal;
  /** State kept between ticks. */
  memory: {
    resetSeen: number | null;
    rosterAt: number;
    ticks: number;
    recomputeAll?: boolean;
    /** Students not written because a pair of their programs is still being computed, with those pairs' keys. */
    waiting: Map<string, Set<string>>;
    /**
     * Students whose written rows are provisional (states decided from exact bounds, distances
     * still null): recomputed until their exact rows are written, even if untracked meanwhile.
     */
    provisional: Set<string>;
  };
};

/** How much a tick did, for the one log line it prints (only when something happened). */
export type TickReport = {
  ingested: number;
  backfilled: number;
  recomputed: number;
  /** Students left unwritten this tick, waiting for distances computed off the tick. */
  waiting: number;
  /** Students written provisionally this tick (states decided, some distances still to come). */
  provisional: string[];
  /** Pairs queued or being computed off the tick when the tick ended. */
  inFlight: number;
  alerts: number;
  version: number | null;
  ms: number;
  /** The drain reached the end of the source (the mirror is current as of this tick). */
  caughtUp: boolean;
};
