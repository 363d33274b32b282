/**
 * The model lab: the mirrored log observed over a model's features, fitting (Baum-Welch MAP)
 * and comparing models, decoding a log as the daemon does, agreement with known states, and
 * wheel-spin alerts scored against an oracle.
 * @module
 */
export { addConfusion, addPairs, emptyConfusion, overall, recallOf } from './agreement.ts';
export type { Confusion } from './agreement.ts';
export { DEFAULT_WHEELSPIN, addScores, emptyScore, scoreAlerts, stateTimeline, wheelspinAlerts } from './alerts.ts';
export type { AlertScore, CardPoint, WheelspinAlert, WheelspinConfig } from './alerts.ts';
export { compareModels, formatComparison } from './compare.ts';
export type { CompareOptions, Comparison, ModelSummary, NamedModel } from './compare.ts';
export { DEFAULT_PRIOR_WEIGHT, asFeatureModel, featuresOf, fitStrategyModel } from './fit.ts';
export type { FitOptions, FitOutcome } from './fit.ts';
export { modelJson } from './json.ts';
export { loggedStudents, studentEvents } from './log.ts';
export type { LogFilter } from './log.ts';
export { observeLog, selectFeatures } from './observe.ts';
export type { LogObservations, StudentObservations } from './observe.ts';
export { cardPoint, replayStudent, strategyRuns } from './replay.ts';
export type { DecodeModel, StudentReplay } from './replay.ts';
export { readTruth } from './truth.ts';
