export { BIG_REWRITE_MIN_SCORE, evaluateTriggers, inactiveSince, isBigRewrite, wheelspinSince } from './rules.ts';
export type { RunChange, StoredTrigger, StudentSnapshot, TriggerAction, TriggerConfig, TriggerKind, TriggerStatus } from './types.ts';
