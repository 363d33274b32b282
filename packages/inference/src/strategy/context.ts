/**
 * O(E) for E events.
 *
 * What the log says around each run beyond its program: how the run ended (the `stopProject`
 * that followed it) and whether the editor was closed and reopened since the previous run. Only
 * the source contract's event types are read (docs/source-api.md); any other type is ignored,
 * as the contract requires of inference.
 */
import type { StrategyRun } from './computeStrategyStates.ts';

/** The context of one run, from the events around it. */
export type RunContext = {
  /**
   * How the run ended: the `reason` of the first `stopProject` after it and before the next run
   * (`'error'`, `'user'`, `'completed'`, or whatever the source sent); `'none'` when the next run
   * or the end of the session came first; null (or absent) while that is not known yet.
   */
  stop?: string | null;
  /** True when a session ended or began (`sessionEnd`, `sessionStart`) since the previous run. */
  newSession?: boolean;
};

/** A log event as `runsFromEvents` reads it: the daemon's (`ts`) or the source API's (`timestamp`). */
export type ContextEvent = {
  type: string;
  /** Epoch milliseconds or an ISO-8601 string (`timestamp` when absent). */
  ts?: number | string;
  timestamp?: number | string;
  /** The event's `data` (`project`, `workspace` for runs, `reason` for stops). */
  data?: unknown;
};

const field = (d: unknown, key: string): string | null => {
  const v = d && typeof d === 'object' ? (d as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : null;
};

/**
 * A student's runs, with their context, from their events in log order (oldest first), ready
 * for `computeStrategyStates`. `keyOf` gives each run's cache key (e.g. its source event id).
 * @example computeStrategyStates(runsFromEvents(events, (e) => String(e.id)))
 */
export function runsFromEvents<E extends ContextEvent>(events: readonly E[], keyOf?: (e: E) => string): StrategyRun[] {
  const runs: StrategyRun[] = [];
  let newSession = false;
  let open: RunContext | null = null; // the context of the last run, while its stop is unknown
  for (const e of events) {
    switch (e.type) {
      case 'runProject': {
        if (open && open.stop === null) open.stop = 'none';
        const context: RunContext = { stop: null, newSession: newSession && runs.length > 0 };
        const run: StrategyRun = { timestamp: e.ts ?? e.timestamp ?? NaN, project: field(e.data, 'workspace') ?? '', projectName: field(e.data, 'project'), context };
        if (keyOf) run.key = keyOf(e);
        runs.push(run);
        open = context;
        newSession = false;
        break;
      }
      case 'stopProject':
        if (open && open.stop === null) open.stop = field(e.data, 'reason') ?? 'user';
        break;
      case 'sessionStart':
      case 'sessionEnd':
        if (open && open.stop === null) open.stop = 'none';
        newSession = true;
        break;
      default:
        break;
    }
  }
  return runs;
}
