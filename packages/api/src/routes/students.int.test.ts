import { afterEach, describe, expect, test } from 'bun:test';
import { StudentCard, StudentDetail } from '@lmdash/core/wire';
import { applyWrite } from '../../test/daemonWrites.ts';
import { T0, makeApi, type TestApi } from '../../test/unit.ts';

let api: TestApi;
afterEach(() => api.cleanup());

describe('GET /api/students', () => {
  test('lists the tracked students only, with the roster name, as valid cards', async () => {
    api = makeApi();
    const res = await api.request('/api/students');
    expect(res.status).toBe(200);
    const cards = StudentCard.array().parse(await res.json());
    expect(cards.map((c) => [c.studentId, c.displayName])).toEqual([
      ['s-1', 'Ada L.'],
      ['s-2', 'Ben K.'],
      ['s-3', 'Cleo M.'],
    ]);
    const ada = cards[0]!;
    expect(ada).toMatchObject({ state: 2, runCount: 3, sessionOpen: true, classroom: 'Period 3', recentScores: [null, 0.1, 0] });
    expect(ada.ribbon).toEqual([
      { ts: T0, state: 0 },
      { ts: T0 + 60_000, state: 0 },
      { ts: T0 + 120_000, state: 2 },
    ]);
    // Tracked, not projected yet (backfill pending): an empty card.
    expect(cards[2]).toMatchObject({ state: null, runCount: 0, ribbon: [], recentScores: [], version: 0 });
  });

  test("a card carries its latest run's parse error, and only the latest run's", async () => {
    api = makeApi();
    const lastError = (cards: StudentCard[], id: string) => cards.find((c) => c.studentId === id)!.lastRunError;
    let cards = StudentCard.array().parse(await (await api.request('/api/students')).json());
    expect(cards.map((c) => c.lastRunError)).toEqual([null, null, null]);
    const tooLarge = 'program too large: over 5,000 nodes (limit 5,000; LMDASH_MAX_PROGRAM_NODES)';
    const run = api.db.sqlite.query(
      `INSERT INTO run (student_id, run_index, source_event_id, ts, project, ast_size, tree_hash, distance, score, bucket, state, posterior, parse_error, version)
       VALUES ('s-1', ?, ?, ?, 'p', NULL, NULL, NULL, NULL, NULL, 0, '[0,0,0]', ?, 99)`,
    );
    run.run(100, 'e-100', T0 + 1_000_000, tooLarge);
    cards = StudentCard.array().parse(await (await api.request('/api/students')).json());
    expect(lastError(cards, 's-1')).toBe(tooLarge);
    expect(lastError(cards, 's-2')).toBeNull();
    // A later run that parsed: the card no longer warns.
    run.run(101, 'e-101', T0 + 1_001_000, null);
    cards = StudentCard.array().parse(await (await api.request('/api/students')).json());
    expect(lastError(cards, 's-1')).toBeNull();
  });

  test('a student missing from the roster is shown by id', async () => {
    api = makeApi();
    api.db.sqlite.run(`INSERT INTO tracked_student (student_id, added_at) VALUES ('ghost', 0)`);
    const cards = (await (await api.request('/api/students')).json()) as StudentCard[];
    expect(cards.find((c) => c.studentId === 'ghost')).toMatchObject({ displayName: 'ghost', classroom: null });
  });

  test('the ribbon holds the runs of the current session only, at most 60', async () => {
    api = makeApi();
    const runs = Array.from({ length: 80 }, (_, i) => ({ ts: T0 + i * 1000, state: (i % 3) as 0 | 1 | 2 }));
    // Episodes: a session ended after run 9; then two episodes of one session (a project switch, then a short gap).
    applyWrite(api.db.sqlite, {
      op: 'student',
      id: 's-2',
      runs: [...runs, { ts: T0 + 10_000_000, state: 1 }],
      episodes: [
        { start: T0, end: T0 + 9000, endReason: 'session-end' },
        { start: T0 + 10_000, end: T0 + 40_000, endReason: 'project-switch' },
        { start: T0 + 41_000, end: T0 + 79_000, endReason: 'gap' },
        { start: T0 + 79_000 + 600_000, end: T0 + 10_000_000, endReason: 'open' },
      ],
    });
    let card = ((await (await api.request('/api/students')).json()) as StudentCard[]).find((c) => c.studentId === 's-2')!;
    // The gap before the last episode is shorter than the session gap (30 min): the session goes on.
    expect(card.ribbon).toHaveLength(60);
    expect(card.ribbon.at(-1)).toEqual({ ts: T0 + 10_000_000, state: 1 });
    expect(card.ribbon[0]!.ts).toBe(T0 + 21_000);
    applyWrite(api.db.sqlite, {
      op: 'student',
      id: 's-2',
      runs: [...runs, { ts: T0 + 10_000_000, state: 1 }],
      episodes: [
        { start: T0, end: T0 + 9000, endReason: 'session-end' },
        { start: T0 + 10_000, end: T0 + 79_000, endReason: 'gap' },
        { start: T0 + 10_000_000, end: T0 + 10_000_000, endReason: 'open' },
      ],
    });
    card = ((await (await api.request('/api/students')).json()) as StudentCard[]).find((c) => c.studentId === 's-2')!;
    // A silence longer than the session gap starts a new session: one run.
    expect(card.ribbon).toEqual([{ ts: T0 + 10_000_000, state: 1 }]);
  });
});

describe('GET /api/students/:id', () => {
  test('the drill-down: card, runs oldest first, episodes, alerts, pseudo-code and prompt', async () => {
    api = makeApi();
    applyWrite(api.db.sqlite, { op: 'trigger', studentId: 's-1', kind: 'wheelspin', at: T0 });
    const res = await api.request('/api/students/s-1');
    expect(res.status).toBe(200);
    const d = StudentDetail.parse(await res.json());
    expect(d.card.studentId).toBe('s-1');
    expect(d.runs.map((r) => r.runIndex)).toEqual([0, 1, 2]);
    expect(d.runs[0]!.posterior).toEqual([0.8, 0.1, 0.1]);
    expect(d.triggers).toHaveLength(1);
    expect(d.triggers[0]!.detail).toEqual({ runs: 3 });
    expect(d.pseudocode).toBe('when started\n  drive 3');
    expect(d.prompt).toBe('prompt of s-1');
  });

  test('at most 200 recent runs', async () => {
    api = makeApi();
    applyWrite(api.db.sqlite, { op: 'student', id: 's-2', runs: Array.from({ length: 250 }, (_, i) => ({ ts: T0 + i, state: 0 as const })) });
    const d = (await (await api.request('/api/students/s-2')).json()) as StudentDetail;
    expect(d.runs).toHaveLength(200);
    expect(d.runs[0]!.runIndex).toBe(50);
    expect(d.runs.at(-1)!.runIndex).toBe(249);
  });

  test('404 with a reason for an unknown student; untracked but projected still answers', async () => {
    api = makeApi();
    const res = await api.request('/api/students/nobody');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'no tracked or projected student "nobody"' });
    api.db.sqlite.run(`DELETE FROM tracked_student WHERE student_id = 's-1'`);
    expect((await api.request('/api/students/s-1')).status).toBe(200);
    // Not on the roster page (s-4 is in the directory but neither tracked nor projected).
    expect((await api.request('/api/students/s-4')).status).toBe(404);
  });
});
