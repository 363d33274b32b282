/** What the trigger rules see and what they decide. No clock and no database: `now` is passed in. */
import type { AlertAction, AlertKind, AlertStatus, ProjectedRun, StoredAlert, SweepCard } from '@lmdash/core';

export type TriggerKind = AlertKind;
export type TriggerStatus = AlertStatus;

/** An alert as stored (`trigger_event`), as far as the rules need it. */
export type StoredTrigger = StoredAlert;

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
export type RunChange = Pick<ProjectedRun, 'runIndex' | 'ts' | 'distance' | 'score'>;

export type StudentSnapshot = {
  studentId: string;
  card: Omit<SweepCard, 'studentId'>;
  runs: readonly RunChange[];
  /** The student's alerts that are open or acked, and every big rewrite ever raised (any status). */
  triggers: readonly StoredTrigger[];
};

/** What the rules decide: open an alert or resolve one (the storage port's `AlertAction`). */
export type TriggerAction = AlertAction;
