/**
 * A mirror to a ProgSnap2 data set, through the storage port, in bounded memory: students one
 * after another (sorted by SubjectID, so the file does not reveal the order of real ids), each
 * read in one consistent view, a page of events and a page of runs at a time; rows and code
 * states go to their files as they are made. What is held at once: one page of events and one of
 * runs, one student's episodes, alerts and distinct code-state ids, and the list of students.
 *
 * The folder is written as `DIR.partial-<pid>` and renamed to DIR at the end: an export that
 * fails leaves no folder that looks complete.
 */
import type { DirectoryEntry, LogWindow, RunRecord, Storage, StoredEvent } from '@lmdash/core';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  CODE_STATE_COLUMNS,
  CODE_STATES_TABLE,
  MAIN_COLUMNS,
  MAIN_TABLE,
  METADATA,
  PRODUCER,
  PRODUCER_PROPERTY,
  SPEC_VERSION,
  X_COLUMN_DOCS,
  X_EVENT_TYPE_DOCS,
} from './columns.ts';
import { CsvWriter, csvLine } from './csv.ts';
import { alertKeys, alertPhases, EpisodeCursor, StudentMapper } from './mapEvents.ts';
import { identityOf } from './pseudonyms.ts';

export type ExportOptions = {
  out: string;
  window?: LogWindow;
  /** Only students of this roster classroom. */
  cohort?: string;
  /** Only these students (real ids). */
  students?: readonly string[];
  /** The pseudonym secret; null writes real ids (the caller has checked that it may). */
  secret: Buffer | null;
  /** Ack notes' text (free text) in X-Alert.Note. */
  notes?: boolean;
  /** Events read per page (and runs per page). */
  pageSize?: number;
  /** Called after each student (and at the end), with what is done so far. */
  onProgress?: (p: ExportProgress) => void;
};

export type ExportProgress = { students: number; totalStudents: number; events: number; rows: number; codeStates: number };
export type ExportResult = ExportProgress & { alerts: number; bytes: number; out: string; unknownStudents: string[] };

