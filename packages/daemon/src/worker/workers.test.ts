import { describe, expect, test } from 'bun:test';
import { openDatabase, type SourceEvent } from '@lmdash/core';
import { generateClassroom } from '@lmdash/fixtures';
import { projectStudent } from '../projection/projectStudent.ts';
import { applyChange, diffProjection, type Written } from './diff.ts';
import { keepWhatIsRead, Workers } from './workers.ts';
import { DurableSummaries } from '../durable/programSummaries.ts';

const empty = (): Written => ({ card: null, runs: new Map(), episodes: new Map() });

describe('workers keep only what the projection reads', () => {
  test('an event that is not a run loses its workspace, and keeps the rest of its data', () => {
    const e = { id: 1, sourceEventId: '1', studentId: 's', type: 'editBlocks', ts: 0, data: { project: 'p', reason: 'r', workspace: '<xml/>' } };
    expect(keepWhatIsRead(e).data).toEqual({ project: 'p', reason: 'r' });
    const run = { ...e, type: 'runProject', data: { project: 'p', workspace: '<xml/>' } };
    expect(keepWhatIsRead(run).data).toEqual({ project: 'p', workspace: '<xml/>' });
  });

  test('rows from a worker fed in two halves (rehydrated, then absorbed) equal the projection of the whole log', () => {
    const { events } = generateClassroom({ students: 3, minutes: 40, seed: 11, profile: 'course' });
    const { storage, close } = openDatabase(':memory:');
    const half = Math.floor(events.length / 2);
    storage.log.append(events.slice(0, half) as SourceEvent[], null, 0);
    const workers = new Workers(storage, {});
    const students = [...new Set(events.map((e) => e.student))];
    expect(students.length).toBe(3);
    // What the worker has written so far, per student: its first change, then its second.
    const written = new Map(students.map((s) => [s, empty()]));
    workers.absorb();
    for (const s of students) {
      const c = workers.recompute(s).change!;
      workers.committed([c]);
      applyChange(written.get(s)!, c);
    }
    storage.log.append(events.slice(half) as SourceEvent[], null, 0);
    workers.absorb();
    let edits = 0;
    for (const s of students) {
      applyChange(written.get(s)!, workers.recompute(s).change!);
      const whole = storage.log.studentTail(s, 100_000);
      edits += whole.filter((e) => e.type !== 'runProject' && (e.data as { workspace?: string }).workspace).length;
      const expected = empty();
      applyChange(expected, diffProjection(empty(), projectStudent(s, whole)));
      expect(expected.runs.size).toBeGreaterThan(0);
      expect(written.get(s)).toEqual(expected);
    }
    // The class has edits with workspaces, so dropping them was exercised.
    expect(edits).toBeGreaterThan(0);
    close();
  });

  test('a recompute with nothing new reads no program: the card keeps its pseudo-code', () => {
    const { events } = generateClassroom({ students: 2, minutes: 30, seed: 13, profile: 'course' });
    const { storage, close } = openDatabase(':memory:');
    storage.log.append(events as SourceEvent[], null, 0);
    // No program text kept: a tree read after its recompute would be parsed again from the log.
    const workers = new Workers(storage, {}, { programCacheBytes: 0 });
    const students = [...new Set(events.map((e) => e.student))];
    const first = students.map((s) => workers.recompute(s).change!);
    workers.committed(first);
    const reloads = workers.programs.reloads;
    const none = { upsert: [], remove: [] };
    for (const s of students) expect(workers.recompute(s).change).toEqual({ studentId: s, card: null, runs: none, episodes: none });
    expect(workers.programs.reloads).toBe(reloads);
    expect(first.every((c) => c.card?.pseudocode && c.card.prompt?.includes(c.card.pseudocode.trimEnd()))).toBe(true);
    close();
  });

  test('after a restart, workers take the programs parsed before from their summaries, and write the same rows', () => {
    const { events } = generateClassroom({ students: 3, minutes: 40, seed: 12, profile: 'team' });
    const { storage, close } = openDatabase(':memory:');
    storage.log.append(events as SourceEvent[], null, 0);
    const students = [...new Set(events.map((e) => e.student))];
    const before = new DurableSummaries(storage.summaries, 1000, undefined);
    const first = new Workers(storage, {}, { summaries: before });
    const rows = students.map((s) => first.recompute(s).change);
    expect(before.counts.hits).toBe(0);
    expect(storage.summaries.count()).toBe(0); // not before the flush (the tick's end)
    first.flush(1);
    expect(storage.summaries.count()).toBeGreaterThan(0);
    // A new process: new workers, the same store.
    const after = new DurableSummaries(storage.summaries, 1000, undefined);
    const second = new Workers(storage, {}, { summaries: after });
    expect(students.map((s) => second.recompute(s).change)).toEqual(rows);
    expect(after.counts.misses).toBe(0);
    expect(after.counts.hits).toBe(storage.summaries.count());
    close();
  });
});
