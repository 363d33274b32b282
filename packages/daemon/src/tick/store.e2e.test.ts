/**
 * The log, the cursor and the tick writes as the daemon makes them (projections diffed by the
 * workers), through the storage port on a real SQLite file with the committed migrations.
 * The port's own contract is `@lmdash/core`'s `storage/contract.ts`.
 */
import { describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, sqliteStorage, tables, type Cursor, type Db, type SourceEvent, type TickWrite } from '@lmdash/core';
import { projectStudent, type StudentProjection } from '../projection/projectStudent.ts';
import { diffProjection } from '../worker/diff.ts';

// The daemon's operations, by their old names, over the storage port of `db`.
const port = (db: Db) => sqliteStorage(db);
const ingestEvents = (db: Db, events: readonly SourceEvent[], tracked: ReadonlySet<string> | null, now: number) => port(db).log.append(events, tracked, now);
const readCursor = (db: Db) => port(db).log.readCursor();
const advanceCursor = (db: Db, expected: Cursor, next: Cursor, now: number) => port(db).log.advanceCursor(expected, next, now);
const studentTail = (db: Db, studentId: string, limit: number) => port(db).log.studentTail(studentId, limit);
const readWritten = (db: Db, studentId: string) => port(db).projection.readWritten(studentId);
const writeTick = (db: Db, w: TickWrite, now: number) => port(db).projection.writeTick(w, now);
/** The alerts the rules see for one student: open or acked ones and every big rewrite. */
const triggersOf = (db: Db, studentId: string) =>
  [...port(db).projection.liveAlerts().filter((t) => t.studentId === studentId && t.kind !== 'big_rewrite'), ...port(db).projection.bigRewritesOf(studentId)].sort((a, b) => a.id - b.id);

const T0 = Date.UTC(2026, 10, 22, 10);
const xml = (n: number) => `<xml><block type="iq_events_when_started"><next><block type="iq_drivetrain_drive_for"><value name="DISTANCE"><shadow type="math_number"><field name="NUM">${n}</field></shadow></value></block></next></block></xml>`;
const ev = (id: number, student: string, type: string, sec: number, data: unknown = {}): SourceEvent =>
  ({ id, student, type, timestamp: new Date(T0 + sec * 1000).toISOString(), data }) as SourceEvent;
const runEv = (id: number, student: string, sec: number, n: number) => ev(id, student, 'runProject', sec, { project: 'A', workspace: xml(n), slot: 1 });

describe('the log', () => {
  test('given events, when ingested twice, then each is stored once and only tracked students count', () => {
    const { db } = openDatabase(':memory:');
    const events = [ev(1, 's-1', 'sessionStart', 0, { client: 'IQ', platform: 'IQ' }), runEv(2, 's-1', 10, 100), runEv(3, 's-2', 11, 100)];
    const first = ingestEvents(db, events, new Set(['s-1']), T0);
    const second = ingestEvents(db, events, new Set(['s-1']), T0 + 1);
    // The bytes are those of the tracked student's events' data, stored or found stored.
    const bytes = JSON.stringify(events[0].data).length + JSON.stringify(events[1].data).length;
    expect(first).toEqual({ inserted: 2, duplicates: 0, students: new Set(['s-1']), bytes });
    expect(second).toEqual({ inserted: 0, duplicates: 2, students: new Set(), bytes });
    expect(db.select().from(tables.vexLog).all()).toHaveLength(2);
    expect(studentTail(db, 's-1', 10).map((e) => e.sourceEventId)).toEqual(['1', '2']);
    expect(studentTail(db, 's-1', 1).map((e) => e.sourceEventId)).toEqual(['2']);
  });

  test('the cursor moves forward by compare-and-set, never back, never over another writer', () => {
    const { db } = openDatabase(':memory:');
    const start = readCursor(db);
    expect(start).toEqual({ lastEventTime: null, lastSourceId: null });
    expect(advanceCursor(db, start, { lastEventTime: 100, lastSourceId: '7' }, T0)).toEqual({ ok: true });
    expect(advanceCursor(db, start, { lastEventTime: 200, lastSourceId: '8' }, T0)).toEqual({ ok: false, reason: 'moved' });
    expect(advanceCursor(db, readCursor(db), { lastEventTime: 50, lastSourceId: '1' }, T0)).toEqual({ ok: false, reason: 'backwards' });
    expect(readCursor(db)).toEqual({ lastEventTime: 100, lastSourceId: '7' });
  });
});

