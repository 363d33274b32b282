/**
 * The ProgSnap2 export and import against a real mirror: the committed small class replayed into
 * the daemon in process, exported, checked (every export here goes through the checker), read
 * back. Pseudonyms are stable and never the real ids, and no id or name is anywhere in the folder;
 * export -> import gives the class's own events back; import -> replay -> export gives the same
 * rows, analysis columns included. The CSEDM data set in ../shared imports and replays.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createScratchPostgres, openDatabase, type RosterStudent, type SourceEvent, type Storage } from '@lmdash/core';
import { parseCsv } from '@lmdash/inference';
import { readEventLog } from '@lmdash/fixtures';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkProgsnap2, type CheckResult } from '../src/research/progsnap2/check.ts';
import { CODE_STATES_TABLE, MAIN_COLUMNS, MAIN_TABLE, REQUIRED_COLUMNS } from '../src/research/progsnap2/columns.ts';
import { exportProgsnap2, type ExportOptions } from '../src/research/progsnap2/exportStore.ts';
import { importProgsnap2 } from '../src/research/progsnap2/importLog.ts';
import { exportSecret, pseudonym } from '../src/research/progsnap2/pseudonyms.ts';
import { tick } from '../src/tick/tick.ts';
import type { StartedDaemon } from '../src/daemon.ts';
import { inProcessDaemon, inProcessDaemonOn, type Harness } from './harness.ts';
import { sharedPath } from './shared.ts';

const logs = resolve(import.meta.dir, '../../../fixtures/logs');
const smallEvents: SourceEvent[] = readEventLog(join(logs, 'small.jsonl'));
const smallRoster: RosterStudent[] = JSON.parse(readFileSync(join(logs, 'small.roster.json'), 'utf8'));

const tmp = (): string => mkdtempSync(join(tmpdir(), 'lmdash-ps2-'));

/** A class replayed into a daemon until it settles (as the golden tests replay), with the clock 5 minutes after its last event. */
async function replay(
  events: readonly SourceEvent[],
  roster: readonly RosterStudent[],
  open: (o: Parameters<typeof inProcessDaemon>[0]) => Harness<StartedDaemon> = inProcessDaemon,
  env: Record<string, string> = {},
): Promise<Harness<StartedDaemon>> {
  const now = Math.max(...events.map((e) => Date.parse(e.timestamp))) + 5 * 60_000;
  const h = open({ events, roster, now: () => now, env });
  for (let i = 0; i < 5; i++) await tick(h.ctx);
  return h;
}

/** Exports, and runs the checker on the result (it must pass). */
function exportChecked(storage: Storage, o: Omit<ExportOptions, 'out'>): { dir: string; check: CheckResult } {
  const dir = join(tmp(), 'export');
  exportProgsnap2(storage, { ...o, out: dir });
  const check = checkProgsnap2(dir);
  expect(check.errors).toEqual([]);
  expect(check.ok).toBe(true);
  return { dir, check };
}

type Table = { header: string[]; rows: Record<string, string>[] };
const table = (path: string): Table => {
  const [header, ...rows] = parseCsv(readFileSync(path, 'utf8'));
  return { header: header!, rows: rows.map((r) => Object.fromEntries(header!.map((c, i) => [c, r[i]!]))) };
};
const files = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((p) => statSync(p).isFile());

