/**
 * A ProgSnap2 data set to a source log (`lmdash sim --log` replays it) and its roster, so the
 * live system can run over a past data set.
 *
 * Our own exports (DatasetMetadata `X-Producer` = LM Dashboard) come back exactly: the EventIDs
 * are the source's ids, every event type and `data` field is restored from its columns (X-Data
 * holds the rest), the analysis (X- columns, X-Alert.* rows) is left behind: the replay computes
 * it again. Other data sets are mapped as well as they allow: Run.Program and Submit become runs
 * (the unit of the analysis), Session.*, Project.Open and File.Edit their counterparts, any other
 * row an event of its own EventType; events are numbered again 1..N in time order (the original
 * EventID and the row's other columns kept in `data.progsnap2`), and a subject without any
 * Session.Start gets sessions fabricated at gaps of `sessionGapMinutes` (`data.fabricated`).
 * Code that is not a block project (CSEDM's Python) is carried as it is and flagged
 * (`data.codeFormat = "text"`); the daemon then records those runs as parse errors.
 *
 * The whole data set is held in memory (as the simulator holds the log it serves).
 */
import { SourceEvent, formatIssues, type RosterStudent } from '@lmdash/core';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_STATES_TABLE, MAIN_TABLE, METADATA, PRODUCER, PRODUCER_PROPERTY } from './columns.ts';
import { readCsvFile } from './csv.ts';

export type ImportOptions = {
  /** A subject without Session.Start rows gets sessions that end at gaps longer than this (default 30). */
  sessionGapMinutes?: number;
};

export type ImportSummary = {
  /** Whether the data set is an LM Dashboard export (ids and events restored exactly). */
  ours: boolean;
  rows: number;
  subjects: number;
  events: number;
  byType: Record<string, number>;
  /** Rows not turned into events: the analysis of our exports (X-Alert.*). */
  skipped: number;
  codeStates: { carried: number; notBlocks: number; unresolved: number };
  fabricatedSessions: number;
  /** Rows whose timestamp had no offset and no ServerTimezone: read as UTC. */
  assumedUtc: number;
};

export type ImportResult = { events: SourceEvent[]; roster: RosterStudent[]; summary: ImportSummary };

export class ImportError extends Error {
  override readonly name = 'ImportError';
}

/** Whether a text is a block project (VEXcode JSON with a workspace, or Blockly XML). */
export function looksLikeBlocks(code: string): boolean {
  const t = code.trimStart();
  return (t.startsWith('{') && t.includes('"workspace"')) || t.startsWith('<xml') || t.startsWith('<?xml');
}

/** The offset of an IANA zone at a moment, in minutes (east of UTC positive). */
function zoneOffsetMinutes(zone: string, utcMs: number): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
      .formatToParts(new Date(utcMs))
      .map((p) => [p.type, p.value]),
  );
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((local - Math.floor(utcMs / 1000) * 1000) / 60_000);
}

/**
 * A ServerTimestamp (with its ServerTimezone) to epoch ms. An offset in the timestamp wins; else
 * the zone: `0`/`UTC`/`Z`/empty is UTC, `±HH:MM`/`±HHMM` an offset, an integer an offset in hours
 * when within ±14 and in minutes otherwise, a name an IANA zone. Null when unreadable.
 */
export function parseServerTime(timestamp: string, zone: string): { ms: number; assumedUtc: boolean } | null {
  const t = timestamp.trim().replace(' ', 'T');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(t)) return null;
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const ms = Date.parse(t);
    return Number.isNaN(ms) ? null : { ms, assumedUtc: false };
  }
  const asUtc = Date.parse(`${t}Z`);
  if (Number.isNaN(asUtc)) return null;
  const z = zone.trim();
  if (z === '' || z === 'UTC' || z === 'Z') return { ms: asUtc, assumedUtc: z === '' };
  let m: RegExpMatchArray | null;
  if ((m = z.match(/^([+-])(\d{2}):?(\d{2})$/))) return { ms: asUtc - (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000, assumedUtc: false };
  if (/^[+-]?\d+$/.test(z)) {
    const n = Number(z);
    return { ms: asUtc - (Math.abs(n) <= 14 ? n * 60 : n) * 60_000, assumedUtc: false };
  }
  try {
    // The local time's offset, found from a first guess and corrected once (exact away from DST switches).
    const guess = asUtc - zoneOffsetMinutes(z, asUtc) * 60_000;
    return { ms: asUtc - zoneOffsetMinutes(z, guess) * 60_000, assumedUtc: false };
  } catch {
    return null;
  }
}

