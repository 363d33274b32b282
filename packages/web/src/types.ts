/**
 * The wire types the dashboard reads, from the contract in `@lmdash/core/wire`. Types only:
 * importing values from there would pull zod into the bundle, so the few constants the UI needs
 * are repeated here (and checked against the contract's types).
 */
import type { StrategyState } from '@lmdash/core/wire';

export type {
  DeltaEvent,
  EpisodeRow,
  Health,
  PublishedEvent,
  ResetEvent,
  RosterEntry,
  RunRow,
  SnapshotEvent,
  StrategyState,
  StudentCard,
  StudentDetail,
  TriggerKind,
  TriggerRow,
  TriggerStatus,
} from '@lmdash/core/wire';

/** Mirrors `STATE_NAMES` of the contract: index = `StrategyState`. */
export const STATE_NAMES = ['iterator', 'explorer', 'stuck'] as const;
export type StateName = (typeof STATE_NAMES)[number];

/** The name of a state, or 'none' for a student without one yet. */
export function stateName(state: StrategyState | null | undefined): StateName | 'none' {
  return state === 0 || state === 1 || state === 2 ? STATE_NAMES[state] : 'none';
}
