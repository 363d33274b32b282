/**
 * Errors as clients see them: JSON `{ "error": reason }` with the right status, never a stack
 * trace. Handlers throw `ApiError`; zod failures become 400s naming the paths at fault; anything
 * unexpected is logged here and answered with a bare 500.
 */
import { formatIssues } from '@lmdash/core/wire';
import type { Context, ErrorHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { z } from 'zod';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: ContentfulStatusCode,
    message: string,
    /** Headers the answer carries, e.g. `Allow` on a 405. */
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const badRequest = (reason: string): ApiError => new ApiError(400, reason);
export const notFound = (reason: string): ApiError => new ApiError(404, reason);

/** Validates with a zod schema; a failure is a 400 that says what is wrong and where. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what: string): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw badRequest(`invalid ${what}: ${formatIssues(r.error.issues)}`);
  return r.data;
}

/** The request body as JSON (an empty body is `{}`); 400 when it is not JSON. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('body is not valid JSON');
  }
}

/** `isBusy`: the storage port's word on whether a failure means another writer held the store too long. */
export function errorHandler(log: (line: string) => void, isBusy: (err: unknown) => boolean): ErrorHandler {
  return function onError(err, c) {
    if (err instanceof ApiError) return c.json({ error: err.message }, err.status, err.headers);
    if (err instanceof HTTPException) {
      const reason = err.status === 413 ? 'body too large' : err.message || 'request refused';
      return c.json({ error: reason }, err.status);
    }
    // A writer held the lock past the busy timeout: worth a retry, not a bug.
    if (isBusy(err)) {
      log(`api: ${c.req.method} ${new URL(c.req.url).pathname}: database busy`);
      return c.json({ error: 'the database is busy: try again' }, 503);
    }
    log(`api: ${c.req.method} ${new URL(c.req.url).pathname} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return c.json({ error: 'internal error' }, 500);
  };
}
