import { describe, expect, test } from 'bun:test';
import { runsFromEvents, type ContextEvent } from './context.ts';

const ev = (type: string, ts: number, data: Record<string, unknown> = {}, id = `${type}@${ts}`): ContextEvent & { id: string } => ({ type, ts, data, id });

describe('runsFromEvents', () => {
  test('each run gets its program, project and key, and the reason of the stop that followed it', () => {
    const runs = runsFromEvents(
      [
        ev('sessionStart', 0),
        ev('openProject', 1, { project: 'A', workspace: '<xml/>' }),
        ev('runProject', 10, { project: 'A', workspace: 'p1' }),
        ev('stopProject', 20, { project: 'A', reason: 'error' }),
        ev('runProject', 30, { project: 'A', workspace: 'p2' }),
        ev('stopProject', 40, { project: 'A', reason: 'completed' }),
        ev('stopProject', 41, { project: 'A', reason: 'error' }),
      ],
      (e) => e.id,
    );
    expect(runs).toEqual([
      { timestamp: 10, project: 'p1', projectName: 'A', key: 'runProject@10', context: { stop: 'error', newSession: false } },
      { timestamp: 30, project: 'p2', projectName: 'A', key: 'runProject@30', context: { stop: 'completed', newSession: false } },
    ]);
  });

  test("a run followed by another run or by the session's end was not stopped; the last run's stop is not known yet", () => {
    const runs = runsFromEvents([ev('runProject', 1, { project: 'A', workspace: 'a' }), ev('runProject', 2, { project: 'A', workspace: 'b' }), ev('sessionEnd', 3), ev('sessionStart', 9), ev('runProject', 10, { project: 'A', workspace: 'c' })]);
    expect(runs.map((r) => r.context)).toEqual([
      { stop: 'none', newSession: false },
      { stop: 'none', newSession: false },
      { stop: null, newSession: true },
    ]);
  });

  test('types outside the source contract are ignored; a stop without a reason counts as stopped by the student', () => {
    const runs = runsFromEvents([ev('runProject', 1, { project: 'A', workspace: 'a' }), ev('hintRequest', 2, { project: 'A' }), ev('brainConnected', 3), ev('stopProject', 4, {}), ev('editBlocks', 5, { project: 'A', workspace: 'b' })]);
    expect(runs).toHaveLength(1);
    expect(runs[0].context).toEqual({ stop: 'user', newSession: false });
    expect(runs[0].key).toBeUndefined();
  });

  test('a session that begins before the first run is no gap to measure', () => {
    expect(runsFromEvents([ev('sessionStart', 0), ev('runProject', 1, { workspace: 'a' })])[0]).toMatchObject({ projectName: null, context: { newSession: false } });
  });
});
