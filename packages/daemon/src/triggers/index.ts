export { evaluateTriggers, inactiveSince, wheelspinSince } from './rules.ts';
export type { RunChange, StoredTrigger, StudentSnapshot, TriggerAction, TriggerConfig, TriggerKind, TriggerStatus } from './types.ts';