/** Exports the mirror (or the part the options select) to `o.out`, which must not exist or be empty. */
export function exportProgsnap2(storage: Storage, o: ExportOptions): ExportResult {
  if (existsSync(o.out) && readdirSync(o.out).length > 0) throw new Error(`${o.out} exists and is not empty: give a new folder`);
  const window = o.window ?? {};
  const pageSize = o.pageSize ?? 2000;

  // Who is exported: students with events in the window, narrowed by the options.
  const directory = new Map<string, DirectoryEntry>(storage.roster.search('', Number.MAX_SAFE_INTEGER).map((r) => [r.studentId, { studentId: r.studentId, displayName: r.displayName, classroom: r.classroom }]));
  let ids = storage.log.students(window);
  const unknownStudents = o.students ? o.students.filter((s) => !ids.includes(s)) : [];
  if (o.students) {
    const wanted = new Set(o.students);
    ids = ids.filter((s) => wanted.has(s));
  }
  if (o.cohort !== undefined) ids = ids.filter((s) => directory.get(s)?.classroom === o.cohort);
  const students = ids
    .map((id) => ({ id, entry: directory.get(id) ?? null, who: identityOf(o.secret, id, directory.get(id)?.displayName ?? null) }))
    .sort((a, b) => (a.who.subjectId < b.who.subjectId ? -1 : a.who.subjectId > b.who.subjectId ? 1 : 0));

  const partial = `${o.out.replace(/\/+$/, '')}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(join(partial, dirname(CODE_STATES_TABLE)), { recursive: true });
  const main = new CsvWriter(join(partial, MAIN_TABLE));
  const states = new CsvWriter(join(partial, CODE_STATES_TABLE));
  let order = 0;
  const progress: ExportProgress = { students: 0, totalStudents: students.length, events: 0, rows: 0, codeStates: 0 };
  let alerts = 0;
  try {
    main.write(MAIN_COLUMNS);
    states.write(CODE_STATE_COLUMNS);
    for (const s of students) {
      // One view per student: a daemon writing meanwhile cannot tear a student's rows apart.
      storage.consistent(() => {
        const studentAlerts = storage.reads.alertsOfStudent(s.id, Number.MAX_SAFE_INTEGER);
        const mapper = new StudentMapper(
          { ...s.who, courseSection: s.entry?.classroom ?? '' },
          { notes: o.notes ?? false },
          {
            row: (r) => main.write(r),
            codeState: (id, code) => (states.write([id, code]), progress.codeStates++),
            nextOrder: () => ++order,
          },
          alertKeys(s.who.subjectId, studentAlerts),
          studentAlerts,
        );
        const phases = alertPhases(studentAlerts, window);
        alerts += phases.length;
        let nextPhase = 0;
        const episodes = new EpisodeCursor(storage.reads.recentEpisodes(s.id, Number.MAX_SAFE_INTEGER));
        const runs = runReader(storage, s.id, pageSize, window);
        let page: StoredEvent[] = storage.log.studentPage(s.id, null, pageSize, window);
        while (page.length > 0) {
          for (const e of page) {
            // Alerts at or before this event's time come first only when strictly earlier.
            while (nextPhase < phases.length && phases[nextPhase]!.ts < e.ts) mapper.alert(phases[nextPhase++]!);
            mapper.event(e, e.type === 'runProject' ? runs.take(e) : null, episodes.at(e.ts));
            progress.events++;
          }
          const last = page.at(-1)!;
          page = page.length < pageSize ? [] : storage.log.studentPage(s.id, { ts: last.ts, id: last.id }, pageSize, window);
        }
        while (nextPhase < phases.length) mapper.alert(phases[nextPhase++]!);
        progress.rows += mapper.rows;
      });
      progress.students++;
      o.onProgress?.({ ...progress });
    }
  } catch (e) {
    main.close();
    states.close();
    rmSync(partial, { recursive: true, force: true });
    throw e;
  }
  main.close();
  states.close();
  writeFileSync(join(partial, METADATA), metadata(o, storage.status.meta().modelHash), { mode: 0o600 });
  writeFileSync(join(partial, 'README.md'), readme(o), { mode: 0o600 });
  if (existsSync(o.out)) rmSync(o.out, { recursive: true });
  renameSync(partial, o.out);
  return { ...progress, alerts, bytes: main.bytes + states.bytes, out: o.out, unknownStudents };
}

/** A student's runs in index order, read a page at a time, handed out by the runProject event they belong to. */
function runReader(storage: Storage, studentId: string, pageSize: number, window: LogWindow): { take: (e: StoredEvent) => RunRecord | null } {
  let buffer: RunRecord[] = [];
  let at = 0;
  let lastIndex = -1;
  let done = false;
  const front = (): RunRecord | undefined => {
    if (at >= buffer.length && !done) {
      buffer = storage.projection.runsPage(studentId, lastIndex, pageSize, window);
      at = 0;
      if (buffer.length < pageSize) done = true;
      if (buffer.length > 0) lastIndex = buffer.at(-1)!.runIndex;
    }
    return buffer[at];
  };
  return {
    take(e) {
      // Runs come in the order of their events; a run whose event is earlier (never expected) is passed over.
      for (let r = front(); r !== undefined; r = front()) {
        if (r.sourceEventId === e.sourceEventId) return at++, r;
        if (r.ts < e.ts) at++;
        else return null;
      }
      return null;
    },
  };
}

function metadata(o: ExportOptions, modelHash: string | null): string {
  const w = o.window ?? {};
  const rows: [string, string][] = [
    ['Version', SPEC_VERSION],
    ['IsEventOrderingConsistent', 'true'],
    ['EventOrderScope', 'Restricted'],
    ['EventOrderScopeColumns', 'SubjectID'],
    ['CodeStateRepresentation', 'Table'],
    [PRODUCER_PROPERTY, PRODUCER],
    ['X-SubjectIDs', o.secret ? 'pseudonyms: p- + HMAC-SHA256 of the student id under the mirror\'s export secret (80 bits)' : 'real student ids (--real-ids)'],
    ['X-Model', modelHash ?? ''],
    ['X-From', w.from === undefined ? '' : new Date(w.from).toISOString()],
    ['X-To', w.to === undefined ? '' : new Date(w.to).toISOString()],
    ['X-Cohort', o.cohort ?? ''],
    ['X-Notes', o.notes ? 'included' : 'left out'],
  ];
  return [csvLine(['Property', 'Value']), ...rows.map((r) => csvLine(r))].join('');
}

function readme(o: ExportOptions): string {
  return [
    `# A ProgSnap2 data set exported by ${PRODUCER}`,
    '',
    `ProgSnap2 (cssplice.github.io/progsnap2), version ${SPEC_VERSION} columns: ${MAIN_TABLE}, ${METADATA}, and the code states as a table in ${CODE_STATES_TABLE} (CodeStateID, Code: the block project text as the editor saved it, VEXcode JSON or Blockly XML). Timestamps are UTC (ServerTimezone 0). Order increases within each SubjectID.`,
    '',
    o.secret
      ? 'SubjectIDs are pseudonyms (a keyed hash of the student id); exact occurrences of a student\'s id and display name in any text were replaced (by the pseudonym, and by `[name]`). Names are not exported.'
      : 'SubjectIDs are the real student ids (exported with --real-ids); display names were still replaced by `[name]` in any text.',
    '',
    '## Custom event types',
    '',
    '| EventType | meaning |',
    '|---|---|',
    ...Object.entries(X_EVENT_TYPE_DOCS).map(([k, v]) => `| ${k} | ${v} |`),
    '',
    '## Custom columns',
    '',
    '| column | meaning |',
    '|---|---|',
    ...Object.entries(X_COLUMN_DOCS).map(([k, v]) => `| ${k} | ${v} |`),
    '',
  ].join('\n');
}
