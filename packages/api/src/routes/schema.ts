/**
 * `GET /api/schema`: JSON Schema (zod's `toJSONSchema`) of everything on the wire — the stream
 * events, the producer events, the API's request bodies and the REST rows — built once.
 */
import * as wire from '@lmdash/core/wire';
import { Hono } from 'hono';
import { z } from 'zod';

const out = (s: z.ZodType) => z.toJSONSchema(s, { io: 'output', unrepresentable: 'any' });
// Bodies are what a client sends: defaults are optional on input.
const input = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

export function buildSchemaDocument(): Record<string, unknown> {
  return {
    stream: Object.fromEntries(Object.entries(wire.STREAM_EVENTS).map(([name, s]) => [name, out(s)])),
    publish: {
      metric: input(wire.MetricEvent),
      series: input(wire.SeriesEvent),
      table: input(wire.TableEvent),
      note: input(wire.NoteEvent),
      other: input(wire.OtherPublishEvent),
      response: out(z.object({ delivered: z.number().int() })),
    },
    bodies: {
      'POST /api/track': input(wire.TrackBody),
      'POST /api/untrack': input(wire.TrackBody),
      'POST /api/triggers/:id/ack': input(wire.AckBody),
      'POST /api/reset': input(wire.ResetBody),
    },
    rows: {
      StudentCard: out(wire.StudentCard),
      StudentDetail: out(wire.StudentDetail),
      RunRow: out(wire.RunRow),
      EpisodeRow: out(wire.EpisodeRow),
      TriggerRow: out(wire.TriggerRow),
      RosterEntry: out(wire.RosterEntry),
      Health: out(wire.Health),
    },
  };
}

export function schemaRoutes(): Hono {
  const app = new Hono();
  let doc: Record<string, unknown> | null = null;
  app.get('/', (c) => c.json((doc ??= buildSchemaDocument())));
  return app;
}
