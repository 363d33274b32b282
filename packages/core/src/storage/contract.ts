/**
 * The storage port's contract, written once: what every adapter must do, asserted through the
 * port alone (no SQL, no adapter internals), so a second adapter runs it unchanged:
 *
 *   describeStoragePort('postgres', () => openPostgresStorage(url));
 *
 * Each test gets a fresh, empty store from `open` (its `close` is called after the test).
 * The single-writer test's second half needs `openAnother` and is left out without it.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import type { SourceEvent } from '../wire/source.ts';
import type { AlertAction, PublishedKeep, Storage, StudentChange } from './port.ts';
import type { ProjectedCard, ProjectedEpisode, ProjectedRun } from './rows.ts';

/** `openAnother`, when the adapter can: a second connection to the SAME store (for the single-writer claim). */
export type OpenedStore = { storage: Storage; close: () => void; openAnother?: () => OpenedStore };

const T0 = Date.UTC(2026, 10, 22, 10);
const ev = (id: number | string, student: string, type: string, sec: number, data: unknown = {}): SourceEvent =>
  ({ id, student, type, timestamp: new Date(T0 + sec * 1000).toISOString(), data }) as SourceEvent;

const card = (studentId: string, over: Partial<ProjectedCard> = {}): ProjectedCard => ({
  studentId,
  state: 0,
  stateSince: T0,
  lastEventAt: T0,
  lastRunAt: T0,
  runCount: 1,
  sessionOpen: true,
  stuckStreakRuns: 0,
  stuckStreakStartedAt: null,
  platform: 'IQ',
  project: 'Drive',
  pseudocode: 'when started',
  prompt: `prompt of ${studentId}`,
  recentScores: '[0.5]',
  ...over,
});
const runRow = (studentId: string, runIndex: number, over: Partial<ProjectedRun> = {}): ProjectedRun => ({
  studentId,
  runIndex,
  sourceEventId: `${studentId}-${runIndex}`,
  ts: T0 + runIndex * 60_000,
  project: 'Drive',
  astSize: 12,
  treeHash: 'h',
  distance: 3,
  score: 0.25,
  bucket: 1,
  state: 0,
  posterior: '[0.8,0.1,0.1]',
  parseError: null,
  ...over,
});
const episodeRow = (studentId: string, episodeIndex: number, over: Partial<ProjectedEpisode> = {}): ProjectedEpisode => ({
  studentId,
  episodeIndex,
  start: T0 + episodeIndex * 3_600_000,
  end: T0 + episodeIndex * 3_600_000 + 600_000,
  project: 'Drive',
  endReason: 'gap',
  counts: '{"events":3}',
  stateMix: '{"iterator":1,"explorer":0,"stuck":0}',
  longestStuckStreak: 0,
  netChange: null,
  ...over,
});
const change = (studentId: string, o: { card?: ProjectedCard | null; runs?: ProjectedRun[]; removeRuns?: number[]; episodes?: ProjectedEpisode[]; removeEpisodes?: number[] } = {}): StudentChange => ({
  studentId,
  card: o.card === undefined ? card(studentId) : o.card,
  runs: { upsert: o.runs ?? [], remove: o.removeRuns ?? [] },
  episodes: { upsert: o.episodes ?? [], remove: o.removeEpisodes ?? [] },
});
const openAlert = (studentId: string, kind: 'wheelspin' | 'inactive' | 'big_rewrite', runIndex: number | null = null): AlertAction => ({
  action: 'open',
  studentId,
  kind,
  startedAt: T0,
  runIndex,
  reopenedFrom: null,
  detail: { runs: 3 },
});
/** The API's default keep rule for an event without a history. */
const KEEP: PublishedKeep = { perName: 1, type: { n: 5_000, bytes: 4 * 1024 * 1024 }, all: { n: 10_000, bytes: 8 * 1024 * 1024 } };
const roster = (...ids: string[]) => ids.map((id, i) => ({ studentId: id, displayName: `Name ${String.fromCharCode(65 + i)}`, classroom: 'Period 3' }));

