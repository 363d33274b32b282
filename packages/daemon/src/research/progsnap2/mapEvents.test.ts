import { describe, expect, test } from 'bun:test';
import type { AlertRecord, RunRecord } from '@lmdash/core';
import { COL, MAIN_COLUMNS } from './columns.ts';
import { alertKeys, alertPhases, codeStateId, EpisodeCursor, eventIdOf, serverTimestamp, StudentMapper } from './mapEvents.ts';
import { identityOf } from './pseudonyms.ts';

const T = Date.UTC(2026, 10, 2, 9);
const ev = (id: string, type: string, s: number, data: unknown) => ({ sourceEventId: id, type, ts: T + s * 1000, data });
const run = (runIndex: number, sourceEventId: string, over: Partial<RunRecord> = {}): RunRecord => ({
  studentId: 's-1',
  runIndex,
  sourceEventId,
  ts: T,
  project: 'Drive',
  astSize: 12,
  treeHash: 'h',
  distance: 3,
  score: 0.25,
  bucket: 2,
  state: 2,
  posterior: '[0.1,0.2,0.7]',
  parseError: null,
  version: 1,
  ...over,
});
const alert = (id: number, over: Partial<AlertRecord> = {}): AlertRecord => ({
  id,
  studentId: 's-1',
  kind: 'wheelspin',
  status: 'open',
  startedAt: T,
  openedAt: T + 60_000,
  ackedAt: null,
  ackNote: null,
  resolvedAt: null,
  runIndex: null,
  reopenedFrom: null,
  detail: '{}',
  version: 1,
  ...over,
});

function mapper(alerts: AlertRecord[] = [], notes = false) {
  const rows: Record<string, string>[] = [];
  const states: [string, string][] = [];
  let order = 0;
  const who = { ...identityOf(Buffer.alloc(32, 1), 's-1', 'Ada L.'), courseSection: 'Period 3' };
  const m = new StudentMapper(
    who,
    { notes },
    { row: (r) => rows.push(Object.fromEntries(MAIN_COLUMNS.map((c, i) => [c, r[i]!]))), codeState: (id, code) => states.push([id, code]), nextOrder: () => ++order },
    alertKeys(who.subjectId, alerts),
    alerts,
  );
  return { m, rows, states, who };
}

