/**
 * `GET /api/stream`: the server-sent events one browser tab receives. Each frame's `event:` is
 * the key below and its `data:` the JSON body. Frames that carry projection rows have the SSE id
 * `<epoch>:<version>`; a client resuming with `Last-Event-ID` on the same epoch gets the deltas
 * since that version, on another epoch a fresh snapshot.
 */
import { z } from 'zod';
import { EpisodeRow, Health, RunRow, StudentCard, TriggerRow } from './dashboard.ts';
import { PublishedEvent } from './publish.ts';

export const SnapshotEvent = z.object({
  epoch: z.number().int(),
  version: z.number().int(),
  /** Every tracked student's card. */
  students: z.array(StudentCard),
  /** Open and acked alerts, and those resolved in the last hour. */
  triggers: z.array(TriggerRow),
  health: Health,
  /** The `seq` of every stored producer event (the latest per type and name; for `series` the last
   *  500 points of each name, for `note` the last 200), oldest first. The events themselves follow
   *  this frame as `publish` frames, in this order and before any live frame, so panels open warm
   *  with their history; a tab drops the panels none of whose events is listed. */
  publishedSeqs: z.array(z.number().int()),
});

export const DeltaEvent = z.object({
  epoch: z.number().int(),
  /** The version this delta brings the client to; rows changed after `fromVersion`. */
  version: z.number().int(),
  fromVersion: z.number().int(),
  students: z.array(StudentCard),
  runs: z.array(RunRow),
  episodes: z.array(EpisodeRow),
  triggers: z.array(TriggerRow),
  /** Students no longer tracked since `fromVersion`: drop their cards. */
  removed: z.array(z.string()),
});

export const ResetEvent = z.object({ epoch: z.number().int() });

export const STREAM_EVENTS = {
  snapshot: SnapshotEvent,
  delta: DeltaEvent,
  health: Health,
  publish: PublishedEvent,
  reset: ResetEvent,
} as const;
export type StreamEventName = keyof typeof STREAM_EVENTS;
export type SnapshotEvent = z.infer<typeof SnapshotEvent>;
export type DeltaEvent = z.infer<typeof DeltaEvent>;
export type ResetEvent = z.infer<typeof ResetEvent>;

/** Bodies of the API's writes. */
export const TrackBody = z.object({ studentIds: z.array(z.string().min(1).max(200)).min(1).max(5_000) });
export const AckBody = z.object({ note: z.string().max(2_000).optional() });
/** A reset wipes every mirrored event and alert: the body must say so in words. */
export const ResetBody = z.object({ confirm: z.literal('RESET') });
export type TrackBody = z.infer<typeof TrackBody>;
export type AckBody = z.infer<typeof AckBody>;
export type ResetBody = z.infer<typeof ResetBody>;