/** Runs the contract against the adapter `open` makes (a fresh, empty store each time). */
export function describeStoragePort(name: string, open: () => OpenedStore): void {
  describe(`storage port contract: ${name}`, () => {
    let opened: OpenedStore | null = null;
    const fresh = (): Storage => (opened = open()).storage;
    afterEach(() => {
      opened?.close();
      opened = null;
    });

    describe('log', () => {
      test('append is idempotent, stores tracked students only, and counts their data', () => {
        const s = fresh();
        const events = [ev(1, 's-1', 'sessionStart', 0, { platform: 'IQ' }), ev(2, 's-1', 'runProject', 10, { project: 'A' }), ev(3, 's-2', 'runProject', 11)];
        const bytes = JSON.stringify(events[0]!.data).length + JSON.stringify(events[1]!.data).length;
        expect(s.log.append(events, new Set(['s-1']), T0)).toEqual({ inserted: 2, duplicates: 0, students: new Set(['s-1']), bytes });
        expect(s.log.append(events, new Set(['s-1']), T0 + 1)).toEqual({ inserted: 0, duplicates: 2, students: new Set(), bytes });
        expect(s.log.append(events, null, T0 + 2)).toMatchObject({ inserted: 1, duplicates: 2, students: new Set(['s-2']) });
        expect(s.log.students()).toEqual(['s-1', 's-2']);
      });

      test('numeric and string source ids never collide', () => {
        const s = fresh();
        expect(s.log.append([ev(7, 's-1', 'x', 0), ev('7', 's-1', 'x', 1)], null, T0).inserted).toBe(2);
      });

      test('tails, reads after a position, the last position and one event\'s data', () => {
        const s = fresh();
        s.log.append([ev(1, 's-1', 'a', 0, { n: 1 }), ev(2, 's-2', 'b', 5), ev(3, 's-1', 'c', 3, { n: 3 }), ev(4, 's-1', 'd', 9)], null, T0);
        expect(s.log.studentTail('s-1', 10).map((e) => e.sourceEventId)).toEqual(['1', '3', '4']);
        expect(s.log.studentTail('s-1', 2).map((e) => [e.sourceEventId, e.data])).toEqual([['3', { n: 3 }], ['4', {}]]);
        const all = s.log.eventsAfter(0);
        expect(all.map((e) => e.sourceEventId)).toEqual(['1', '2', '3', '4']);
        expect(s.log.lastPosition()).toBe(all.at(-1)!.id);
        expect(s.log.eventsAfter(all[1]!.id).map((e) => [e.studentId, e.type, e.ts])).toEqual([['s-1', 'c', T0 + 3000], ['s-1', 'd', T0 + 9000]]);
        expect(s.log.eventData('1')).toEqual({ n: 1 });
        expect(s.log.eventData('nope')).toBeUndefined();
      });

      test('an empty log: position 0, no students', () => {
        const s = fresh();
        expect(s.log.lastPosition()).toBe(0);
        expect(s.log.students()).toEqual([]);
        expect(s.log.eventsAfter(0)).toEqual([]);
      });

      test('students and their events within a window, in log order', () => {
        const s = fresh();
        s.log.append([ev(1, 's-2', 'a', 0), ev(2, 's-1', 'b', 20), ev(3, 's-1', 'c', 10), ev(4, 's-1', 'd', 10)], null, T0);
        expect(s.log.students({ from: T0 + 5000 })).toEqual(['s-1']);
        expect(s.log.students({ to: T0 + 5000 })).toEqual(['s-2']);
        expect(s.log.studentEvents('s-1').map((e) => e.sourceEventId)).toEqual(['3', '4', '2']);
        expect(s.log.studentEvents('s-1', { from: T0 + 10_000, to: T0 + 20_000 }).map((e) => e.type)).toEqual(['c', 'd']);
      });

      test('a student\'s events a page at a time: the same events as studentEvents, in log order, within the window', () => {
        const s = fresh();
        // Ties on time are broken by storage order; another student's events never show.
        s.log.append([ev(1, 's-1', 'a', 5), ev(2, 's-2', 'x', 1), ev(3, 's-1', 'b', 1), ev(4, 's-1', 'c', 5), ev(5, 's-1', 'd', 9), ev(6, 's-1', 'e', 5)], null, T0);
        const pages = (window?: { from?: number; to?: number }, limit = 2) => {
          const out: string[][] = [];
          for (let page = s.log.studentPage('s-1', null, limit, window); page.length > 0; ) {
            out.push(page.map((e) => e.sourceEventId));
            const last = page.at(-1)!;
            page = s.log.studentPage('s-1', { ts: last.ts, id: last.id }, limit, window);
          }
          return out;
        };
        expect(pages()).toEqual([['3', '1'], ['4', '6'], ['5']]);
        expect(pages().flat()).toEqual(s.log.studentEvents('s-1').map((e) => e.sourceEventId));
        expect(pages({ from: T0 + 5000, to: T0 + 9000 }, 10)).toEqual([['1', '4', '6']]);
        const [first] = s.log.studentPage('s-1', null, 1);
        expect(first).toMatchObject({ studentId: 's-1', sourceEventId: '3', type: 'b', ts: T0 + 1000, data: {} });
        expect(s.log.studentPage('nobody', null, 10)).toEqual([]);
      });

      test('the cursor moves by compare-and-set, never back, never over another writer', () => {
        const s = fresh();
        const start = s.log.readCursor();
        expect(start).toEqual({ lastEventTime: null, lastSourceId: null });
        expect(s.log.advanceCursor(start, { lastEventTime: 100, lastSourceId: '7' }, T0)).toEqual({ ok: true });
        expect(s.log.advanceCursor(start, { lastEventTime: 200, lastSourceId: '8' }, T0)).toEqual({ ok: false, reason: 'moved' });
        expect(s.log.advanceCursor(s.log.readCursor(), { lastEventTime: 50, lastSourceId: '1' }, T0)).toEqual({ ok: false, reason: 'backwards' });
        expect(s.log.advanceCursor(s.log.readCursor(), { lastEventTime: 100, lastSourceId: '9' }, T0)).toEqual({ ok: true });
        expect(s.log.readCursor()).toEqual({ lastEventTime: 100, lastSourceId: '9' });
        expect(s.status.cursorAt()).toBe(100);
      });
    });

    describe('projection', () => {
      test('a tick write bumps the version once and stamps its rows; nothing to write bumps nothing', () => {
        const s = fresh();
        expect(s.status.version()).toEqual({ version: 0, epoch: 0 });
        const c = change('s-1', { runs: [runRow('s-1', 0), runRow('s-1', 1)], episodes: [episodeRow('s-1', 0)] });
        expect(s.projection.writeTick({ changes: [c, change('s-2')], actions: [] }, T0)).toBe(1);
        expect(s.status.version().version).toBe(1);
        expect(s.projection.writeTick({ changes: [change('s-1', { card: null })], actions: [] }, T0)).toBeNull();
        expect(s.status.version().version).toBe(1);
        const all = s.projection.readAll();
        expect(all.cards.map((r) => [r.studentId, r.version])).toEqual(expect.arrayContaining([['s-1', 1], ['s-2', 1]]));
        expect(all.runs.map((r) => r.version)).toEqual([1, 1]);
        expect(all.episodes).toEqual([{ ...episodeRow('s-1', 0), version: 1 }]);
      });

      test('read after write: the rows as stored equal the rows written, without versions', () => {
        const s = fresh();
        const written = { card: card('s-1', { sessionOpen: false, state: null }), runs: [runRow('s-1', 0), runRow('s-1', 1, { parseError: 'too large', distance: null, score: null })], episodes: [episodeRow('s-1', 0)] };
        s.projection.writeTick({ changes: [change('s-1', written)], actions: [] }, T0);
        const back = s.projection.readWritten('s-1');
        expect(back.card).toEqual(written.card);
        expect([...back.runs.entries()]).toEqual([[0, written.runs[0]], [1, written.runs[1]]]);
        expect([...back.episodes.values()]).toEqual(written.episodes);
        expect(s.projection.readWritten('nobody')).toEqual({ card: null, runs: new Map(), episodes: new Map() });
      });

      test('only changed rows take the new version; removed indexes are deleted', () => {
        const s = fresh();
        s.projection.writeTick({ changes: [change('s-1', { runs: [runRow('s-1', 0), runRow('s-1', 1), runRow('s-1', 2)], episodes: [episodeRow('s-1', 0), episodeRow('s-1', 1)] })], actions: [] }, T0);
        expect(s.projection.writeTick({ changes: [change('s-1', { card: null, runs: [runRow('s-1', 1, { state: 2 })], removeRuns: [2], removeEpisodes: [1] })], actions: [] }, T0)).toBe(2);
        const all = s.projection.readAll();
        expect(all.runs.map((r) => [r.runIndex, r.state, r.version]).sort()).toEqual([[0, 0, 1], [1, 2, 2]]);
        expect(all.episodes.map((e) => e.episodeIndex)).toEqual([0]);
        expect(all.cards[0]!.version).toBe(1);
      });

      test('a student\'s runs a page at a time, as stored, by index, within the window', () => {
        const s = fresh();
        const runs = [0, 1, 2, 3, 4].map((i) => runRow('s-1', i, { score: i / 4, posterior: `[${i}]` }));
        s.projection.writeTick({ changes: [change('s-1', { runs }), change('s-2', { runs: [runRow('s-2', 0)] })], actions: [] }, T0);
        const page1 = s.projection.runsPage('s-1', -1, 2);
        expect(page1.map((r) => r.runIndex)).toEqual([0, 1]);
        expect(page1[1]).toEqual({ ...runs[1]!, version: 1 });
        expect(s.projection.runsPage('s-1', 1, 10).map((r) => r.runIndex)).toEqual([2, 3, 4]);
        expect(s.projection.runsPage('s-1', 4, 10)).toEqual([]);
        // Run i is at T0 + i minutes.
        expect(s.projection.runsPage('s-1', -1, 10, { from: T0 + 60_000, to: T0 + 180_000 }).map((r) => r.runIndex)).toEqual([1, 2]);
        expect(s.projection.runsPage('nobody', -1, 10)).toEqual([]);
      });

      test('clear empties the projection and keeps the log', () => {
        const s = fresh();
        s.log.append([ev(1, 's-1', 'x', 0)], null, T0);
        s.projection.writeTick({ changes: [change('s-1', { runs: [runRow('s-1', 0)], episodes: [episodeRow('s-1', 0)] })], actions: [] }, T0);
        s.projection.clear();
        expect(s.projection.readAll()).toMatchObject({ cards: [], runs: [], episodes: [] });
        expect(s.log.students()).toEqual(['s-1']);
      });

      test('alerts open and resolve with the tick\'s version; a big rewrite is stored once per run', () => {
        const s = fresh();
        expect(s.projection.writeTick({ changes: [], actions: [openAlert('s-1', 'big_rewrite', 4), openAlert('s-1', 'wheelspin')] }, T0 + 5)).toBe(1);
        expect(s.projection.writeTick({ changes: [], actions: [openAlert('s-1', 'big_rewrite', 4)] }, T0 + 6)).toBeNull();
        const live = s.projection.liveAlerts().sort((a, b) => a.id - b.id);
        expect(live.map((t) => [t.studentId, t.kind, t.status, t.runIndex, t.startedAt, t.openedAt])).toEqual([
          ['s-1', 'big_rewrite', 'open', 4, T0, T0 + 5],
          ['s-1', 'wheelspin', 'open', null, T0, T0 + 5],
        ]);
        const wheelspin = live[1]!;
        expect(s.projection.writeTick({ changes: [], actions: [{ action: 'resolve', id: wheelspin.id, reason: 'condition-ended' }] }, T0 + 7)).toBe(2);
        expect(s.projection.liveAlerts().map((t) => t.kind)).toEqual(['big_rewrite']);
        expect(s.reads.alertById(wheelspin.id)).toMatchObject({ status: 'resolved', resolvedAt: T0 + 7, openedAt: T0 + 5, version: 2, detail: '{"runs":3}' });
        expect(s.projection.bigRewritesOf('s-1').map((t) => t.runIndex)).toEqual([4]);
        expect(s.projection.bigRewritesOf('s-2')).toEqual([]);
      });

      test('the sweep reads every card\'s alert fields', () => {
        const s = fresh();
        s.projection.writeTick({ changes: [change('s-1', { card: card('s-1', { state: 2, stuckStreakRuns: 4, stuckStreakStartedAt: T0 - 1, sessionOpen: false }) })], actions: [] }, T0);
        expect(s.projection.sweepCards()).toEqual([{ studentId: 's-1', state: 2, stuckStreakRuns: 4, stuckStreakStartedAt: T0 - 1, lastEventAt: T0, sessionOpen: false }]);
      });
    });

    describe('distances', () => {
      test('read what was written, replace a pair, count, evict the oldest first', () => {
        const s = fresh();
        expect(s.distances.read('a>b')).toBeNull();
        s.distances.write(new Map([['a>b', 3], ['b>c', 0]]), 1);
        expect(s.distances.read('a>b')).toBe(3);
        expect(s.distances.read('b>c')).toBe(0);
        s.distances.write(new Map([['c>d', 5]]), 2);
        s.distances.write(new Map([['a>b', 4]]), 3);
        expect(s.distances.read('a>b')).toBe(4);
        expect(s.distances.count()).toBe(3);
        expect(s.distances.evictOldest(1)).toBe(1);
        expect(s.distances.read('b>c')).toBeNull();
        expect(s.distances.count()).toBe(2);
      });
    });

    describe('program summaries', () => {
      test('read the keys that have a row, replace one, count, evict the oldest first', () => {
        const s = fresh();
        expect(s.summaries.readMany(['k1'])).toEqual(new Map());
        expect(s.summaries.readMany([])).toEqual(new Map());
        s.summaries.write(new Map([['k1', '{"a":1}'], ['k2', '{"a":2}']]), 1);
        s.summaries.write(new Map([['k3', '{"a":3}']]), 2);
        s.summaries.write(new Map([['k1', '{"a":4}']]), 3);
        expect(s.summaries.readMany(['k1', 'k2', 'k3', 'k9'])).toEqual(new Map([['k1', '{"a":4}'], ['k2', '{"a":2}'], ['k3', '{"a":3}']]));
        expect(s.summaries.count()).toBe(3);
        expect(s.summaries.evictOldest(1)).toBe(1);
        expect(s.summaries.readMany(['k1', 'k2', 'k3'])).toEqual(new Map([['k1', '{"a":4}'], ['k3', '{"a":3}']]));
        expect(s.summaries.count()).toBe(2);
      });

      test('many keys read at once (more than one statement\'s worth)', () => {
        const s = fresh();
        const keys = Array.from({ length: 1234 }, (_, i) => `key-${i}`);
        s.summaries.write(new Map(keys.filter((_, i) => i % 3 === 0).map((k) => [k, k.toUpperCase()])), 1);
        const found = s.summaries.readMany(keys);
        expect(found.size).toBe(412);
        expect(found.get('key-1233')).toBe('KEY-1233');
        expect(found.has('key-1232')).toBe(false);
      });
    });

    describe('roster and tracking', () => {
      test('track-all tracks the whole roster when nothing is tracked, then newcomers only', () => {
        const s = fresh();
        s.roster.mirror(roster('s-1', 's-2'), { mode: 'all' }, T0);
        expect(s.roster.trackedIds()).toEqual(new Set(['s-1', 's-2']));
        s.actions.untrack(['s-2']);
        s.roster.mirror(roster('s-1', 's-2', 's-3'), { mode: 'all' }, T0 + 1);
        expect(s.roster.trackedIds()).toEqual(new Set(['s-1', 's-3']));
      });

      test('a list tracks those students; the table mode tracks no one; the directory is kept current', () => {
        const s = fresh();
        s.roster.mirror(roster('s-1', 's-2'), { mode: 'table' }, T0);
        expect(s.roster.trackedIds()).toEqual(new Set());
        s.roster.mirror([{ studentId: 's-1', displayName: 'Renamed', classroom: 'P4' }], { mode: 'list', students: ['s-2'] }, T0);
        expect(s.roster.trackedIds()).toEqual(new Set(['s-2']));
        expect(s.roster.search('renamed', 10)).toEqual([{ studentId: 's-1', displayName: 'Renamed', classroom: 'P4', tracked: false, backfilled: false }]);
      });

      test('backfill: tracked students await it until marked', () => {
        const s = fresh();
        s.roster.mirror(roster('s-1', 's-2'), { mode: 'all' }, T0);
        expect(s.roster.awaitingBackfill().sort()).toEqual(['s-1', 's-2']);
        s.roster.markBackfilled('s-1', T0 + 1);
        expect(s.roster.awaitingBackfill()).toEqual(['s-2']);
        expect(s.roster.search('', 10).map((r) => [r.studentId, r.tracked, r.backfilled])).toEqual([['s-1', true, true], ['s-2', true, false]]);
      });

      test('search: case-insensitive substring of name or id, % and _ literal, by name, limited', () => {
        const s = fresh();
        s.roster.mirror(
          [
            { studentId: 'x-1', displayName: 'Zed 100%', classroom: 'A' },
            { studentId: 'x-2', displayName: 'ada_l', classroom: 'A' },
            { studentId: 'ADA-3', displayName: 'Bob', classroom: 'A' },
          ],
          { mode: 'table' },
          T0,
        );
        expect(s.roster.search('ADA', 10).map((r) => r.studentId)).toEqual(['ADA-3', 'x-2']);
        expect(s.roster.search('%', 10).map((r) => r.studentId)).toEqual(['x-1']);
        expect(s.roster.search('_', 10).map((r) => r.studentId)).toEqual(['x-2']);
        expect(s.roster.search('', 2)).toHaveLength(2);
      });
    });

    describe('status', () => {
      test('ticks, health and the model are recorded in meta', () => {
        const s = fresh();
        expect(s.status.meta()).toMatchObject({ version: 0, epoch: 0, health: 'unknown', heartbeatAt: null, tickCount: 0, lastTickMs: null, caughtUpAt: null, modelHash: null });
        s.status.recordTick({ now: T0, tickMs: 12.5, caughtUp: true });
        s.status.recordTick({ now: T0 + 1, tickMs: null, caughtUp: false });
        s.status.recordHealth({ status: 'unhealthy', at: T0 + 2, lastError: 'HTTP 503' });
        s.status.setModelHash('m@1');
        expect(s.status.meta()).toMatchObject({ heartbeatAt: T0 + 1, tickCount: 2, lastTickMs: 12.5, caughtUpAt: T0, health: 'unhealthy', healthChangedAt: T0 + 2, lastError: 'HTTP 503', modelHash: 'm@1' });
        expect(s.projection.readAll().modelHash).toBe('m@1');
        expect(s.status.resetRequestedAt()).toBeNull();
        s.status.checkpoint();
      });

      test('counters: events ever stored (also after a reset), open alerts by kind, tracked students', () => {
        const s = fresh();
        s.roster.mirror(roster('s-1', 's-2'), { mode: 'all' }, T0);
        s.log.append([ev(1, 's-1', 'x', 0), ev(2, 's-1', 'x', 1)], null, T0);
        s.projection.writeTick({ changes: [], actions: [openAlert('s-1', 'wheelspin'), openAlert('s-2', 'wheelspin'), openAlert('s-2', 'inactive')] }, T0);
        const c = s.status.counters();
        expect({ ...c, openAlerts: Object.fromEntries(c.openAlerts) }).toEqual({ eventsIngested: 2, openAlerts: { wheelspin: 2, inactive: 1 }, tracked: 2 });
        s.actions.reset(T0);
        expect(s.status.counters().eventsIngested).toBe(2);
      });
    });

    describe('reads', () => {
      function seeded(): Storage {
        const s = fresh();
        s.roster.mirror(roster('s-1', 's-2', 's-3', 's-4'), { mode: 'list', students: ['s-1', 's-2', 's-3'] }, T0);
        s.projection.writeTick(
          {
            changes: [
              change('s-1', { runs: [runRow('s-1', 0), runRow('s-1', 1, { parseError: 'program too large', state: 2 })], episodes: [episodeRow('s-1', 0), episodeRow('s-1', 1, { endReason: 'sessionEnd' })] }),
              change('s-2', { runs: [runRow('s-2', 0)] }),
              change('s-4', { runs: [runRow('s-4', 0)], episodes: [episodeRow('s-4', 0)] }),
            ],
            actions: [openAlert('s-1', 'wheelspin')],
          },
          T0,
        );
        return s;
      }

      test('cards: tracked students joined with the roster and the latest parse error; a student not projected yet has empty fields', () => {
        const s = seeded();
        const cards = s.reads.cards(null);
        expect(cards.map((c) => c.studentId)).toEqual(['s-1', 's-2', 's-3']);
        expect(cards[0]).toEqual({ ...card('s-1'), pseudocode: undefined, prompt: undefined, displayName: 'Name A', classroom: 'Period 3', lastRunError: 'program too large', version: 1 } as never);
        expect(cards[2]).toMatchObject({ studentId: 's-3', displayName: 'Name C', state: null, runCount: null, sessionOpen: null, version: null, lastRunError: null });
        expect(s.reads.cards(['s-4', 's-4', 'nobody']).map((c) => [c.studentId, c.displayName, c.version])).toEqual([['nobody', null, null], ['s-4', 'Name D', 1]]);
        expect(s.reads.cards([])).toEqual([]);
      });

      test('episode spans and the ribbon', () => {
        const s = seeded();
        expect(s.reads.episodeSpans(null).map((e) => [e.studentId, e.endReason])).toEqual([['s-1', 'gap'], ['s-1', 'sessionEnd']]);
        expect(s.reads.episodeSpans(['s-4']).map((e) => [e.studentId, e.start, e.end])).toEqual([['s-4', T0, T0 + 600_000]]);
        expect(s.reads.ribbon('s-1', Number.MIN_SAFE_INTEGER, 60)).toEqual([{ ts: T0, state: 0 }, { ts: T0 + 60_000, state: 2 }]);
        expect(s.reads.ribbon('s-1', T0 + 1, 60)).toEqual([{ ts: T0 + 60_000, state: 2 }]);
        expect(s.reads.ribbon('s-1', Number.MIN_SAFE_INTEGER, 1)).toEqual([{ ts: T0 + 60_000, state: 2 }]);
      });

      test('recent rows oldest first, without internal columns; rows since a version for tracked students only', () => {
        const s = seeded();
        const { sourceEventId: _s, treeHash: _t, ...wire } = runRow('s-1', 1, { parseError: 'program too large', state: 2 });
        expect(s.reads.recentRuns('s-1', 1)).toEqual([{ ...wire, version: 1 }]);
        expect(s.reads.recentRuns('s-1', 5).map((r) => r.runIndex)).toEqual([0, 1]);
        expect(s.reads.recentEpisodes('s-1', 5)).toEqual([{ ...episodeRow('s-1', 0), version: 1 }, { ...episodeRow('s-1', 1, { endReason: 'sessionEnd' }), version: 1 }]);
        expect(s.reads.runsSince(0).map((r) => [r.studentId, r.runIndex])).toEqual([['s-1', 0], ['s-1', 1], ['s-2', 0]]);
        expect(s.reads.episodesSince(0).map((e) => e.studentId)).toEqual(['s-1', 's-1']);
        expect(s.reads.runsSince(1)).toEqual([]);
        s.projection.writeTick({ changes: [change('s-2', { card: null, runs: [runRow('s-2', 1)] })], actions: [] }, T0);
        expect(s.reads.runsSince(1).map((r) => [r.studentId, r.runIndex, r.version])).toEqual([['s-2', 1, 2]]);
        expect(s.reads.studentsChangedSince(1)).toEqual(new Set(['s-2']));
        expect(s.reads.studentsChangedSince(0)).toEqual(new Set(['s-1', 's-2', 's-4']));
        // Runs, episodes and alerts changed after a version (untracked students' rows too).
        expect(s.reads.rowsChangedSince(1)).toBe(1);
        expect(s.reads.rowsChangedSince(0)).toBe(5 + 3 + 1);
      });

      test('alerts by version, id, student and status; live ones with the recently resolved', () => {
        const s = seeded();
        s.projection.writeTick({ changes: [], actions: [openAlert('s-2', 'inactive')] }, T0 + 10);
        const [a, b] = s.reads.alertsSince(0);
        expect([a!.studentId, b!.studentId]).toEqual(['s-1', 's-2']);
        expect(s.reads.alertsSince(1).map((t) => t.id)).toEqual([b!.id]);
        expect(s.reads.alertById(b!.id)).toEqual({ ...b! });
        expect(s.reads.alertById(9999)).toBeNull();
        s.projection.writeTick({ changes: [], actions: [{ action: 'resolve', id: a!.id, reason: 'condition-ended' }] }, T0 + 20);
        expect(s.reads.alertsOfStudent('s-1', 10).map((t) => t.status)).toEqual(['resolved']);
        expect(s.reads.alertsByStatus('open', 10).map((t) => t.id)).toEqual([b!.id]);
        expect(s.reads.alertsByStatus(null, 10).map((t) => t.id)).toEqual([b!.id, a!.id]);
        expect(s.reads.alertsByStatus(null, 1).map((t) => t.id)).toEqual([b!.id]);
        expect(s.reads.liveAlerts(T0 + 20).map((t) => t.id)).toEqual([a!.id, b!.id]);
        expect(s.reads.liveAlerts(T0 + 21).map((t) => t.id)).toEqual([b!.id]);
      });

      test('presence and the drill-down texts', () => {
        const s = seeded();
        expect(s.reads.presence('s-1')).toEqual({ tracked: true, projected: true });
        expect(s.reads.presence('s-3')).toEqual({ tracked: true, projected: false });
        expect(s.reads.presence('s-4')).toEqual({ tracked: false, projected: true });
        expect(s.reads.presence('nobody')).toEqual({ tracked: false, projected: false });
        expect(s.reads.texts('s-1')).toEqual({ pseudocode: 'when started', prompt: 'prompt of s-1' });
        expect(s.reads.texts('s-3')).toBeNull();
      });

      test('consistent returns what its function returns, and nests', () => {
        const s = seeded();
        expect(s.consistent(() => s.consistent(() => s.status.version().version))).toBe(1);
      });

      test('an ordinary failure is not "busy"', () => {
        const s = fresh();
        expect(s.isBusy(new Error('no such table'))).toBe(false);
        expect(s.isBusy(null)).toBe(false);
      });
    });

    describe('actions', () => {
      function withRoster(): Storage {
        const s = fresh();
        s.roster.mirror(roster('s-1', 's-2', 's-3'), { mode: 'list', students: ['s-1'] }, T0);
        s.projection.writeTick({ changes: [change('s-2')], actions: [] }, T0);
        return s;
      }

      test('track: roster students only, all or nothing; one version bump stamps re-tracked cards', () => {
        const s = withRoster();
        expect(s.actions.track(['s-2', 'nobody', 'ghost'], T0)).toEqual({ ok: false, unknown: ['nobody', 'ghost'] });
        expect(s.status.version().version).toBe(1);
        expect(s.actions.track(['s-2', 's-3', 's-1', 's-2'], T0 + 1)).toEqual({ ok: true, version: 2, tracked: ['s-2', 's-3'], alreadyTracked: ['s-1'] });
        expect(s.projection.readAll().cards.map((c) => [c.studentId, c.version])).toEqual([['s-2', 2]]);
        expect(s.roster.awaitingBackfill().sort()).toEqual(['s-1', 's-2', 's-3']);
        expect(s.actions.track(['s-1'], T0 + 2)).toEqual({ ok: true, version: 2, tracked: [], alreadyTracked: ['s-1'] });
      });

      test('untrack: removes from the allowlist only, bumps the version when it changes something', () => {
        const s = withRoster();
        s.actions.track(['s-2'], T0);
        expect(s.actions.untrack(['s-2', 's-9'])).toEqual({ version: 3, untracked: ['s-2'], notTracked: ['s-9'] });
        expect(s.actions.untrack(['s-2'])).toEqual({ version: 3, untracked: [], notTracked: ['s-2'] });
        expect(s.reads.presence('s-2')).toEqual({ tracked: false, projected: true });
      });

      test('ack: open to acked with a note; again only a new note bumps; resolved and missing refused', () => {
        const s = withRoster();
        s.projection.writeTick({ changes: [], actions: [openAlert('s-1', 'wheelspin'), openAlert('s-1', 'inactive')] }, T0);
        const [a, b] = s.reads.alertsSince(0);
        const acked = s.actions.ack(a!.id, 'seen', T0 + 5);
        expect(acked).toEqual({ ok: true, alert: expect.objectContaining({ id: a!.id, status: 'acked', ackedAt: T0 + 5, ackNote: 'seen', version: 3 }) });
        expect(s.actions.ack(a!.id, undefined, T0 + 6)).toEqual(acked);
        expect(s.actions.ack(a!.id, 'seen', T0 + 6)).toEqual(acked);
        expect(s.status.version().version).toBe(3);
        expect(s.actions.ack(a!.id, 'still stuck', T0 + 7)).toEqual({ ok: true, alert: expect.objectContaining({ status: 'acked', ackedAt: T0 + 5, ackNote: 'still stuck', version: 4 }) });
        s.projection.writeTick({ changes: [], actions: [{ action: 'resolve', id: b!.id, reason: 'condition-ended' }] }, T0);
        expect(s.actions.ack(b!.id, undefined, T0)).toEqual({ ok: false, reason: 'resolved' });
        expect(s.actions.ack(9999, undefined, T0)).toEqual({ ok: false, reason: 'missing' });
      });

      test('reset: wipes log, cursor, allowlist, projection, alerts and published events; keeps the roster; bumps the epoch', () => {
        const s = withRoster();
        s.log.append([ev(1, 's-1', 'x', 0)], null, T0);
        s.log.advanceCursor(s.log.readCursor(), { lastEventTime: 5, lastSourceId: '1' }, T0);
        s.projection.writeTick({ changes: [], actions: [openAlert('s-1', 'wheelspin')] }, T0);
        s.published.append({ type: 'note', name: '', receivedAt: T0, body: '{"type":"note"}' }, KEEP);
        const before = s.status.version();
        expect(s.actions.reset(T0 + 9)).toEqual({ epoch: before.epoch + 1, version: before.version + 1 });
        expect(s.status.resetRequestedAt()).toBe(T0 + 9);
        expect(s.log.students()).toEqual([]);
        expect(s.log.readCursor()).toEqual({ lastEventTime: null, lastSourceId: null });
        expect(s.roster.trackedIds()).toEqual(new Set());
        expect(s.projection.readAll()).toMatchObject({ cards: [], runs: [], episodes: [] });
        expect(s.reads.alertsByStatus(null, 10)).toEqual([]);
        expect(s.published.seqs()).toEqual([]);
        expect(s.roster.search('', 10).map((r) => r.studentId)).toEqual(['s-1', 's-2', 's-3']);
      });
    });

    describe('single writer', () => {
      test('one connection holds the claim until it closes; another on the same store gets false until then', () => {
        const s = fresh();
        expect(s.claimWriter()).toBe(true);
        expect(s.claimWriter()).toBe(true);
        const first = opened!;
        if (!first.openAnother) return; // an in-memory store has no second connection
        const other = first.openAnother();
        try {
          expect(other.storage.claimWriter()).toBe(false);
          first.close();
          opened = null;
          expect(other.storage.claimWriter()).toBe(true);
          expect(other.storage.claimWriter()).toBe(true);
        } finally {
          other.close();
        }
      });
    });

    describe('published', () => {
      test('append gives increasing seqs; the latest per (type, name) are kept; pages and totals', () => {
        const s = fresh();
        const a = s.published.append({ type: 'metric', name: 'acc', receivedAt: 1, body: '{"v":1}' }, KEEP);
        const b = s.published.append({ type: 'metric', name: 'loss', receivedAt: 2, body: '{"v":2}' }, KEEP);
        const c = s.published.append({ type: 'metric', name: 'acc', receivedAt: 3, body: '{"v":"é"}' }, KEEP);
        expect(a < b && b < c).toBe(true);
        expect(s.published.seqs()).toEqual([b, c]);
        expect(s.published.lastSeq()).toBe(c);
        expect(s.published.page(0, c, 10)).toEqual([{ id: b, receivedAt: 2, body: '{"v":2}' }, { id: c, receivedAt: 3, body: '{"v":"é"}' }]);
        expect(s.published.page(b, c, 10).map((r) => r.id)).toEqual([c]);
        expect(s.published.page(0, b, 10).map((r) => r.id)).toEqual([b]);
        expect(s.published.page(0, c, 1).map((r) => r.id)).toEqual([b]);
        // UTF-8 bytes: 'é' is two.
        expect(s.published.totals()).toEqual({ all: { n: 2, bytes: 7 + 10 }, byType: { metric: { n: 2, bytes: 17 } } });
      });

      test('a history per name; type and overall bounds prune the oldest, never the event just stored', () => {
        const s = fresh();
        const keep: PublishedKeep = { perName: 3, type: { n: 4, bytes: 1_000 }, all: { n: 5, bytes: 1_000 } };
        for (let i = 0; i < 5; i++) s.published.append({ type: 'series', name: 'loss', receivedAt: i, body: `{"t":${i}}` }, keep);
        expect(s.published.page(0, 1e9, 10).map((r) => r.body)).toEqual(['{"t":2}', '{"t":3}', '{"t":4}']);
        for (let i = 0; i < 3; i++) s.published.append({ type: 'series', name: `n${i}`, receivedAt: 10 + i, body: `{"n":${i}}` }, keep);
        expect(s.published.totals().byType.series!.n).toBe(4);
        for (let i = 0; i < 3; i++) s.published.append({ type: 'metric', name: `m${i}`, receivedAt: 20 + i, body: `{"m":${i}}` }, keep);
        expect(s.published.totals().all.n).toBe(5);
        const huge = 'x'.repeat(2_000);
        const last = s.published.append({ type: 'blob', name: '', receivedAt: 30, body: `"${huge}"` }, keep);
        expect(s.published.seqs()).toEqual([last]);
      });
    });
  });
}
