/**
 * What changed between the rows last written for a student and a fresh projection: the card
 * if it differs, the runs and episodes to upsert, the indexes to delete. Pure; O(rows). The
 * worker diffs in memory, so a tick writes only changed rows without reading them back.
 */
import type { ProjectedCard, StudentChange, WrittenRows } from '@lmdash/core';
import type { StudentProjection } from '../projection/projectStudent.ts';

/** The changed rows (the card when it differs, rows to upsert, indexes to delete): the storage port's. */
export type { StudentChange };
/** The rows of a student as last written (keyed by run and episode index). */
export type Written = WrittenRows;

/**
 * A card text longer than this (the prompt, the pseudo-code: ~11 KB on a team student's card)
 * is kept in `written` as a 64-bit fingerprint: 1,000 written cards held ~11 MB of text only
 * to compare it. Two different texts with the same fingerprint and length have odds of 2^-64.
 */
const FINGERPRINT_OVER = 256;

/** The card as `written` keeps it: long texts as fingerprints (idempotent). */
export function keptCard(card: ProjectedCard): ProjectedCard {
  let out: Record<string, unknown> | null = null;
  for (const [k, v] of Object.entries(card)) {
    if (typeof v !== 'string' || v.length <= FINGERPRINT_OVER) continue;
    out ??= { ...card };
    out[k] = `#${Bun.hash(v).toString(36)}:${v.length}`;
  }
  return (out ?? card) as ProjectedCard;
}

function sameRow(a: object, b: object): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const k in y) if (x[k] !== y[k]) return false;
  for (const k in x) if (!(k in y)) return false;
  return true;
}

function diffRows<R extends object>(before: Map<number, R>, after: readonly R[], index: (r: R) => number): { upsert: R[]; remove: number[] } {
  const upsert: R[] = [];
  const kept = new Set<number>();
  for (const r of after) {
    const i = index(r);
    kept.add(i);
    const prev = before.get(i);
    if (!prev || !sameRow(prev, r)) upsert.push(r);
  }
  const remove = [...before.keys()].filter((i) => !kept.has(i));
  return { upsert, remove };
}

export function diffProjection(before: Written, after: StudentProjection): StudentChange {
  return {
    studentId: after.card.studentId,
    // `written` may come from storage (full texts) or from `applyChange` (fingerprints).
    card: before.card && sameRow(keptCard(before.card), keptCard(after.card)) ? null : after.card,
    runs: diffRows(before.runs, after.runs, (r) => r.runIndex),
    episodes: diffRows(before.episodes, after.episodes, (e) => e.episodeIndex),
  };
}

export function isEmpty(c: StudentChange): boolean {
  return c.card === null && c.runs.upsert.length === 0 && c.runs.remove.length === 0 && c.episodes.upsert.length === 0 && c.episodes.remove.length === 0;
}

/** Brings `written` up to date with a committed change (in place). */
export function applyChange(written: Written, c: StudentChange): void {
  if (c.card) written.card = keptCard(c.card);
  for (const i of c.runs.remove) written.runs.delete(i);
  for (const r of c.runs.upsert) written.runs.set(r.runIndex, r);
  for (const i of c.episodes.remove) written.episodes.delete(i);
  for (const e of c.episodes.upsert) written.episodes.set(e.episodeIndex, e);
}