describe('ProgSnap2 export of the small class', () => {
  let h: Harness<StartedDaemon>;
  const dataDir = tmp();
  const { secret } = exportSecret(dataDir);
  let first: { dir: string; check: CheckResult };
  let main: Table;
  let states: Table;
  beforeAll(async () => {
    h = await replay(smallEvents, smallRoster);
    first = exportChecked(h.ctx.storage, { secret });
    main = table(join(first.dir, MAIN_TABLE));
    states = table(join(first.dir, CODE_STATES_TABLE));
  }, 60_000);
  afterAll(() => {
    h.cleanup();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the required columns, then ours, and every value of the right type', () => {
    expect(main.header).toEqual([...MAIN_COLUMNS]);
    expect(main.header.slice(0, REQUIRED_COLUMNS.length)).toEqual([...REQUIRED_COLUMNS]);
    const codeStates = new Set(states.rows.map((r) => r.CodeStateID));
    const last = new Map<string, { order: number; ts: string }>();
    for (const r of main.rows) {
      expect(r.EventID).not.toBe('');
      expect(r.ServerTimestamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}$/);
      expect(r.ServerTimezone).toBe('0');
      expect(r.ToolInstances).not.toBe('');
      expect(r.CodeStateID === '' || codeStates.has(r.CodeStateID!)).toBe(true);
      const prev = last.get(r.SubjectID!);
      expect(Number(r.Order)).toBeGreaterThan(prev?.order ?? 0);
      if (prev) expect(r.ServerTimestamp! >= prev.ts).toBe(true);
      last.set(r.SubjectID!, { order: Number(r.Order), ts: r.ServerTimestamp! });
    }
    expect(new Set(main.rows.map((r) => r.EventID)).size).toBe(main.rows.length);
  });

  test('every source event is one row of its mapped type; alerts are X-Alert rows', () => {
    const count = (type: string) => main.rows.filter((r) => r.EventType === type).length;
    const source = (type: string, f: (e: SourceEvent) => boolean = () => true) => smallEvents.filter((e) => e.type === type && f(e)).length;
    expect(count('Session.Start')).toBe(source('sessionStart'));
    expect(count('Session.End')).toBe(source('sessionEnd'));
    expect(count('Project.Open')).toBe(source('openProject'));
    expect(count('File.Edit')).toBe(source('editBlocks'));
    expect(count('Run.Program')).toBe(source('runProject'));
    expect(count('X-Run.Error')).toBe(source('stopProject', (e) => (e.data as { reason: string }).reason === 'error'));
    expect(count('X-Run.Stop')).toBe(source('stopProject', (e) => (e.data as { reason: string }).reason !== 'error'));
    expect(count('X-brainConnected')).toBe(source('brainConnected'));
    const alerts = h.ctx.storage.reads.alertsByStatus(null, 1000);
    expect(alerts.length).toBeGreaterThan(0);
    expect(count('X-Alert.Opened')).toBe(alerts.length);
    // A stop points at the run it stops; an error stop scores 0.
    const ids = new Map(main.rows.map((r) => [r.EventID, r]));
    for (const r of main.rows.filter((r) => r.EventType === 'X-Run.Error' || r.EventType === 'X-Run.Stop')) {
      if (r.ParentEventID) expect(ids.get(r.ParentEventID)?.EventType).toBe('Run.Program');
      if (r.EventType === 'X-Run.Error') expect([r.ExecutionResult, r.Score]).toEqual(['Error', '0']);
    }
  });

  test('the run rows carry the projection\'s analysis', () => {
    const { runs, episodes } = h.ctx.storage.projection.readAll();
    const runRows = main.rows.filter((r) => r.EventType === 'Run.Program');
    expect(runRows.length).toBe(runs.length);
    for (const run of runs) {
      const r = runRows.find((x) => x.SubjectID === pseudonym(secret, run.studentId) && x['X-RunIndex'] === String(run.runIndex))!;
      expect(r.EventID).toBe(run.sourceEventId);
      expect(r['X-ChangeScore']).toBe(run.score === null ? '' : String(run.score));
      expect(r['X-Distance']).toBe(run.distance === null ? '' : String(run.distance));
      expect(r['X-State']).toBe(String(run.state));
      expect(r['X-StateName']).toBe(['iterator', 'explorer', 'stuck'][run.state]!);
      expect([r['X-Posterior.Iterator'], r['X-Posterior.Explorer'], r['X-Posterior.Stuck']].map(Number)).toEqual(JSON.parse(run.posterior));
      const episode = episodes.find((e) => e.studentId === run.studentId && e.start <= run.ts && run.ts <= e.end)!;
      expect(r['X-EpisodeID']).toBe(String(episode.episodeIndex));
    }
  });

  test('pseudonyms: a keyed hash, never a real id, and no real id or name anywhere in the folder', () => {
    const subjects = new Set(main.rows.map((r) => r.SubjectID));
    expect(subjects).toEqual(new Set(smallRoster.map((s) => pseudonym(secret, s.id))));
    for (const s of smallRoster) expect(subjects.has(s.id)).toBe(false);
    for (const path of files(first.dir)) {
      const text = readFileSync(path, 'utf8');
      for (const s of smallRoster) {
        expect(text.includes(s.id)).toBe(false);
        expect(text.includes(s.displayName)).toBe(false);
      }
    }
  });

  test('stable across exports from the same mirror (the secret in the data folder); another secret, other pseudonyms', () => {
    const again = exportChecked(h.ctx.storage, { secret: exportSecret(dataDir).secret });
    for (const f of [MAIN_TABLE, CODE_STATES_TABLE]) expect(readFileSync(join(again.dir, f), 'utf8')).toBe(readFileSync(join(first.dir, f), 'utf8'));
    const other = table(join(exportChecked(h.ctx.storage, { secret: Buffer.alloc(32, 1) }).dir, MAIN_TABLE));
    const mine = new Set(main.rows.map((r) => r.SubjectID));
    for (const r of other.rows) expect(mine.has(r.SubjectID)).toBe(false);
    expect(other.rows.length).toBe(main.rows.length);
  });

  test('a window, a cohort, a list of students', () => {
    const start = Date.parse(smallEvents[0]!.timestamp);
    const from = start + 20 * 60_000;
    const to = start + 40 * 60_000;
    const windowed = table(join(exportChecked(h.ctx.storage, { secret, window: { from, to } }).dir, MAIN_TABLE));
    expect(windowed.rows.length).toBeGreaterThan(0);
    for (const r of windowed.rows) expect(Date.parse(`${r.ServerTimestamp}Z`)).toBeGreaterThanOrEqual(from), expect(Date.parse(`${r.ServerTimestamp}Z`)).toBeLessThan(to);
    const one = table(join(exportChecked(h.ctx.storage, { secret, students: ['s-0003'] }).dir, MAIN_TABLE));
    expect(new Set(one.rows.map((r) => r.SubjectID))).toEqual(new Set([pseudonym(secret, 's-0003')]));
    const cohort = exportChecked(h.ctx.storage, { secret, cohort: 'Period 3' });
    expect(cohort.check.rows).toBe(main.rows.length);
    expect(exportChecked(h.ctx.storage, { secret, cohort: 'Nobody' }).check.rows).toBe(0);
  });

  test('an acknowledgement note: its presence only, its text (scrubbed) with notes', () => {
    const alert = h.ctx.storage.reads.alertsByStatus('open', 1)[0]!;
    const name = smallRoster.find((s) => s.id === alert.studentId)!.displayName;
    expect(h.ctx.storage.actions.ack(alert.id, `talked with ${name} (${alert.studentId})`, Date.parse(smallEvents.at(-1)!.timestamp) + 6 * 60_000).ok).toBe(true);
    const without = exportChecked(h.ctx.storage, { secret });
    const acked = table(join(without.dir, MAIN_TABLE)).rows.filter((r) => r.EventType === 'X-Alert.Acknowledged');
    expect(acked.map((r) => [r['X-Alert.HasNote'], r['X-Alert.Note']])).toEqual([['true', '']]);
    expect(readFileSync(join(without.dir, MAIN_TABLE), 'utf8')).not.toContain('talked with');
    const withNotes = table(join(exportChecked(h.ctx.storage, { secret, notes: true }).dir, MAIN_TABLE)).rows.find((r) => r.EventType === 'X-Alert.Acknowledged')!;
    expect(withNotes['X-Alert.Note']).toBe(`talked with [name] (${pseudonym(secret, alert.studentId)})`);
    expect(withNotes.ParentEventID).toMatch(/:opened$/);
  });

  test('round trip: export -> import gives the class\'s events back; import -> replay -> export gives the same rows and analysis', async () => {
    const imported = importProgsnap2(first.dir);
    expect(imported.summary.ours).toBe(true);
    expect(imported.events).toEqual(smallEvents.map((e) => ({ ...e, student: pseudonym(secret, e.student) })));
    expect(imported.roster).toEqual(smallRoster.map((s) => ({ id: pseudonym(secret, s.id), displayName: pseudonym(secret, s.id), classroom: s.classroom })).sort((a, b) => (a.id < b.id ? -1 : 1)));
    const again = await replay(imported.events, imported.roster);
    try {
      // The replayed mirror's ids are the pseudonyms already: exported as they are.
      const second = exportChecked(again.ctx.storage, { secret: null });
      for (const f of [MAIN_TABLE, CODE_STATES_TABLE]) expect(readFileSync(join(second.dir, f), 'utf8')).toBe(readFileSync(join(first.dir, f), 'utf8'));
    } finally {
      again.cleanup();
    }
  }, 60_000);

  test('on PostgreSQL (the paged reads of its adapter), the same files', async () => {
    const pg = createScratchPostgres();
    try {
      const onPg = await replay(smallEvents, smallRoster, (o) => inProcessDaemonOn(pg.url, o));
      try {
        const there = exportChecked(onPg.ctx.storage, { secret });
        for (const f of [MAIN_TABLE, CODE_STATES_TABLE]) expect(readFileSync(join(there.dir, f), 'utf8')).toBe(readFileSync(join(first.dir, f), 'utf8'));
      } finally {
        onPg.cleanup();
      }
    } finally {
      pg.drop();
    }
  }, 120_000);
});

