/**
 * `segmentEpisodes` with APTED as the default distance. Kept apart from the engine so that
 * only this file (via `defaultDistance.ts`) depends on `../apted/index.ts`.
 */
import { defaultDistance } from './defaultDistance.ts';
import { segmentEpisodesWith } from './segment.ts';
import type { Episode, EpisodeEvent, SegmentOptions } from './types.ts';

/**
 * Cuts a student's event stream into episodes (see `EPISODES.md`). `netChange` uses
 * `opts.distance`, by default the exact APTED tree edit distance.
 * @example segmentEpisodes(events) // [{ index: 0, project: 'Drive Test', endReason: 'open', ... }]
 */
export function segmentEpisodes(events: readonly EpisodeEvent[], opts: SegmentOptions = {}): Episode[] {
  return segmentEpisodesWith(events, { gapMs: opts.gapMs, distance: opts.distance ?? defaultDistance });
}
