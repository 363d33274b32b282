/**
 * The production source API, as code: every field name LM Dashboard reads lives here, so
 * adapting to a real deployment that differs is a change to this one file. The contract is
 * `docs/source-api.md` (copied from the shared spec).
 *
 * Events are kept loose where production may grow: an unknown `type` validates as a generic
 * event (stored as it is, ignored by inference), and unknown keys in `data` pass through.
 */
import * as z from 'zod';

/** `POST /api/auth/token/` body. */
export const TokenRequest = z.object({ username: z.string().min(1), password: z.string() });
export type TokenRequest = z.infer<typeof TokenRequest>;

/** `200` answer of the token login. */
export const TokenResponse = z.object({ token: z.string().min(1) });
export type TokenResponse = z.infer<typeof TokenResponse>;

/** `400` (wrong credentials) and other error bodies. */
export const ErrorDetail = z.object({ detail: z.string() });
export type ErrorDetail = z.infer<typeof ErrorDetail>;

/** The source's unique event id: a number or a string (it becomes `source_event_id`). */
export const SourceEventId = z.union([z.number().int(), z.string().min(1)]);
export type SourceEventId = z.infer<typeof SourceEventId>;

/** ISO-8601 with a time zone, as the source writes it (`2026-11-22T10:00:00.123Z`). */
export const Timestamp = z.iso.datetime({ offset: true });

/**
 * The event types the source documents; others are kept as generic events. @lmdash/inference,
 * which imports nothing, lists them too; `daemon/src/source/eventTypes.test.ts` checks they agree.
 */
export const KNOWN_EVENT_TYPES = ['sessionStart', 'openProject', 'editBlocks', 'runProject', 'stopProject', 'sessionEnd'] as const;
export type KnownEventType = (typeof KNOWN_EVENT_TYPES)[number];

/** `<project>`: the project text as the editor saves it (VEXcode file JSON or bare Blockly XML). May be malformed. */
export const ProjectText = z.string();

export const SessionStartData = z.looseObject({ client: z.string(), platform: z.string() });
export const OpenProjectData = z.looseObject({ project: z.string(), workspace: ProjectText });
export const EditBlocksData = z.looseObject({ project: z.string(), workspace: ProjectText });
export const RunProjectData = z.looseObject({ project: z.string(), workspace: ProjectText, slot: z.number().int() });
export const StopProjectData = z.looseObject({ project: z.string(), reason: z.enum(['user', 'error', 'completed']) });
export const SessionEndData = z.looseObject({});

/** The `data` schema of each known type. */
export const EVENT_DATA = {
  sessionStart: SessionStartData,
  openProject: OpenProjectData,
  editBlocks: EditBlocksData,
  runProject: RunProjectData,
  stopProject: StopProjectData,
  sessionEnd: SessionEndData,
} as const satisfies Record<KnownEventType, z.ZodType>;

const eventBase = { id: SourceEventId, student: z.string().min(1), timestamp: Timestamp };

/** A known event, checked against its type's `data` schema. */
export const KnownSourceEvent = z.discriminatedUnion('type', [
  z.object({ ...eventBase, type: z.literal('sessionStart'), data: SessionStartData }),
  z.object({ ...eventBase, type: z.literal('openProject'), data: OpenProjectData }),
  z.object({ ...eventBase, type: z.literal('editBlocks'), data: EditBlocksData }),
  z.object({ ...eventBase, type: z.literal('runProject'), data: RunProjectData }),
  z.object({ ...eventBase, type: z.literal('stopProject'), data: StopProjectData }),
  z.object({ ...eventBase, type: z.literal('sessionEnd'), data: SessionEndData }),
]);
export type KnownSourceEvent = z.infer<typeof KnownSourceEvent>;

/**
 * Any event on the events page. A known type must carry its documented `data` (issues point
 * into `data`); an event of a type the contract does not know is kept, not rejected, with its
 * `data` untouched.
 */
export const SourceEvent = z
  .object({ ...eventBase, type: z.string().min(1), data: z.unknown() })
  .superRefine((e, ctx) => {
    const schema = (EVENT_DATA as Record<string, z.ZodType>)[e.type];
    if (!schema) return;
    const r = schema.safeParse(e.data);
    if (!r.success) for (const issue of r.error.issues) ctx.addIssue({ ...issue, path: ['data', ...issue.path] } as z.core.$ZodRawIssue);
  });
export type SourceEvent = z.infer<typeof SourceEvent>;

/** `GET /api/vex/events/` answer. `next` is the absolute URL of the next page, or null. */
export const EventsPage = z.object({
  count: z.number().int().nonnegative(),
  next: z.string().nullable(),
  previous: z.string().nullable(),
  results: z.array(SourceEvent),
});
export type EventsPage = z.infer<typeof EventsPage>;

/** Query parameters of the events endpoint. */
export const EventsQuery = z.object({
  dateFrom: Timestamp,
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(1000).default(100),
  student: z.string().min(1).optional(),
});
export type EventsQuery = z.infer<typeof EventsQuery>;

/** A student of the roster. */
export const RosterStudent = z.looseObject({ id: z.string().min(1), displayName: z.string(), classroom: z.string() });
export type RosterStudent = z.infer<typeof RosterStudent>;

/** `GET /api/students/` answer. */
export const RosterPage = z.object({
  count: z.number().int().nonnegative(),
  next: z.string().nullable(),
  previous: z.string().nullable(),
  results: z.array(RosterStudent),
});
export type RosterPage = z.infer<typeof RosterPage>;

/** Query parameters of the roster endpoint. */
export const RosterQuery = z.object({
  page: z.coerce.number().int().min(1).default(1),
  page_size: z.coerce.number().int().min(1).max(1000).default(100),
  search: z.string().optional(),
});
export type RosterQuery = z.infer<typeof RosterQuery>;

/** Whether an event is of a known type (its `data` then has the documented shape). */
export function isKnownEvent(e: SourceEvent): e is SourceEvent & KnownSourceEvent {
  return (KNOWN_EVENT_TYPES as readonly string[]).includes(e.type);
}

/** Source paths, relative to the deployment's base URL. */
export const SOURCE_PATHS = {
  token: '/api/auth/token/',
  events: '/api/vex/events/',
  students: '/api/students/',
} as const;
