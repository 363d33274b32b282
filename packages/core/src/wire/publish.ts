/**
 * Producer events: what notebooks and models POST to the API's loopback-only `/publish`, and
 * what the dashboard renders as panels. Known types are checked; any other `type` passes
 * through unharmed (an object with a string `type`).
 */
import { z } from 'zod';
import { formatIssues } from './issues.ts';

const name = z.string().min(1).max(200);

export const MetricEvent = z.object({ type: z.literal('metric'), name, value: z.number(), unit: z.string().max(40).optional() });
export const SeriesEvent = z.object({ type: z.literal('series'), name, t: z.number(), value: z.number() });
export const TableEvent = z.object({
  type: z.literal('table'),
  name,
  columns: z.array(z.string()).min(1).max(100),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.boolean(), z.null()]))).max(10_000),
});
export const NoteEvent = z.object({ type: z.literal('note'), text: z.string().min(1).max(10_000), level: z.enum(['info', 'warn', 'error']).default('info') });

export const KNOWN_PUBLISH_TYPES = ['metric', 'series', 'table', 'note'] as const;
export const KnownPublishEvent = z.discriminatedUnion('type', [MetricEvent, SeriesEvent, TableEvent, NoteEvent]);
/** An event of a type the dashboard does not know: kept and shown as JSON. */
export const OtherPublishEvent = z.looseObject({ type: z.string().min(1).max(100) });

export type MetricEvent = z.infer<typeof MetricEvent>;
export type SeriesEvent = z.infer<typeof SeriesEvent>;
export type TableEvent = z.infer<typeof TableEvent>;
export type NoteEvent = z.infer<typeof NoteEvent>;
export type KnownPublishEvent = z.infer<typeof KnownPublishEvent>;
export type PublishEvent = KnownPublishEvent | (z.infer<typeof OtherPublishEvent> & Record<string, unknown>);

/** Validates a producer's body: a known type must match its schema; others pass as they are. */
export function parsePublishEvent(body: unknown): { ok: true; event: PublishEvent } | { ok: false; error: string } {
  const head = OtherPublishEvent.safeParse(body);
  if (!head.success) return { ok: false, error: 'body must be a JSON object with a string "type"' };
  if (!(KNOWN_PUBLISH_TYPES as readonly string[]).includes(head.data.type)) return { ok: true, event: head.data };
  const known = KnownPublishEvent.safeParse(body);
  if (known.success) return { ok: true, event: known.data };
  return { ok: false, error: `invalid ${head.data.type} event: ${formatIssues(known.error.issues)}` };
}

/** A published event as the stream carries it: stamped by the API. */
export const PublishedEvent = z.object({
  /** Increasing per API database: the order events were received in. */
  seq: z.number().int(),
  receivedAt: z.number(),
  event: z.looseObject({ type: z.string() }),
});
export type PublishedEvent = z.infer<typeof PublishedEvent>;
