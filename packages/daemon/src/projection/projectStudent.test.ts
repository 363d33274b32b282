import { describe, expect, test } from 'bun:test';
import { DistanceCache } from '@lmdash/inference';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { projectStudent, type LogEvent } from './projectStudent.ts';

const logs = resolve(import.meta.dir, '../../../../fixtures/logs');
type Raw = { id: number | string; student: string; type: string; timestamp: string; data: unknown };
type Truth = { student: string; runIndex: number; eventId: number | string; state: number; malformed?: string };

function load(name: string): { byStudent: Map<string, LogEvent[]>; truth: Truth[] } {
  const byStudent = new Map<string, LogEvent[]>();
  for (const line of readFileSync(resolve(logs, `${name}.jsonl`), 'utf8').trim().split('\n')) {
    const e = JSON.parse(line) as Raw;
    if (!byStudent.has(e.student)) byStudent.set(e.student, []);
    byStudent.get(e.student)!.push({ sourceEventId: String(e.id), type: e.type, ts: Date.parse(e.timestamp), data: e.data });
  }
  const truth = readFileSync(resolve(logs, `${name}.truth.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Truth);
  return { byStudent, truth };
}

describe('projectStudent on the committed classroom log', () => {
  const { byStudent, truth } = load('classroom');
  const cache = new DistanceCache();
  const projections = new Map([...byStudent].map(([id, events]) => [id, projectStudent(id, events, { cache, episodeGapMs: 600_000 })]));

  test('one run row per runProject, in order, matching the ground truth rows and their malformed runs', () => {
    for (const [id, p] of projections) {
      const expected = truth.filter((t) => t.student === id);
      expect(p.runs.map((r) => r.sourceEventId)).toEqual(expected.map((t) => String(t.eventId)));
      expect(p.runs.map((r) => r.runIndex)).toEqual(expected.map((t) => t.runIndex));
      expect(p.runs.map((r) => r.parseError !== null)).toEqual(expected.map((t) => t.malformed !== undefined));
      expect(p.card.runCount).toBe(expected.length);
    }
  });

  test('the decoded states recover the hidden states well above chance', () => {
    let right = 0;
    let total = 0;
    for (const t of truth) {
      const run = projections.get(t.student)!.runs[t.runIndex];
      if (run.parseError !== null) continue;
      total++;
      if (run.state === t.state) right++;
    }
    const accuracy = right / total;
    console.log(`classroom log: decoded state = hidden state for ${right}/${total} runs (${(accuracy * 100).toFixed(1)}%)`);
    expect(accuracy).toBeGreaterThan(0.7);
  });

  test('episodes account for every event once; the card reflects the last events', () => {
    for (const [id, p] of projections) {
      const events = byStudent.get(id)!;
      const counted = p.episodes.reduce((sum, e) => sum + (JSON.parse(e.counts) as { events: number }).events, 0);
      expect(counted).toBe(events.length);
      expect(p.card.lastEventAt).toBe(Math.max(...events.map((e) => e.ts)));
      expect(p.card.sessionOpen).toBe(events.at(-1)!.type !== 'sessionEnd');
      if (p.card.state === 2) expect(p.card.stuckStreakRuns).toBeGreaterThan(0);
      else expect(p.card.stuckStreakRuns).toBe(0);
      if (p.card.runCount > 0) expect(p.card.pseudocode === null).toBe(p.runs.every((r) => r.parseError !== null));
    }
  });

  test('the projection is a pure function of the events: same input, same rows, in any input order', () => {
    const [id, events] = [...byStudent][3];
    const a = projectStudent(id, events, { episodeGapMs: 600_000 });
    const b = projectStudent(id, [...events].reverse(), { episodeGapMs: 600_000, cache: new DistanceCache() });
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
  });
});

describe('projectStudent on edge cases', () => {
  test('no events: an empty card', () => {
    const p = projectStudent('s-1', []);
    expect(p.runs).toEqual([]);
    expect(p.episodes).toEqual([]);
    expect(p.card).toMatchObject({ state: null, runCount: 0, sessionOpen: false, pseudocode: null, recentScores: '[]' });
  });

  test('a run without a workspace is stored with a parse error, not a crash', () => {
    const p = projectStudent('s-1', [
      { sourceEventId: '1', type: 'sessionStart', ts: 0, data: { client: 'VEXcode IQ', platform: 'IQ' } },
      { sourceEventId: '2', type: 'runProject', ts: 1000, data: { project: 'A' } },
      { sourceEventId: '3', type: 'mysteryEvent', ts: 2000, data: null },
    ]);
    expect(p.runs).toHaveLength(1);
    expect(p.runs[0].parseError).toMatch(/./);
    expect(p.card).toMatchObject({ runCount: 1, platform: 'IQ', project: 'A', sessionOpen: true, lastEventAt: 2000 });
  });
});
