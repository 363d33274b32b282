import { describe, expect, test } from 'bun:test';
import { projectStudent, type LogEvent } from '../projection/projectStudent.ts';
import { applyChange, diffProjection, isEmpty, type Written } from './diff.ts';

const T0 = Date.UTC(2026, 10, 22, 10);
const xml = (n: number) => `<xml><block type="iq_events_when_started"><next><block type="iq_drivetrain_drive_for"><value name="DISTANCE"><shadow type="math_number"><field name="NUM">${n}</field></shadow></value></block></next></block></xml>`;
const run = (id: number, sec: number, n: number): LogEvent => ({ sourceEventId: String(id), type: 'runProject', ts: T0 + sec * 1000, data: { project: 'A', workspace: xml(n) } });
const empty = (): Written => ({ card: null, runs: new Map(), episodes: new Map() });

describe('diffProjection', () => {
  test('from nothing written, everything is new', () => {
    const p = projectStudent('s-1', [run(1, 0, 100), run(2, 60, 120)]);
    const c = diffProjection(empty(), p);
    expect(c.card).toEqual(p.card);
    expect(c.runs).toEqual({ upsert: p.runs, remove: [] });
    expect(c.episodes.upsert).toEqual(p.episodes);
  });

  test('once applied, the same projection is no change; a new run changes only what it touches', () => {
    const events = [run(1, 0, 100), run(2, 60, 120)];
    const written = empty();
    applyChange(written, diffProjection(written, projectStudent('s-1', events)));
    expect(isEmpty(diffProjection(written, projectStudent('s-1', events)))).toBe(true);
    const next = diffProjection(written, projectStudent('s-1', [...events, run(3, 120, 140)]));
    expect(next.card?.runCount).toBe(3);
    expect(next.runs.upsert.map((r) => r.runIndex)).toContain(2);
    expect(next.runs.remove).toEqual([]);
  });

  test('rows the projection no longer has are removed', () => {
    const written = empty();
    applyChange(written, diffProjection(written, projectStudent('s-1', [run(1, 0, 100), run(2, 60, 120)])));
    const c = diffProjection(written, projectStudent('s-1', [run(1, 0, 100)]));
    expect(c.runs.remove).toEqual([1]);
    applyChange(written, c);
    expect([...written.runs.keys()]).toEqual([0]);
  });

  test("a card's long texts are kept as fingerprints: the same card is no change, a changed prompt is one", () => {
    const events = [run(1, 0, 100), run(2, 60, 120)];
    const p = projectStudent('s-1', events);
    expect(p.card.prompt!.length).toBeGreaterThan(256);
    // As read back from storage (full texts), then as kept after a commit.
    const fromStorage: Written = { card: p.card, runs: new Map(), episodes: new Map() };
    expect(diffProjection(fromStorage, projectStudent('s-1', events)).card).toBeNull();
    const written = empty();
    applyChange(written, diffProjection(written, p));
    expect(written.card!.prompt!.length).toBeLessThan(40);
    expect(diffProjection(written, projectStudent('s-1', events)).card).toBeNull();
    const changed = projectStudent('s-1', events);
    changed.card.prompt = `${changed.card.prompt!.slice(0, -1)}.`;
    expect(diffProjection(written, changed).card?.prompt).toBe(changed.card.prompt);
  });
});