describe('ProgSnap2 export: ids and names inside programs', () => {
  test('the student\'s id and display name are replaced in code states, project names and data; small pages give the same files', () => {
    const { storage, close } = openDatabase(':memory:');
    try {
      const T = Date.UTC(2026, 10, 2, 9);
      const program = (note: string) => `<xml xmlns="https://developers.google.com/blockly/xml"><block type="iq_events_when_started"><comment>${note}</comment></block></xml>`;
      const at = (s: number) => new Date(T + s * 1000).toISOString();
      storage.roster.mirror([{ studentId: 'st-42', displayName: 'Ada Lovelace', classroom: 'Room 1' }], { mode: 'all' }, T);
      storage.log.append(
        [
          { id: 1, student: 'st-42', type: 'sessionStart', timestamp: at(0), data: { client: 'VEXcode IQ', platform: 'IQ', user: 'st-42' } },
          { id: 2, student: 'st-42', type: 'openProject', timestamp: at(1), data: { project: "Ada Lovelace's robot", workspace: program('by Ada Lovelace, st-42') } },
          { id: 3, student: 'st-42', type: 'runProject', timestamp: at(2), data: { project: "Ada Lovelace's robot", workspace: program('st-42 v2'), slot: 1 } },
          { id: 4, student: 'st-42', type: 'noteTaken', timestamp: at(3), data: { text: 'Ada Lovelace said hi' } },
          { id: 'st-42-5', student: 'st-42', type: 'sessionEnd', timestamp: at(4), data: {} },
        ] as SourceEvent[],
        null,
        T,
      );
      const secret = Buffer.alloc(32, 9);
      const p = pseudonym(secret, 'st-42');
      const { dir } = exportChecked(storage, { secret });
      for (const path of files(dir)) {
        const text = readFileSync(path, 'utf8');
        expect(text).not.toContain('st-42');
        expect(text).not.toContain('Ada Lovelace');
      }
      const code = table(join(dir, CODE_STATES_TABLE)).rows.map((r) => r.Code);
      expect(code[0]).toContain(`by [name], ${p}`);
      const rows = table(join(dir, MAIN_TABLE)).rows;
      expect(rows.map((r) => r.ProblemID)).toEqual(['', "[name]'s robot", "[name]'s robot", '', '']);
      expect(rows.map((r) => r.EventType)).toEqual(['Session.Start', 'Project.Open', 'Run.Program', 'X-noteTaken', 'Session.End']);
      expect(rows[0]!['X-Data']).toBe(JSON.stringify({ user: p }));
      expect(rows[3]!['X-Data']).toBe(JSON.stringify({ text: '[name] said hi' }));
      expect(rows[4]!.EventID).toBe(`${p}-5`);
      // Pages of one event: the same files.
      const paged = join(tmp(), 'paged');
      exportProgsnap2(storage, { out: paged, secret, pageSize: 1 });
      for (const f of [MAIN_TABLE, CODE_STATES_TABLE]) expect(readFileSync(join(paged, f), 'utf8')).toBe(readFileSync(join(dir, f), 'utf8'));
      // The folder must be new.
      expect(() => exportProgsnap2(storage, { out: dir, secret })).toThrow(/not empty/);
    } finally {
      close();
    }
  });
});