describe('tick writes', () => {
  function projected(events: SourceEvent[]) {
    return projectStudent(
      's-1',
      events.map((e) => ({ sourceEventId: String(e.id), type: e.type, ts: Date.parse(e.timestamp), data: e.data })),
      { episodeGapMs: 600_000 },
    );
  }

  // What a cold worker does: diff the projection against the rows as stored.
  const changeOf = (db: Db, p: StudentProjection) => diffProjection(readWritten(db, p.card.studentId), p);

  test('given a projection, when written twice, then the version moves once and rows keep it', () => {
    const { db } = openDatabase(':memory:');
    const p = projected([runEv(1, 's-1', 0, 100), runEv(2, 's-1', 60, 120)]);
    expect(writeTick(db, { changes: [changeOf(db, p)], actions: [] }, T0)).toBe(1);
    // Read back, the stored rows equal the projection: nothing to write, no version bump.
    expect(changeOf(db, p)).toEqual({ studentId: 's-1', card: null, runs: { upsert: [], remove: [] }, episodes: { upsert: [], remove: [] } });
    expect(writeTick(db, { changes: [changeOf(db, p)], actions: [] }, T0)).toBeNull();
    expect(db.select().from(tables.meta).get()?.version).toBe(1);
    expect(db.select().from(tables.run).all().map((r) => [r.runIndex, r.version])).toEqual([[0, 1], [1, 1]]);
    expect(db.select().from(tables.studentState).get()).toMatchObject({ studentId: 's-1', runCount: 2, version: 1 });
  });

  test('given a new run, when written, then only the changed rows carry the new version', () => {
    const { db } = openDatabase(':memory:');
    const runs = [runEv(1, 's-1', 0, 100), runEv(2, 's-1', 60, 120)];
    writeTick(db, { changes: [changeOf(db, projected(runs))], actions: [] }, T0);
    const next = changeOf(db, projected([...runs, runEv(3, 's-1', 120, 140)]));
    expect(next.runs.upsert.map((r) => r.runIndex)).toContain(2);
    writeTick(db, { changes: [next], actions: [] }, T0);
    const versions = db.select().from(tables.run).all().map((r) => r.version);
    expect(versions[2]).toBe(2);
    expect(db.select().from(tables.studentState).get()?.version).toBe(2);
  });

  test('given trigger actions, when written, then alerts open and resolve with the tick\'s version; a big rewrite is stored once', () => {
    const { db } = openDatabase(':memory:');
    const open = { action: 'open', studentId: 's-1', kind: 'big_rewrite', startedAt: T0, runIndex: 4, reopenedFrom: null, detail: { distance: 9 } } as const;
    expect(writeTick(db, { changes: [], actions: [open, { ...open, kind: 'wheelspin', runIndex: null }] }, T0 + 5)).toBe(1);
    // A replayed big rewrite is ignored by the once-per-run index, and wakes no reader.
    expect(writeTick(db, { changes: [], actions: [open] }, T0 + 6)).toBeNull();
    const stored = triggersOf(db, 's-1');
    expect(stored.map((t) => [t.kind, t.status, t.runIndex])).toEqual([['big_rewrite', 'open', 4], ['wheelspin', 'open', null]]);
    const wheelspin = stored.find((t) => t.kind === 'wheelspin')!;
    writeTick(db, { changes: [], actions: [{ action: 'resolve', id: wheelspin.id, reason: 'condition-ended' }] }, T0 + 7);
    const row = db.select().from(tables.triggerEvent).all().find((t) => t.id === wheelspin.id)!;
    expect(row).toMatchObject({ status: 'resolved', resolvedAt: T0 + 7, openedAt: T0 + 5 });
    expect(triggersOf(db, 's-1').map((t) => t.kind)).toEqual(['big_rewrite']);
  });
});

describe('tick writes beside the API', () => {
  test('a tick write waits for another connection\'s write and then succeeds (no SQLITE_BUSY)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmdash-busy-'));
    const file = join(dir, 'lmdash.sqlite');
    const { db, close } = openDatabase(file);
    try {
      // Another process (the API) takes the write lock, bumps the version, commits 400 ms later.
      const holder = Bun.spawn(
        ['bun', '-e', `const { Database } = require('bun:sqlite'); const d = new Database(${JSON.stringify(file)}); d.run('PRAGMA busy_timeout = 5000'); d.run('BEGIN IMMEDIATE'); d.run('UPDATE meta SET version = version + 1'); console.log('locked'); await Bun.sleep(400); d.run('COMMIT');`],
        { stdout: 'pipe' },
      );
      const reader = holder.stdout.getReader();
      expect(new TextDecoder().decode((await reader.read()).value)).toContain('locked');
      const p = projectStudent('s-1', [runEv(1, 's-1', 0, 100)].map((e) => ({ sourceEventId: String(e.id), type: e.type, ts: Date.parse(e.timestamp), data: e.data })));
      const version = writeTick(db, { changes: [diffProjection(readWritten(db, 's-1'), p)], actions: [] }, T0);
      expect(await holder.exited).toBe(0);
      expect(version).toBe(2); // after the other writer's bump, not over it
      expect(db.select().from(tables.studentState).all()).toHaveLength(1);
    } finally {
      close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
