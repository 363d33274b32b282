/**
 * The in-memory totals of what producers published, which both adapters keep so that an append
 * does not sum every stored body: how they are built from a per-type count and how an insert or
 * a deletion moves them. The SQL that counts is each adapter's own.
 */
import type { Tally } from './port.ts';

/** Appends after which an adapter counts again (another process may have written too). */
export const RECOUNT_EVERY = 256;

export type Totals = { all: Tally; byType: Map<string, Tally>; writes: number };

/** Totals from `SELECT type, count, bytes … GROUP BY type`. */
export function totalsOf(rows: readonly { type: string; n: number; bytes: number }[]): Totals {
  const t: Totals = { all: { n: 0, bytes: 0 }, byType: new Map(), writes: 0 };
  for (const r of rows) {
    t.byType.set(r.type, { n: r.n, bytes: r.bytes });
    t.all.n += r.n;
    t.all.bytes += r.bytes;
  }
  return t;
}

/** Moves the totals by `n` events and `bytes` of `type` (negative for deletions). */
export function tally(t: Totals, type: string, n: number, bytes: number): void {
  const ty = t.byType.get(type) ?? { n: 0, bytes: 0 };
  ty.n += n;
  ty.bytes += bytes;
  if (ty.n <= 0) t.byType.delete(type);
  else t.byType.set(type, ty);
  t.all.n += n;
  t.all.bytes += bytes;
}