const csedm = sharedPath('data/blocks/dheerajathrey__CSEDM-challenge');

describe.skipIf(csedm === null)('the CSEDM data set in ../shared imports and replays', () => {
  test('runs, sessions and timing are all there; Python code is carried and flagged; the replay exports a valid data set', async () => {
    const main = table(join(csedm!, 'MainTable.csv'));
    const { events, roster, summary } = importProgsnap2(csedm!);
    expect(summary.ours).toBe(false);
    const subjects = new Set(main.rows.map((r) => r.SubjectID));
    expect(summary.subjects).toBe(subjects.size);
    expect(roster.map((s) => s.id).sort()).toEqual([...subjects].sort());
    // Every Submit is a run, every hint request an event of its own, at the row's time (UTC).
    const runs = events.filter((e) => e.type === 'runProject');
    expect(runs.length).toBe(main.rows.filter((r) => r.EventType === 'Submit').length);
    expect(events.filter((e) => e.type === 'X-HintRequest').length).toBe(main.rows.filter((r) => r.EventType === 'X-HintRequest').length);
    expect(summary.assumedUtc).toBe(main.rows.length);
    const byOriginalId = new Map(events.map((e) => [((e.data as { progsnap2?: { EventID?: string } }).progsnap2?.EventID) ?? '', e]));
    for (const r of main.rows) {
      const e = byOriginalId.get(r.EventID!)!;
      expect(e.student).toBe(r.SubjectID!);
      expect(e.timestamp).toBe(`${r.ServerTimestamp}.000Z`);
      expect((e.data as { project?: string }).project).toBe(r.ProblemID!);
    }
    // Python, not blocks: carried as it is and flagged.
    const codes = new Map(table(join(csedm!, 'CodeState.csv')).rows.map((r) => [r.CodeStateID, r.Code]));
    for (const e of runs) {
      const d = e.data as { workspace: string; codeFormat?: string; progsnap2: { EventID?: string; Correct?: string } };
      expect(d.codeFormat).toBe('text');
      expect(d.workspace).toBe(codes.get(main.rows.find((r) => r.EventID === d.progsnap2.EventID)?.CodeStateID ?? '') ?? '');
    }
    expect(summary.codeStates.notBlocks).toBeGreaterThan(0);
    // Sessions: fabricated, every subject's events inside one.
    for (const s of subjects) {
      const mine = events.filter((e) => e.student === s);
      expect(mine[0]!.type).toBe('sessionStart');
      expect(mine.at(-1)!.type).toBe('sessionEnd');
      expect(mine.filter((e) => e.type === 'sessionStart').length).toBe(mine.filter((e) => e.type === 'sessionEnd').length);
    }
    expect(summary.fabricatedSessions).toBe(events.filter((e) => e.type === 'sessionStart').length);
    // Ids 1..N in time order.
    expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
    for (let i = 1; i < events.length; i++) expect(Date.parse(events[i]!.timestamp)).toBeGreaterThanOrEqual(Date.parse(events[i - 1]!.timestamp));

    // The live system over it: every submission a run (a parse error: not a block program), exported again.
    // The data set spans two months: the first tick mirrors all of it (not only the last BACKFILL_HOURS).
    const h = await replay(events, roster, inProcessDaemon, { BACKFILL_HOURS: String(24 * 120) });
    try {
      const stored = h.ctx.storage.projection.readAll().runs;
      expect(stored.length).toBe(runs.length);
      expect(stored.every((r) => r.parseError !== null)).toBe(true);
      const { check } = exportChecked(h.ctx.storage, { secret: Buffer.alloc(32, 3) });
      expect(check.rows).toBeGreaterThanOrEqual(events.length);
    } finally {
      h.cleanup();
    }
  }, 120_000);
});
