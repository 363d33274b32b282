import { describe, expect, test } from 'bun:test';
import { cardRow, healthRow, triggerRow } from '../../test/rows.ts';
import type { DeltaEvent, SnapshotEvent } from '../types.ts';
import { applyDelta, applyFrame, applyPublish, applyReset, applySnapshot, createDashStore } from './store.ts';

const T = 1_800_000_000_000;

function snapshot(over: Partial<SnapshotEvent> = {}): SnapshotEvent {
  return {
    epoch: 7,
    version: 10,
    students: [cardRow('s-1', { displayName: 'Ada' }), cardRow('s-2', { displayName: 'Grace' })],
    triggers: [triggerRow(1, 's-1')],
    health: healthRow(),
    publishedSeqs: [],
    ...over,
  };
}

type Pub = { seq: number; receivedAt: number; event: Record<string, unknown> & { type: string } };
type StoreOf = ReturnType<typeof createDashStore>;

/** A snapshot as the stream carries it: the frame listing the stored seqs, then one publish frame per stored event. */
function snapshotWith([state, set]: StoreOf, published: Pub[], over: Partial<SnapshotEvent> = {}): void {
  applyFrame(state, set, 'snapshot', snapshot({ publishedSeqs: published.map((p) => p.seq), ...over }), T);
  for (const p of published) applyFrame(state, set, 'publish', p, T);
}

function delta(over: Partial<DeltaEvent> = {}): DeltaEvent {
  return { epoch: 7, version: 11, fromVersion: 10, students: [], runs: [], episodes: [], triggers: [], removed: [], ...over };
}

describe('snapshot', () => {
  test('fills cards by student and alerts by id', () => {
    const [state, set] = createDashStore();
    expect(applySnapshot(state, set, snapshot(), T)).toBe('ok');
    expect(Object.keys(state.students).sort()).toEqual(['s-1', 's-2']);
    expect(state.triggers['1']!.studentId).toBe('s-1');
    expect([state.epoch, state.version, state.dataAt]).toEqual([7, 10, T]);
  });
  test('a second snapshot replaces: missing students and alerts are dropped', () => {
    const [state, set] = createDashStore();
    applySnapshot(state, set, snapshot(), T);
    applySnapshot(state, set, snapshot({ version: 12, students: [cardRow('s-2', { displayName: 'Grace H.' })], triggers: [] }), T);
    expect(Object.keys(state.students)).toEqual(['s-2']);
    expect(state.students['s-2']!.displayName).toBe('Grace H.');
    expect(state.triggers).toEqual({});
  });
});

describe('delta merging', () => {
  test('upserts changed cards and alerts, keeps the others', () => {
    const [state, set] = createDashStore();
    applySnapshot(state, set, snapshot(), T);
    const out = applyDelta(state, set, delta({
      students: [cardRow('s-1', { displayName: 'Ada', state: 2, version: 2 }), cardRow('s-3', { displayName: 'Linus' })],
      triggers: [triggerRow(1, 's-1', { status: 'acked', ackNote: 'talked', version: 2 }), triggerRow(2, 's-3')],
    }), T + 1);
    expect(out).toBe('ok');
    expect(state.students['s-1']!.state).toBe(2);
    expect(state.students['s-2']!.displayName).toBe('Grace');
    expect(state.students['s-3']!.displayName).toBe('Linus');
    expect(state.triggers['1']!.status).toBe('acked');
    expect(state.triggers['2']!.studentId).toBe('s-3');
    expect(state.version).toBe(11);
  });
  test('removed students lose their cards', () => {
    const [state, set] = createDashStore();
    applySnapshot(state, set, snapshot(), T);
    applyDelta(state, set, delta({ removed: ['s-2'] }), T);
    expect(Object.keys(state.students)).toEqual(['s-1']);
  });
  test('an older row version never overwrites a newer one', () => {
    const [state, set] = createDashStore();
    applySnapshot(state, set, snapshot({ students: [cardRow('s-1', { state: 2, version: 5 })] }), T);
    applyDelta(state, set, delta({ students: [cardRow('s-1', { state: 0, version: 4 })] }), T);
    expect(state.students['s-1']!.state).toBe(2);
  });
  test('a delta we already hold is stale; a gap or another epoch asks for a resync', () => {
    const [state, set] = createDashStore();
    expect(applyDelta(state, set, delta(), T)).toBe('resync'); // no snapshot yet
    applySnapshot(state, set, snapshot(), T);
    expect(applyDelta(state, set, delta({ version: 10, fromVersion: 9 }), T)).toBe('stale');
    expect(applyDelta(state, set, delta({ version: 14, fromVersion: 12 }), T)).toBe('resync');
    expect(applyDelta(state, set, delta({ epoch: 8 }), T)).toBe('resync');
    expect(state.version).toBe(10);
    // A resumed stream may send one delta spanning several versions from ours.
    expect(applyDelta(state, set, delta({ version: 15, fromVersion: 10 }), T)).toBe('ok');
    expect(state.version).toBe(15);
  });
});

