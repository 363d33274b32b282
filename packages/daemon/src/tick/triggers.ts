/** Stage 5: one sweep of the alert rules over every tracked student with a card. */
import { tables } from '@lmdash/core';
import { bigChanges, triggersOf } from '../store/projection.ts';
import { evaluateTriggers } from '../triggers/rules.ts';
import type { TriggerAction, TriggerConfig } from '../triggers/types.ts';
import type { TickContext } from './context.ts';


export function sweepTriggers(ctx: TickContext, tracked: ReadonlySet<string>): TriggerAction[] {
  const now = ctx.now();
  const c: TriggerConfig = ctx.config;
  const actions: TriggerAction[] = [];
  for (const card of ctx.db.select().from(tables.studentState).all()) {
    if (!tracked.has(card.studentId)) continue;
    // Only the runs that could be big rewrites; the rules dedupe them against stored alerts.
    const runs = bigChanges(ctx.db, card.studentId, c.bigRewriteMinDistance);
    const snapshot = { ...card, state: card.state as 0 | 1 | 2 | null };
    actions.push(...evaluateTriggers({ studentId: card.studentId, card: snapshot, runs, triggers: triggersOf(ctx.db, card.studentId) }, now, c));
  }
  return actions;
}
