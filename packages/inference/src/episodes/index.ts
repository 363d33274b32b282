export { segmentEpisodes } from './segmentEpisodes.ts';
export { DEFAULT_GAP_MS, KNOWN_EVENT_TYPES, segmentEpisodesWith } from './segment.ts';
export type {
  EndReason,
  Episode,
  EpisodeCounts,
  EpisodeEvent,
  SegmentOptions,
  SegmentWithOptions,
  StateMix,
} from './types.ts';