type Row = { get: (column: string) => string; line: number; fields: ReadonlyMap<string, string> };

/** The code states of a data set, looked up by id (a table read whole, or a folder per state). */
function codeStates(dir: string): (id: string) => string | undefined {
  for (const name of [CODE_STATES_TABLE, 'CodeStates.csv', 'CodeState.csv']) {
    const path = join(dir, name);
    if (!existsSync(path)) continue;
    const table = new Map<string, string>();
    let idAt = -1;
    let codeAt = -1;
    readCsvFile(path, (r, i) => {
      if (i === 0) {
        idAt = r.indexOf('CodeStateID');
        codeAt = r.indexOf('Code');
        if (idAt < 0 || codeAt < 0) throw new ImportError(`${name}: the header must have CodeStateID and Code`);
      } else table.set(r[idAt] ?? '', r[codeAt] ?? '');
    });
    return (id) => table.get(id);
  }
  const base = join(dir, 'CodeStates');
  if (existsSync(base) && statSync(base).isDirectory()) {
    // Directory: the state's files, one alone as it is, several each under a `// <path>` line.
    return (id) => {
      const folder = join(base, id);
      if (!/^[^/\\]+$/.test(id) || id === '.' || id === '..' || !existsSync(folder)) return undefined;
      const files = readdirSync(folder, { recursive: true, encoding: 'utf8' })
        .filter((f) => statSync(join(folder, f)).isFile())
        .sort();
      if (files.length === 1) return readFileSync(join(folder, files[0]!), 'utf8');
      return files.map((f) => `// ${f}\n${readFileSync(join(folder, f), 'utf8')}`).join('\n');
    };
  }
  return () => undefined;
}

const OUR_TYPES: Record<string, string> = {
  'Session.Start': 'sessionStart',
  'Session.End': 'sessionEnd',
  'Project.Open': 'openProject',
  'File.Edit': 'editBlocks',
  'Run.Program': 'runProject',
  'X-Run.Stop': 'stopProject',
  'X-Run.Error': 'stopProject',
};
const FOREIGN_TYPES: Record<string, string> = { ...OUR_TYPES, Submit: 'runProject' };
delete FOREIGN_TYPES['X-Run.Stop'];
delete FOREIGN_TYPES['X-Run.Error'];

/** Columns a foreign row's event is made of; the others travel in `data.progsnap2`. */
const CONSUMED = new Set(['SubjectID', 'EventType', 'ServerTimestamp', 'ServerTimezone', 'CodeStateID', 'ToolInstances', 'ProblemID', 'ProjectID', 'AssignmentID', 'X-Platform', 'X-Slot', 'X-Data']);

type Draft = { subject: string; ms: number; seq: number; order: number; id: number | string | null; type: string; data: unknown; section: string };

