/**
 * Test helpers for the source client (`src/source/*.test.ts`): the simulator in-process as a
 * `fetch`, a sleep that only records, answers swapped in for the first requests.
 */
import type { SourceEvent } from '@lmdash/core';
import { readEventLog } from '@lmdash/fixtures';
import type { Sim } from '@lmdash/fixtures';
import type { FetchLike } from '../src/source/transport.ts';

/** Base URL of the in-process simulator (`app.request` ignores the host). */
export const SIM_URL = 'http://sim.test';

/** The committed small log: 266 events. */
export const SMALL_LOG: SourceEvent[] = readEventLog(new URL('../../../fixtures/logs/small.jsonl', import.meta.url).pathname);

/** The simulator as a `fetch` function, no socket. */
export function simFetch(sim: Sim): FetchLike {
  return async (url, init) => sim.app.request(url, init);
}

/** A sleep that returns at once and remembers what it was asked; `onSleep` may abort a signal. */
export function fakeSleep(onSleep?: (ms: number, calls: number) => void): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    sleep: async (ms) => {
      delays.push(ms);
      onSleep?.(ms, delays.length);
    },
  };
}

/**
 * Wraps a fetch: the first requests whose path starts with `path` get the given answers instead
 * (each may look at the real answer), the rest pass through.
 */
export function replaceFirst(inner: FetchLike, path: string, answers: ((real: () => Promise<Response>) => Response | Promise<Response>)[]): FetchLike {
  let i = 0;
  return async (url, init) => {
    if (new URL(url).pathname.startsWith(path) && i < answers.length) return answers[i++](() => inner(url, init));
    return inner(url, init);
  };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });

/** Every event id met, and how many times beyond the first. */
export function tally(pages: SourceEvent[][]): { ids: Set<string>; duplicates: number; total: number } {
  const ids = new Set<string>();
  let total = 0;
  for (const page of pages) for (const e of page) {
    total++;
    ids.add(`${typeof e.id}:${e.id}`);
  }
  return { ids, duplicates: total - ids.size, total };
}

export const idsOf = (events: readonly SourceEvent[]): Set<string> => new Set(events.map((e) => `${typeof e.id}:${e.id}`));

export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  // Copied: the client empties a page once the next one is asked for.
  for await (const x of it) out.push(Array.isArray(x) ? ([...x] as T) : x);
  return out;
}
