/** A roster entry's tracking status as the roster view shows it. */
import type { RosterEntry } from '../types.ts';

export type TrackStatus = 'untracked' | 'backfilling' | 'tracked';

/**
 * Tracked students show "backfilling…" until the API says the backfill is done and their card
 * has arrived on the stream.
 */
export function trackStatus(entry: Pick<RosterEntry, 'tracked' | 'backfilled'>, hasCard: boolean): TrackStatus {
  if (!entry.tracked) return 'untracked';
  return entry.backfilled && hasCard ? 'tracked' : 'backfilling';
}
