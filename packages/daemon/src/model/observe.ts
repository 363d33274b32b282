/**
 * Every student's runs in the mirrored log as observation vectors of chosen strategy features,
 * for fitting and comparing models. Distances come from the durable cache when the daemon
 * already computed them, else from the bounds or APTED here; nothing is written to the file.
 * O(E) reads plus one parse per run and one comparison per pair not cached.
 */
import { DistanceCache, runsFromEvents, observeRuns } from '@lmdash/inference';
import type { Storage } from '@lmdash/core';
import { DistanceResolver } from '../distance/resolver.ts';
import { DurableDistances } from '../distance/durable.ts';
import { loggedStudents, studentEvents, type LogFilter } from './log.ts';

export type StudentObservations = {
  student: string;
  /** Each run's source event id. */
  keys: string[];
  /** obs[t][f]: run t's symbol of feature `features[f]`, or -1. */
  obs: number[][];
};

export type LogObservations = { features: string[]; students: StudentObservations[]; runs: number };

/**
 * Observes the log for `features`. `onStudent(done, total, runs)` reports progress.
 * @example observeLog(storage, ['edit', 'stop'], { from: Date.parse('2026-11-02') }).students[0].obs
 */
export function observeLog(store: Storage, features: readonly string[], filter: LogFilter = {}, onStudent?: (done: number, total: number, runs: number) => void): LogObservations {
  // Read the daemon's cache (if the table has rows); a miss is settled here and never stored.
  const resolver = new DistanceResolver(new DurableDistances(store.distances, Number.MAX_SAFE_INTEGER), null);
  const students = loggedStudents(store, filter);
  const out: StudentObservations[] = [];
  let runs = 0;
  students.forEach((student, i) => {
    const runsIn = runsFromEvents(studentEvents(store, student, filter), (e) => e.sourceEventId);
    const { obs } = observeRuns(runsIn, features, { cache: new DistanceCache(), onMiss: resolver.onMiss(new Set()) });
    out.push({ student, keys: runsIn.map((r) => r.key!), obs });
    runs += obs.length;
    onStudent?.(i + 1, students.length, runs);
  });
  return { features: [...features], students: out, runs };
}

/** The columns of `data` for `names` (each must be among `data.features`), in that order. */
export function selectFeatures(data: LogObservations, names: readonly string[]): number[][][] {
  const idx = names.map((n) => {
    const i = data.features.indexOf(n);
    if (i < 0) throw new RangeError(`feature '${n}' was not observed`);
    return i;
  });
  return data.students.map((s) => s.obs.map((o) => idx.map((i) => o[i])));
}
