/** Stage 5: one sweep of the alert rules over every tracked student with a card. */
import { tables } from '@lmdash/core';
import { runsFrom, triggersOf } from '../store/projection.ts';
import { evaluateTriggers } from '../triggers/rules.ts';
import type { TriggerAction, TriggerConfig } from '../triggers/types.ts';
import type { TickContext } from './context.ts';

/** Runs re-examined for big rewrites at each sweep: the most recent ones (older ones were seen). */
export const BIG_REWRITE_LOOKBACK = 50;

export function sweepTriggers(ctx: TickContext, tracked: ReadonlySet<string>): TriggerAction[] {
  const now = ctx.now();
  const c: TriggerConfig = ctx.config;
  const actions: TriggerAction[] = [];
  for (const card of ctx.db.select().from(tables.studentState).all()) {
    if (!tracked.has(card.studentId)) continue;
    const runs = runsFrom(ctx.db, card.studentId, Math.max(0, card.runCount - BIG_REWRITE_LOOKBACK));
    const snapshot = { ...card, state: card.state as 0 | 1 | 2 | null };
    actions.push(...evaluateTriggers({ studentId: card.studentId, card: snapshot, runs, triggers: triggersOf(ctx.db, card.studentId) }, now, c));
  }
  return actions;
}
