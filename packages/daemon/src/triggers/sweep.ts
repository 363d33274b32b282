/**
 * The tick's alert stage: one sweep of the alert rules (`rules.ts`) over every tracked student
 * with a card. Sustained alerts depend on the clock, so every card is looked at; big rewrites
 * come from the runs this tick wrote (a cold start writes every run once, and the once-per-run
 * index dedupes them).
 */
import type { TickContext } from '../tick/context.ts';
import type { StudentChange } from '../worker/diff.ts';
import { evaluateTriggers, isBigRewrite } from './rules.ts';
import type { StoredTrigger, TriggerAction, TriggerConfig, RunChange, StudentSnapshot } from './types.ts';

function group<T extends { studentId: string }>(rows: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) (m.get(r.studentId) ?? m.set(r.studentId, []).get(r.studentId)!).push(r);
  return m;
}

export function sweepTriggers(ctx: TickContext, tracked: ReadonlySet<string>, changes: readonly StudentChange[]): TriggerAction[] {
  const now = ctx.now();
  const c: TriggerConfig = ctx.config;
  const alerts = ctx.storage.projection;
  const live = group(alerts.liveAlerts());
  // Runs written this tick that qualify as big rewrites, with the rewrites already raised for those students.
  const candidates = new Map<string, RunChange[]>();
  for (const ch of changes) {
    const big = ch.runs.upsert.filter((r) => isBigRewrite(r, c));
    if (big.length > 0) candidates.set(ch.studentId, big);
  }
  const raised = new Map<string, StoredTrigger[]>();
  for (const s of candidates.keys()) raised.set(s, alerts.bigRewritesOf(s));
  const actions: TriggerAction[] = [];
  for (const card of alerts.sweepCards()) {
    if (!tracked.has(card.studentId)) continue;
    const snapshot: StudentSnapshot = {
      studentId: card.studentId,
      card,
      runs: candidates.get(card.studentId) ?? [],
      triggers: [...(live.get(card.studentId) ?? []), ...(raised.get(card.studentId) ?? [])],
    };
    actions.push(...evaluateTriggers(snapshot, now, c));
  }
  return actions;
}