/** Reads a ProgSnap2 folder into a source log and roster. */
export function importProgsnap2(dir: string, options: ImportOptions = {}): ImportResult {
  const mainPath = join(dir, MAIN_TABLE);
  if (!existsSync(mainPath)) throw new ImportError(`${mainPath}: missing (a ProgSnap2 data set has a ${MAIN_TABLE})`);
  const metadata = new Map<string, string>();
  if (existsSync(join(dir, METADATA))) readCsvFile(join(dir, METADATA), (r, i) => void (i > 0 && r.length >= 2 && metadata.set(r[0]!, r[1]!)));
  const ours = metadata.get(PRODUCER_PROPERTY) === PRODUCER;
  const codeOf = codeStates(dir);
  const summary: ImportSummary = { ours, rows: 0, subjects: 0, events: 0, byType: {}, skipped: 0, codeStates: { carried: 0, notBlocks: 0, unresolved: 0 }, fabricatedSessions: 0, assumedUtc: 0 };
  const seenCode = new Set<string>();
  const notBlocks = new Set<string>();

  const drafts: Draft[] = [];
  let header: string[] = [];
  readCsvFile(mainPath, (fields, i) => {
    if (i === 0) {
      header = fields;
      for (const c of ['SubjectID', 'EventType', 'ServerTimestamp']) if (!header.includes(c)) throw new ImportError(`${MAIN_TABLE}: no ${c} column`);
      return;
    }
    summary.rows++;
    const map = new Map(header.map((c, k) => [c, fields[k] ?? '']));
    const row: Row = { get: (c) => map.get(c) ?? '', line: i + 1, fields: map };
    const draft = draftOf(row, ours, codeOf, summary, seenCode, notBlocks);
    if (draft) drafts.push({ ...draft, seq: drafts.length });
  });

  // Per subject in time order (then Order, then the file's order); sessions where there are none.
  const bySubject = new Map<string, Draft[]>();
  for (const d of drafts) (bySubject.get(d.subject) ?? bySubject.set(d.subject, []).get(d.subject)!).push(d);
  const gapMs = (options.sessionGapMinutes ?? 30) * 60_000;
  let all: Draft[] = [];
  for (const list of bySubject.values()) {
    list.sort((a, b) => a.ms - b.ms || a.order - b.order || a.seq - b.seq);
    if (!ours && !list.some((d) => d.type === 'sessionStart')) {
      const withSessions: Draft[] = [];
      const fabricated = (type: string, at: Draft, data: Record<string, unknown>): Draft => ({ ...at, id: null, type, data: { ...data, fabricated: true } });
      list.forEach((d, k) => {
        if (k === 0 || d.ms - list[k - 1]!.ms > gapMs) {
          if (k > 0) withSessions.push(fabricated('sessionEnd', list[k - 1]!, {}));
          const tool = ((d.data as { progsnap2?: { ToolInstances?: string } }).progsnap2?.ToolInstances ?? '') || 'unknown';
          withSessions.push(fabricated('sessionStart', d, { client: tool, platform: 'unknown' }));
          summary.fabricatedSessions++;
        }
        withSessions.push(d);
      });
      withSessions.push(fabricated('sessionEnd', list.at(-1)!, {}));
      all.push(...withSessions);
    } else all.push(...list);
  }

  // One log in time order; other data sets are numbered 1..N in that order (ties stay in subject order).
  const sections = new Map<string, string>();
  for (const d of drafts) if (!sections.has(d.subject) && d.section) sections.set(d.subject, d.section);
  const keyed = all.map((d, k) => ({ d, k }));
  keyed.sort((a, b) => a.d.ms - b.d.ms || (ours ? compareIds(a.d.id, b.d.id) : 0) || a.k - b.k);
  all = keyed.map((x) => x.d);
  const events: SourceEvent[] = all.map((d, k) => {
    const raw = { id: ours ? d.id : k + 1, student: d.subject, type: d.type, timestamp: new Date(d.ms).toISOString(), data: d.data };
    const r = SourceEvent.safeParse(raw);
    if (!r.success) throw new ImportError(`${MAIN_TABLE}: subject ${d.subject} at ${raw.timestamp}: not a valid ${d.type} event: ${formatIssues(r.error.issues, { whole: '(event)' })}`);
    summary.byType[d.type] = (summary.byType[d.type] ?? 0) + 1;
    return r.data;
  });
  if (ours) {
    const ids = new Set<string>();
    for (const e of events) {
      const key = `${typeof e.id}:${e.id}`;
      if (ids.has(key)) throw new ImportError(`${MAIN_TABLE}: EventID ${JSON.stringify(e.id)} repeats`);
      ids.add(key);
    }
  }
  summary.events = events.length;
  summary.subjects = bySubject.size;
  summary.codeStates.carried = seenCode.size;
  summary.codeStates.notBlocks = notBlocks.size;
  const roster = [...bySubject.keys()].sort().map((id) => ({ id, displayName: id, classroom: sections.get(id) || 'Imported' }));
  return { events, roster, summary };
}

/** Numbers before strings, as the source orders ids. */
function compareIds(a: number | string | null, b: number | string | null): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'number') return -1;
  if (typeof b === 'number') return 1;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

