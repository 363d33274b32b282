/**
 * Runs, episodes and alerts, mapped from their stored rows (`@lmdash/core` storage port) to the
 * wire rows (`@lmdash/core/wire` dashboard.ts): JSON columns parsed, internal columns (tree
 * hashes, source ids) left out.
 */
import type { AlertRecord, EpisodeRecord, Storage, WireRunRecord } from '@lmdash/core';
import type { EpisodeRow, RunRow, StrategyState, TriggerRow } from '@lmdash/core/wire';
import { parseJson } from './json.ts';

const toRun = (r: WireRunRecord): RunRow => ({ ...r, state: r.state as StrategyState, posterior: parseJson<number[]>(r.posterior, []) });
const toEpisode = (r: EpisodeRecord): EpisodeRow => ({
  ...r,
  counts: parseJson<Record<string, number>>(r.counts, {}),
  stateMix: parseJson<EpisodeRow['stateMix']>(r.stateMix, { iterator: 0, explorer: 0, stuck: 0 }),
});
export const toTrigger = (r: AlertRecord): TriggerRow => ({ ...r, detail: parseJson<Record<string, unknown>>(r.detail, {}) });

/** A student's most recent runs, oldest first. */
export const recentRuns = (store: Storage, studentId: string, limit: number): RunRow[] => store.reads.recentRuns(studentId, limit).map(toRun);

/** A student's most recent episodes, oldest first. */
export const recentEpisodes = (store: Storage, studentId: string, limit: number): EpisodeRow[] => store.reads.recentEpisodes(studentId, limit).map(toEpisode);

/** Tracked students' runs changed after `version`. */
export const runsSince = (store: Storage, version: number): RunRow[] => store.reads.runsSince(version).map(toRun);

/** Tracked students' episodes changed after `version`. */
export const episodesSince = (store: Storage, version: number): EpisodeRow[] => store.reads.episodesSince(version).map(toEpisode);

/** Alerts changed after `version`, by id. */
export const triggersSince = (store: Storage, version: number): TriggerRow[] => store.reads.alertsSince(version).map(toTrigger);

/** A student's alerts, newest first. */
export const triggersOfStudent = (store: Storage, studentId: string, limit: number): TriggerRow[] => store.reads.alertsOfStudent(studentId, limit).map(toTrigger);

/** Alerts by status (all when null), newest first. */
export const triggersByStatus = (store: Storage, status: TriggerRow['status'] | null, limit: number): TriggerRow[] => store.reads.alertsByStatus(status, limit).map(toTrigger);

/** What a snapshot carries: open and acked alerts, and those resolved since `resolvedAfter`, by id. */
export const liveTriggerRows = (store: Storage, resolvedAfter: number): TriggerRow[] => store.reads.liveAlerts(resolvedAfter).map(toTrigger);