test('reset empties cards, alerts and panels and moves to the new epoch', () => {
  const [state, set] = createDashStore();
  snapshotWith([state, set], [{ seq: 1, receivedAt: T, event: { type: 'note', text: 'x' } }]);
  expect(Object.keys(state.panels)).toEqual(['note']);
  applyReset(state, set, { epoch: 8 }, T);
  expect(state.students).toEqual({});
  expect(state.triggers).toEqual({});
  expect(state.panels).toEqual({});
  expect([state.epoch, state.version]).toEqual([8, 0]);
  expect(applyDelta(state, set, delta({ epoch: 8, version: 1, fromVersion: 0, students: [cardRow('s-9')] }), T)).toBe('ok');
  expect(Object.keys(state.students)).toEqual(['s-9']);
});

describe('published events', () => {
  const pub = (seq: number, event: Record<string, unknown> & { type: string }) => ({ seq, receivedAt: T + seq, event });
  test('one panel per type and name; series keep their points; duplicates are ignored', () => {
    const [state, set] = createDashStore();
    applyPublish(state, set, pub(1, { type: 'series', name: 'loss', t: 1, value: 0.9 }), T);
    applyPublish(state, set, pub(2, { type: 'series', name: 'loss', t: 2, value: 0.7 }), T);
    applyPublish(state, set, pub(3, { type: 'metric', name: 'acc', value: 0.8 }), T);
    expect(applyPublish(state, set, pub(2, { type: 'series', name: 'loss', t: 2, value: 0.7 }), T)).toBe('stale');
    expect(Object.keys(state.panels).sort()).toEqual(['metric:acc', 'series:loss']);
    expect(state.panels['series:loss']!.entries.map((e) => e.event.value)).toEqual([0.9, 0.7]);
  });
  test('the snapshot warms panels, and notes share one log', () => {
    const [state, set] = createDashStore();
    snapshotWith([state, set], [pub(4, { type: 'note', text: 'a' }), pub(5, { type: 'custom', x: 1 })]);
    applyFrame(state, set, 'publish', pub(6, { type: 'note', text: 'b', level: 'warn' }), T);
    expect(state.panels['note']!.entries.map((e) => e.event.text)).toEqual(['a', 'b']);
    expect(state.panels['custom']!.entries[0]!.event.x).toBe(1);
  });
});

test('a snapshot keeps the history of panels it still lists and drops the others', () => {
  const store = createDashStore();
  const [state, set] = store;
  const pub = (seq: number, event: Record<string, unknown> & { type: string }) => ({ seq, receivedAt: T, event });
  snapshotWith(store, [pub(1, { type: 'series', name: 'loss', t: 1, value: 1 }), pub(2, { type: 'metric', name: 'acc', value: 1 })]);
  applyPublish(state, set, pub(3, { type: 'series', name: 'loss', t: 2, value: 0.5 }), T);
  // Reconnected: the API now has the latest loss point and no metric any more.
  snapshotWith(store, [pub(3, { type: 'series', name: 'loss', t: 2, value: 0.5 })], { version: 11 });
  expect(Object.keys(state.panels)).toEqual(['series:loss']);
  expect(state.panels['series:loss']!.entries.map((e) => e.event.value)).toEqual([1, 0.5]);
  // The snapshot frame alone already drops what it does not list; the events follow it.
  applySnapshot(state, set, snapshot({ version: 12, publishedSeqs: [] }), T);
  expect(state.panels).toEqual({});
  // Another epoch: nothing carries over, even under the same sequence numbers.
  snapshotWith(store, [pub(3, { type: 'series', name: 'loss', t: 2, value: 0.5 })], { version: 13 });
  snapshotWith(store, [pub(1, { type: 'series', name: 'loss', t: 1, value: 7 })], { epoch: 9 });
  expect(state.panels['series:loss']!.entries.map((e) => e.event.value)).toEqual([7]);
});

test('health frames are kept with the time they arrived', () => {
  const [state, set] = createDashStore();
  applyFrame(state, set, 'health', healthRow({ daemon: 'unhealthy', lastError: 'source 503' }), T);
  expect(state.health!.daemon).toBe('unhealthy');
  expect(state.healthAt).toBe(T);
  expect(applyFrame(state, set, 'mystery', {}, T)).toBe('stale');
});
