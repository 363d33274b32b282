/**
 * What an answer means: a 2xx whose body is JSON of the documented shape, or the SourceError that
 * says what is wrong with it (status, a DRF `detail`, Retry-After, the first schema issues).
 */
import { formatIssues } from '@lmdash/core';
import { SourceError } from './errors.ts';
import type { Answer } from './transport.ts';

/** Anything with zod's `safeParse` (the core schemas), so this package needs no zod of its own. */
export type Schema<T> = {
  safeParse(data: unknown): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
};

/** A 2xx answer parsed and validated, or the SourceError that says what is wrong with it. */
export function parseAnswer<T>(url: string, answer: Answer, schema: Schema<T>): T {
  const { status } = answer;
  if (status < 200 || status > 299) {
    throw new SourceError('http', `HTTP ${status}${errorDetail(answer)}`, { url, status, retryAfter: retryAfterSeconds(answer.headers.get('retry-after')) });
  }
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch {
    const type = answer.headers.get('content-type') ?? 'no content-type';
    throw new SourceError('bad-body', `HTTP ${status} body is not JSON (${type}, ${answer.text.length} bytes)`, { url, status });
  }
  const parsed = schema.safeParse(json);
  // Three issues are enough to see what is wrong; a whole bad page would flood the log.
  if (!parsed.success) throw new SourceError('bad-body', `HTTP ${status} body has the wrong shape: ${formatIssues(parsed.error.issues, { max: 3 })}`, { url, status });
  return parsed.data;
}

/** `: <detail>` from a DRF error body, or nothing; short, it goes into logs. */
export function errorDetail(answer: Answer): string {
  try {
    const body = JSON.parse(answer.text) as unknown;
    if (body && typeof body === 'object' && typeof (body as { detail?: unknown }).detail === 'string') return `: ${(body as { detail: string }).detail.slice(0, 200)}`;
  } catch {
    // not JSON: the status says enough
  }
  return '';
}

/** `Retry-After` in seconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, now: number = Date.now()): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, (at - now) / 1000);
}
