/** What the trigger rules see and what they decide. No clock and no database: `now` is passed in. */
import type { StudentCard } from '../projection/projectStudent.ts';

export type TriggerKind = 'wheelspin' | 'inactive' | 'big_rewrite';
export type TriggerStatus = 'open' | 'acked' | 'resolved';

/** An alert as stored (`trigger_event`), as far as the rules need it. */
export type StoredTrigger = {
  id: number;
  studentId: string;
  kind: TriggerKind;
  status: TriggerStatus;
  startedAt: number;
  openedAt: number;
  runIndex: number | null;
  reopenedFrom: number | null;
};

/** The thresholds, from the config (docs/config.md, docs/triggers.md). */
export type TriggerConfig = {
  wheelspinMinRuns: number;
  wheelspinMinSeconds: number;
  inactiveSeconds: number;
  sessionGapSeconds: number;
  bigRewriteMinDistance: number;
  reAlertSeconds: number;
};

/** A run as the big-rewrite rule reads it. */
export type RunChange = { runIndex: number; ts: number; distance: number | null; score: number | null };

export type StudentSnapshot = {
  studentId: string;
  card: Pick<StudentCard, 'state' | 'stuckStreakRuns' | 'stuckStreakStartedAt' | 'lastEventAt' | 'sessionOpen'>;
  runs: readonly RunChange[];
  /** The student's alerts that are open or acked, and every big rewrite ever raised (any status). */
  triggers: readonly StoredTrigger[];
};

export type TriggerAction =
  | { action: 'open'; studentId: string; kind: TriggerKind; startedAt: number; runIndex: number | null; reopenedFrom: number | null; detail: Record<string, unknown> }
  | { action: 'resolve'; id: number; reason: 'condition-ended' | 'reopened' };
