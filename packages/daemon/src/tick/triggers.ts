/** Stage 5: one sweep of the alert rules over every tracked student with a card. */
import { tables } from '@lmdash/core';
import { sql } from 'drizzle-orm';
import { evaluateTriggers } from '../triggers/rules.ts';
import { liveTriggers } from '../store/projection.ts';
import type { RunChange, TriggerAction, TriggerConfig } from '../triggers/types.ts';
import type { TickContext } from './context.ts';

function group<T extends { studentId: string }>(rows: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) (m.get(r.studentId) ?? m.set(r.studentId, []).get(r.studentId)!).push(r);
  return m;
}

export function sweepTriggers(ctx: TickContext, tracked: ReadonlySet<string>): TriggerAction[] {
  const now = ctx.now();
  const c: TriggerConfig = ctx.config;
  const { run, studentState } = tables;
  // Three queries for the whole class, not three per student.
  const live = group(liveTriggers(ctx.db));
  // Only the runs that could be big rewrites; the rules dedupe them against stored alerts.
  const big = group(
    ctx.db
      .select({ studentId: run.studentId, runIndex: run.runIndex, ts: run.ts, distance: run.distance, score: run.score })
      .from(run)
      .where(sql`${run.score} >= 0.5 AND ${run.distance} >= ${c.bigRewriteMinDistance}`)
      .all(),
  );
  const actions: TriggerAction[] = [];
  for (const card of ctx.db.select().from(studentState).all()) {
    if (!tracked.has(card.studentId)) continue;
    const snapshot = { ...card, state: card.state as 0 | 1 | 2 | null };
    const runs: RunChange[] = big.get(card.studentId) ?? [];
    actions.push(...evaluateTriggers({ studentId: card.studentId, card: snapshot, runs, triggers: live.get(card.studentId) ?? [] }, now, c));
  }
  return actions;
}