describe('the mapping of events to ProgSnap2 rows', () => {
  test('each source event type to its EventType, with sessions, tools, projects, code states and stops', () => {
    const { m, rows, states, who } = mapper();
    m.event(ev('1', 'sessionStart', 0, { client: 'VEXcode IQ 4.0', platform: 'IQ' }), null, 0);
    m.event(ev('2', 'openProject', 1, { project: 'Drive', workspace: '<xml>a</xml>' }), null, 0);
    m.event(ev('3', 'editBlocks', 2, { project: 'Drive', workspace: '<xml>b</xml>' }), null, 0);
    m.event(ev('4', 'runProject', 3, { project: 'Drive', workspace: '<xml>b</xml>', slot: 2 }), run(0, '4'), 0);
    m.event(ev('5', 'stopProject', 4, { project: 'Drive', reason: 'error' }), null, 0);
    m.event(ev('6', 'stopProject', 5, { project: 'Drive', reason: 'completed' }), null, 0);
    m.event(ev('s:7', 'stopProject', 6, { project: 'Drive', reason: 'user' }), null, null);
    m.event(ev('8', 'brainConnected', 7, { brain: 'IQ' }), null, null);
    m.event(ev('9', 'sessionEnd', 8, {}), null, null);
    m.event(ev('10', 'odd', 9, null), null, null);
    expect(rows.map((r) => r.EventType)).toEqual(['Session.Start', 'Project.Open', 'File.Edit', 'Run.Program', 'X-Run.Error', 'X-Run.Stop', 'X-Run.Stop', 'X-brainConnected', 'Session.End', 'X-odd']);
    expect(rows.map((r) => r.Order)).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9', '10']);
    expect(rows.map((r) => r.SessionID)).toEqual(['1', '1', '1', '1', '1', '1', '1', '1', '1', '']);
    expect(new Set(rows.map((r) => r.SubjectID))).toEqual(new Set([who.subjectId]));
    expect(rows[0]).toMatchObject({ ToolInstances: 'VEXcode IQ 4.0', 'X-Platform': 'IQ', ServerTimestamp: '2026-11-02T09:00:00.000', ServerTimezone: '0', CourseSectionID: 'Period 3', CodeStateID: '' });
    expect(rows[1]).toMatchObject({ ProjectID: 'Drive', ProblemID: 'Drive', CodeStateID: codeStateId(who.subjectId, '<xml>a</xml>') });
    expect(rows[2]).toMatchObject({ EditType: 'GenericEdit', CodeStateID: codeStateId(who.subjectId, '<xml>b</xml>') });
    // Two events with the same program: one code state.
    expect(states.map(([, code]) => code)).toEqual(['<xml>a</xml>', '<xml>b</xml>']);
    expect(rows[3]).toMatchObject({
      'X-Slot': '2',
      'X-RunIndex': '0',
      'X-AstSize': '12',
      'X-Distance': '3',
      'X-ChangeScore': '0.25',
      'X-ChangeBucket': '2',
      'X-State': '2',
      'X-StateName': 'stuck',
      'X-Posterior.Iterator': '0.1',
      'X-Posterior.Explorer': '0.2',
      'X-Posterior.Stuck': '0.7',
      'X-EpisodeID': '0',
      'X-ParseError': '',
    });
    expect(rows[4]).toMatchObject({ ExecutionResult: 'Error', Score: '0', ParentEventID: '4', EventInitiator: 'ToolReaction', CodeStateID: rows[3]!.CodeStateID });
    expect(rows[5]).toMatchObject({ ExecutionResult: 'Success', Score: '', ParentEventID: '4', EventInitiator: 'ToolReaction' });
    expect(rows[6]).toMatchObject({ EventID: '7', ExecutionResult: 'Timeout', EventInitiator: 'UserDirectAction' });
    expect(rows[7]!['X-Data']).toBe('{"brain":"IQ"}');
    expect(rows[9]!['X-Data']).toBe('null');
  });

  test('events before the first Session.Start, and a Session.End without one, belong to a session begun earlier', () => {
    const { m, rows } = mapper();
    m.event(ev('1', 'runProject', 0, { project: 'P', workspace: 'w', slot: 1 }), null, null);
    m.event(ev('2', 'sessionEnd', 1, {}), null, null);
    m.event(ev('3', 'sessionEnd', 2, {}), null, null);
    m.event(ev('4', 'sessionStart', 3, { client: 'c', platform: 'V5' }), null, null);
    expect(rows.map((r) => r.SessionID)).toEqual(['1:earlier', '1:earlier', '3:earlier', '4']);
  });

  test('alerts: rows at their times, ids from what they are, notes only when asked', () => {
    const alerts = [
      alert(7, { kind: 'big_rewrite', runIndex: 0, startedAt: T, openedAt: T + 5000, resolvedAt: T + 9000, status: 'resolved', detail: '{"distance":40}' }),
      alert(9, { startedAt: T, openedAt: T + 6000, ackedAt: T + 7000, ackNote: 'spoke to Ada L.', status: 'acked' }),
      alert(12, { startedAt: T, openedAt: T + 8000, reopenedFrom: 9 }),
    ];
    const phases = alertPhases(alerts);
    expect(phases.map((p) => [p.alert.id, p.phase])).toEqual([
      [7, 'Opened'],
      [9, 'Opened'],
      [9, 'Acknowledged'],
      [12, 'Opened'],
      [7, 'Resolved'],
    ]);
    expect(alertPhases(alerts, { from: T + 6500, to: T + 9000 }).map((p) => p.phase)).toEqual(['Acknowledged', 'Opened']);
    for (const notes of [false, true]) {
      const { m, rows, who } = mapper(alerts, notes);
      m.event(ev('4', 'runProject', 3, { project: 'Drive', workspace: 'w', slot: 1 }), run(0, '4'), null);
      for (const p of phases) m.alert(p);
      const key = `X-Alert:${who.subjectId}:wheelspin:${T}`;
      expect(rows.slice(1).map((r) => r.EventID)).toEqual([`X-Alert:${who.subjectId}:big_rewrite:${T}:0:opened`, `${key}:opened`, `${key}:acknowledged`, `${key}:1:opened`, `X-Alert:${who.subjectId}:big_rewrite:${T}:0:resolved`]);
      expect(rows[1]).toMatchObject({ EventType: 'X-Alert.Opened', ParentEventID: '4', 'X-RunIndex': '0', 'X-Alert.Kind': 'big_rewrite', 'X-Alert.Detail': '{"distance":40}', 'X-Alert.StartedAt': new Date(T).toISOString() });
      expect(rows[3]).toMatchObject({ EventType: 'X-Alert.Acknowledged', ParentEventID: `${key}:opened`, 'X-Alert.HasNote': 'true', 'X-Alert.Note': notes ? 'spoke to [name]' : '', EventInitiator: 'InstructorDirectAction' });
      expect(rows[4]!['X-Alert.ReopenedFrom']).toBe(`${key}:opened`);
    }
  });

  test('helpers: event ids, timestamps, code-state ids per subject, the episode cursor', () => {
    expect(eventIdOf('123')).toBe('123');
    expect(eventIdOf('s:abc')).toBe('abc');
    expect(serverTimestamp(T + 5)).toBe('2026-11-02T09:00:00.005');
    expect(codeStateId('p-a', 'x')).toMatch(/^[0-9a-f]{16}$/);
    expect(codeStateId('p-a', 'x')).not.toBe(codeStateId('p-b', 'x'));
    const c = new EpisodeCursor([
      { episodeIndex: 0, start: 10, end: 20 },
      { episodeIndex: 1, start: 40, end: 50 },
    ]);
    expect([5, 10, 20, 30, 45, 60].map((ts) => c.at(ts))).toEqual([null, 0, 0, null, 1, null]);
    expect(COL.EventID).toBe(0);
  });
});