/** A source event id from an EventID: an integer as a number, anything else as the string. */
export function sourceIdOf(eventId: string): number | string {
  return /^(0|[1-9]\d{0,15})$/.test(eventId) && Number.isSafeInteger(Number(eventId)) ? Number(eventId) : eventId;
}

function draftOf(row: Row, ours: boolean, codeOf: (id: string) => string | undefined, summary: ImportSummary, seenCode: Set<string>, notBlocks: Set<string>): Omit<Draft, 'seq'> | null {
  const type = row.get('EventType');
  if (ours && type.startsWith('X-Alert.')) return summary.skipped++, null;
  const subject = row.get('SubjectID');
  if (subject === '') throw new ImportError(`${MAIN_TABLE} row ${row.line}: empty SubjectID`);
  const time = parseServerTime(row.get('ServerTimestamp'), row.get('ServerTimezone'));
  if (!time) throw new ImportError(`${MAIN_TABLE} row ${row.line}: ServerTimestamp ${JSON.stringify(row.get('ServerTimestamp'))} is not an ISO-8601 time`);
  if (time.assumedUtc) summary.assumedUtc++;
  const order = Number(row.get('Order'));
  const eventId = row.get('EventID');

  let extra: Record<string, unknown> = {};
  const xData = row.get('X-Data');
  let whole: unknown = undefined;
  if (xData !== '') {
    try {
      const parsed = JSON.parse(xData) as unknown;
      if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) extra = parsed as Record<string, unknown>;
      else whole = parsed;
    } catch {
      throw new ImportError(`${MAIN_TABLE} row ${row.line}: X-Data is not JSON`);
    }
  }
  const mapped = (ours ? OUR_TYPES : FOREIGN_TYPES)[type];
  const sourceType = mapped ?? (ours ? (type.startsWith('X-') ? type.slice(2) : type) : type);
  const project = row.get('ProblemID') || row.get('ProjectID') || row.get('AssignmentID');
  const code = (): string => {
    const id = row.get('CodeStateID');
    const text = id === '' ? undefined : codeOf(id);
    if (text === undefined) return summary.codeStates.unresolved++, '';
    seenCode.add(id);
    if (!looksLikeBlocks(text)) notBlocks.add(id);
    return text;
  };
  let data: unknown;
  switch (sourceType) {
    case 'sessionStart':
      data = { client: row.get('ToolInstances'), platform: row.get('X-Platform') || (ours ? '' : 'unknown'), ...extra };
      break;
    case 'sessionEnd':
      data = { ...extra };
      break;
    case 'openProject':
    case 'editBlocks': {
      const workspace = code();
      data = { project, workspace, ...extra };
      break;
    }
    case 'runProject': {
      const workspace = code();
      const slot = Number(row.get('X-Slot'));
      data = { project, workspace, slot: row.get('X-Slot') !== '' && Number.isInteger(slot) ? slot : 1, ...extra };
      break;
    }
    case 'stopProject': {
      const result = row.get('ExecutionResult');
      data = { project, reason: type === 'X-Run.Error' || result === 'Error' ? 'error' : result === 'Success' ? 'completed' : 'user', ...extra };
      break;
    }
    default:
      // Ours: exactly what X-Data held. Another data set's own types keep their problem as `project`.
      data = whole !== undefined ? whole : ours || project === '' ? { ...extra } : { project, ...extra };
  }
  if (!ours && data !== null && typeof data === 'object' && !Array.isArray(data)) {
    // What the row said beyond the event: its original id and type, and its other columns.
    const progsnap2: Record<string, string> = {};
    for (const [c, v] of row.fields) if (v !== '' && !CONSUMED.has(c)) progsnap2[c] = v;
    progsnap2.EventType = type;
    if (row.get('ToolInstances')) progsnap2.ToolInstances = row.get('ToolInstances');
    const d = data as Record<string, unknown>;
    if (typeof d.workspace === 'string' && d.workspace !== '' && !looksLikeBlocks(d.workspace)) d.codeFormat = 'text';
    d.progsnap2 = progsnap2;
  }
  return { subject, ms: time.ms, order: Number.isFinite(order) ? order : 0, id: ours ? sourceIdOf(eventId) : null, type: sourceType, data, section: row.get('CourseSectionID') };
}
