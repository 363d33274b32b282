/**
 * The alert rules (docs/triggers.md), as a pure decision: from a student's snapshot and `now`
 * to the alerts to open and resolve. Sustained alerts (wheel-spin, inactive) stay open while
 * their condition holds and resolve when it ends; an acked one whose condition still holds
 * re-opens RE_ALERT_SECONDS after it began (or after its last re-opening). A big rewrite is
 * momentary: raised once per qualifying run, it stays until a researcher acks it.
 */
import { STUCK } from '@lmdash/inference';
import type { RunChange, StoredTrigger, StudentSnapshot, TriggerAction, TriggerConfig, TriggerKind } from './types.ts';

/** When the wheel-spin condition began, or null if it does not hold now. */
export function wheelspinSince(s: StudentSnapshot, now: number, c: TriggerConfig): number | null {
  const { state, stuckStreakRuns, stuckStreakStartedAt } = s.card;
  if (state !== STUCK || stuckStreakStartedAt === null || stuckStreakRuns < c.wheelspinMinRuns) return null;
  // The streak lasts as long as the student stays stuck, so its duration runs to now.
  return now - stuckStreakStartedAt >= c.wheelspinMinSeconds * 1000 ? stuckStreakStartedAt : null;
}

/** When the inactivity began (the last event), or null if the student is not inactive now. */
export function inactiveSince(s: StudentSnapshot, now: number, c: TriggerConfig): number | null {
  const { sessionOpen, lastEventAt } = s.card;
  if (!sessionOpen || lastEventAt === null) return null;
  const idle = now - lastEventAt;
  // Past the session gap the session counts as closed: a student who left is not "inactive".
  return idle >= c.inactiveSeconds * 1000 && idle < c.sessionGapSeconds * 1000 ? lastEventAt : null;
}

function sustained(kind: TriggerKind, since: number | null, s: StudentSnapshot, now: number, c: TriggerConfig): TriggerAction[] {
  const live = s.triggers.filter((t) => t.kind === kind && (t.status === 'open' || t.status === 'acked'));
  if (since === null) return live.map((t) => ({ action: 'resolve', id: t.id, reason: 'condition-ended' }));
  // The condition holds. A live alert for an older episode of it (e.g. a new stuck streak) ends.
  const actions: TriggerAction[] = [];
  let current: StoredTrigger | undefined;
  for (const t of live) {
    if (t.startedAt === since && !current) current = t;
    else actions.push({ action: 'resolve', id: t.id, reason: 'condition-ended' });
  }
  if (!current) {
    actions.push({ action: 'open', studentId: s.studentId, kind, startedAt: since, runIndex: null, reopenedFrom: null, detail: {} });
  } else if (current.status === 'acked') {
    const base = current.reopenedFrom === null ? current.startedAt : current.openedAt;
    if (now - base >= c.reAlertSeconds * 1000) {
      actions.push({ action: 'resolve', id: current.id, reason: 'reopened' });
      actions.push({ action: 'open', studentId: s.studentId, kind, startedAt: since, runIndex: null, reopenedFrom: current.id, detail: { reopened: true } });
    }
  }
  return actions;
}

/** The change score from which a run counts as a big rewrite (with BIG_REWRITE_MIN_DISTANCE). */
export const BIG_REWRITE_MIN_SCORE = 0.5;

/** Whether a run is a big rewrite: both its change score and its distance reach the thresholds. */
export function isBigRewrite(r: Pick<RunChange, 'distance' | 'score'>, c: Pick<TriggerConfig, 'bigRewriteMinDistance'>): boolean {
  return r.score !== null && r.distance !== null && r.score >= BIG_REWRITE_MIN_SCORE && r.distance >= c.bigRewriteMinDistance;
}

function bigRewrites(s: StudentSnapshot, c: TriggerConfig): TriggerAction[] {
  const raised = new Set(s.triggers.filter((t) => t.kind === 'big_rewrite').map((t) => t.runIndex));
  return s.runs
    .filter((r) => isBigRewrite(r, c) && !raised.has(r.runIndex))
    .map((r) => ({ action: 'open', studentId: s.studentId, kind: 'big_rewrite', startedAt: r.ts, runIndex: r.runIndex, reopenedFrom: null, detail: { distance: r.distance, score: r.score } }));
}

/**
 * Everything to do for one student at time `now`.
 * @example evaluateTriggers(snapshot, Date.now(), config) // [{ action: 'open', kind: 'wheelspin', ... }]
 */
export function evaluateTriggers(s: StudentSnapshot, now: number, c: TriggerConfig): TriggerAction[] {
  return [
    ...sustained('wheelspin', wheelspinSince(s, now, c), s, now, c),
    ...sustained('inactive', inactiveSince(s, now, c), s, now, c),
    ...bigRewrites(s, c),
  ];
}
