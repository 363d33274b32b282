/**
 * The dashboard's state, fed by the stream: cards keyed by student, alerts keyed by id, the
 * daemon's health and the producer panels. Each reducer applies one stream event through Solid's
 * `setState`; rows are merged with `reconcile`, so a delta re-renders only the cards whose
 * fields changed, and a snapshot after a reconnect changes nothing that was already right.
 *
 * The reducers return what the connection should do next: `ok`, `stale` (nothing new), or
 * `resync` (the delta does not follow from what we hold: fetch a fresh snapshot).
 */
import { batch } from 'solid-js';
import { createStore, produce, reconcile, type SetStoreFunction } from 'solid-js/store';
import { mergePublished, panelKey, type PanelState } from '../panels/panels.ts';
import type { DeltaEvent, Health, PublishedEvent, ResetEvent, SnapshotEvent, StudentCard, TriggerRow } from '../types.ts';

export interface DashState {
  /** The server's epoch and version we are at; null before the first snapshot. */
  epoch: number | null;
  version: number;
  students: Record<string, StudentCard>;
  /** Keyed by the alert id (as a string). */
  triggers: Record<string, TriggerRow>;
  health: Health | null;
  panels: Record<string, PanelState>;
  /** Browser time of the last snapshot, delta or reset. */
  dataAt: number | null;
  /** Browser time of the last health event. */
  healthAt: number | null;
}

export type Outcome = 'ok' | 'stale' | 'resync';

export function emptyState(): DashState {
  return { epoch: null, version: 0, students: {}, triggers: {}, health: null, panels: {}, dataAt: null, healthAt: null };
}

export function createDashStore() {
  return createStore<DashState>(emptyState());
}

type Set = SetStoreFunction<DashState>;

function byKey<T, K extends keyof T>(rows: readonly T[], key: K): Record<string, T> {
  const out: Record<string, T> = {};
  for (const row of rows) out[String(row[key])] = row;
  return out;
}

export function applySnapshot(state: DashState, set: Set, snap: SnapshotEvent, at: number): Outcome {
  batch(() => {
    // The snapshot lists the seq of every event the API still has (the events follow as publish
    // frames): drop the panels with none of them (all panels on another epoch, whose sequence
    // numbers may start again), keep the history of the rest.
    const listed = new Set(snap.publishedSeqs);
    const sameEpoch = state.epoch === snap.epoch;
    const stale = Object.keys(state.panels).filter((k) => !sameEpoch || !state.panels[k]!.entries.some((e) => listed.has(e.seq)));
    if (stale.length > 0) {
      set(
        'panels',
        produce((panels) => {
          for (const k of stale) delete panels[k];
        }),
      );
    }
    set('epoch', snap.epoch);
    set('version', snap.version);
    set('students', reconcile(byKey(snap.students, 'studentId'), { key: 'studentId', merge: false }));
    set('triggers', reconcile(byKey(snap.triggers, 'id'), { key: 'id', merge: false }));
    set('health', reconcile(snap.health));
    set('dataAt', at);
  });
  return 'ok';
}

/** Upserts a card unless we already hold a newer version of it. */
function upsertCard(state: DashState, set: Set, card: StudentCard): void {
  const have = state.students[card.studentId];
  if (have && have.version > card.version) return;
  set('students', card.studentId, reconcile(card, { key: 'studentId', merge: false }));
}

/** Upserts an alert unless we already hold a newer version of it. */
export function upsertTrigger(state: DashState, set: Set, row: TriggerRow): void {
  const id = String(row.id);
  const have = state.triggers[id];
  if (have && have.version > row.version) return;
  set('triggers', id, reconcile(row, { key: 'id', merge: false }));
}

export function applyDelta(state: DashState, set: Set, delta: DeltaEvent, at: number): Outcome {
  if (state.epoch == null || delta.epoch !== state.epoch) return 'resync';
  if (delta.version <= state.version) return 'stale';
  if (delta.fromVersion > state.version) return 'resync';
  batch(() => {
    for (const card of delta.students) upsertCard(state, set, card);
    if (delta.removed.length > 0) {
      set(
        'students',
        produce((students) => {
          for (const id of delta.removed) delete students[id];
        }),
      );
    }
    for (const row of delta.triggers) upsertTrigger(state, set, row);
    set('version', delta.version);
    set('dataAt', at);
  });
  return 'ok';
}

/** A reset wiped the server's data: cards, alerts and the published panels. */
export function applyReset(_state: DashState, set: Set, ev: ResetEvent, at: number): Outcome {
  batch(() => {
    set('epoch', ev.epoch);
    set('version', 0);
    set('students', reconcile({}));
    set('triggers', reconcile({}));
    set('panels', reconcile({}));
    set('dataAt', at);
  });
  return 'ok';
}

export function applyHealth(_state: DashState, set: Set, health: Health, at: number): Outcome {
  batch(() => {
    set('health', reconcile(health));
    set('healthAt', at);
  });
  return 'ok';
}

export function applyPublish(state: DashState, set: Set, pub: PublishedEvent, _at: number): Outcome {
  const key = panelKey(pub.event);
  const next = mergePublished(state.panels[key], pub);
  if (!next) return 'stale';
  set('panels', key, next);
  return 'ok';
}

/** Dispatches one stream frame by its event name. */
export function applyFrame(state: DashState, set: Set, name: string, data: unknown, at: number): Outcome {
  switch (name) {
    case 'snapshot':
      return applySnapshot(state, set, data as SnapshotEvent, at);
    case 'delta':
      return applyDelta(state, set, data as DeltaEvent, at);
    case 'reset':
      return applyReset(state, set, data as ResetEvent, at);
    case 'health':
      return applyHealth(state, set, data as Health, at);
    case 'publish':
      return applyPublish(state, set, data as PublishedEvent, at);
    default:
      return 'stale';
  }
}
