/**
 * The ProgSnap2 checker (`lmdash export --check DIR`): the required files and columns, the types
 * of the columns it knows, EventIDs unique, ParentEventIDs and CodeStateIDs resolvable, Order
 * increasing within its scope (per subject for `Restricted` on SubjectID) with time never going
 * back along it when the metadata says the ordering is consistent. The rules are pure
 * (`MetadataRules`, `MainTableRules`); `checkProgsnap2` reads a folder with them, streaming the
 * tables: memory holds a number per EventID and CodeStateID (a hash) and one entry per subject.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CODE_STATES_TABLE, EDIT_TYPES, EVENT_INITIATORS, EXECUTION_RESULTS, MAIN_TABLE, METADATA, REQUIRED_COLUMNS, SPEC_COLUMNS, SPEC_EVENT_TYPES } from './columns.ts';
import { readCsvFile } from './csv.ts';

export type CheckResult = {
  ok: boolean;
  /** The first errors (at most `MAX_ERRORS`), each naming the file and the row (the header is row 1). */
  errors: string[];
  errorCount: number;
  rows: number;
  subjects: number;
  codeStates: number;
};

export const MAX_ERRORS = 100;

const INTEGER = /^-?\d+$/;
const REAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const BOOLEAN = /^(true|false)$/i;
/** ISO-8601 date and time, optionally with seconds, fractions and an offset. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}(:?\d{2})?)?$/;
/** An offset (`0`, `-300`, `+05:00`, `-0500`), `UTC`/`Z`, or an IANA zone name. */
const TIMEZONE = /^([+-]?\d{1,4}|[+-]\d{2}:?\d{2}|UTC|Z|[A-Za-z_]+(\/[A-Za-z0-9_+-]+)+)$/;

/** Errors, counted, the first ones kept. */
export class Problems {
  readonly list: string[] = [];
  count = 0;
  add(message: string): void {
    this.count++;
    if (this.list.length < MAX_ERRORS) this.list.push(message);
  }
}

/** DatasetMetadata.csv, as `Property,Value` records. */
export function checkMetadata(records: readonly string[][], problems: Problems): Map<string, string> {
  const props = new Map<string, string>();
  const [header, ...rows] = records;
  if (!header || header[0] !== 'Property' || header[1] !== 'Value') problems.add(`${METADATA}:1: the header must be Property,Value`);
  rows.forEach((r, i) => {
    if (r.length < 2) problems.add(`${METADATA}:${i + 2}: expected Property,Value`);
    else if (props.has(r[0]!)) problems.add(`${METADATA}:${i + 2}: ${r[0]} given twice`);
    else props.set(r[0]!, r[1]!);
  });
  const need = (name: string, valid: (v: string) => boolean, expected: string) => {
    const v = props.get(name);
    if (v === undefined) problems.add(`${METADATA}: no ${name}`);
    else if (!valid(v)) problems.add(`${METADATA}: ${name} is ${JSON.stringify(v)}, expected ${expected}`);
  };
  need('Version', (v) => v.trim() !== '', 'a version');
  need('IsEventOrderingConsistent', (v) => BOOLEAN.test(v), 'true or false');
  need('EventOrderScope', (v) => ['Global', 'Restricted', 'None'].includes(v), 'Global, Restricted or None');
  need('CodeStateRepresentation', (v) => ['Table', 'Directory', 'Git'].includes(v), 'Table, Directory or Git');
  if (props.get('EventOrderScope') === 'Restricted' && !props.get('EventOrderScopeColumns')?.trim()) problems.add(`${METADATA}: EventOrderScope is Restricted but EventOrderScopeColumns is empty`);
  return props;
}

type Subject = { order: number; ts: number };

/**
 * What the checker remembers of an id: 53 bits of its hash, a plain number, not the string. A
 * field is a slice of the megabyte chunk it was read from, and a kept slice keeps its whole chunk
 * alive (a million ids held the whole file); a number costs no allocation. Two ids sharing the
 * bits would be reported as a repeat: odds about 6e-5 in a table of a million rows.
 */
export const idKey = (id: string): number => Number(BigInt(Bun.hash(id)) & 0x1fffffffffffffn);
/** A string that no longer shares storage with the chunk it was sliced from. */
const detached = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

/** Optional columns with a type: the rule and what it expects. */
const TYPED: readonly [string, (v: string) => boolean, string][] = [
  ['Score', (v) => REAL.test(v) && Number(v) >= 0 && Number(v) <= 1, 'a number from 0 to 1'],
  ['ExtraCreditScore', (v) => REAL.test(v) && Number(v) >= 0 && Number(v) <= 1, 'a number from 0 to 1'],
  ['Attempt', (v) => INTEGER.test(v), 'an integer'],
  ['ExecutionResult', (v) => EXECUTION_RESULTS.has(v), 'Success, Timeout, Error or TestFailed'],
  ['EventInitiator', (v) => EVENT_INITIATORS.has(v) || v.startsWith('X-'), 'an EventInitiator'],
  ['EditType', (v) => EDIT_TYPES.has(v) || v.startsWith('X-'), 'an EditType'],
  ['AssignmentIsGraded', (v) => BOOLEAN.test(v), 'true or false'],
  ['ProblemIsGraded', (v) => BOOLEAN.test(v), 'true or false'],
  ['IsFabricatedEvent', (v) => BOOLEAN.test(v), 'true or false'],
];

/** A full collection now and then while a big table streams by: its rows are garbage at once, which the collector is slow to notice. */
const COLLECT_EVERY_ROWS = 200_000;
const collect = (i: number): void => {
  if (i > 0 && i % COLLECT_EVERY_ROWS === 0) (globalThis as { Bun?: { gc: (force: boolean) => void } }).Bun?.gc(true);
};

/** The MainTable's rules, fed record by record (the header first). */
export class MainTableRules {
  private columns: string[] = [];
  private at: Record<string, number> = {};
  private readonly eventIds = new Set<number>();
  private readonly parents: [number, number, string][] = [];
  private readonly subjects = new Map<string, Subject>();
  private scopeColumns: number[] = [];
  private readonly scope: string;
  private readonly scopeNames: string[];
  private readonly consistent: boolean;
  rows = 0;

  constructor(
    private readonly problems: Problems,
    metadata: ReadonlyMap<string, string>,
    /** Whether a CodeStateID resolves. */
    private readonly codeStateExists: (id: string) => boolean,
  ) {
    this.scope = metadata.get('EventOrderScope') ?? 'None';
    this.consistent = /^true$/i.test(metadata.get('IsEventOrderingConsistent') ?? '');
    this.scopeNames = (metadata.get('EventOrderScopeColumns') ?? '').split(';').map((s) => s.trim()).filter(Boolean);
  }

  header(fields: readonly string[]): void {
    this.columns = [...fields];
    const seen = new Set<string>();
    for (const c of fields) {
      if (seen.has(c)) this.problems.add(`${MAIN_TABLE}:1: column ${c} given twice`);
      seen.add(c);
      if (!SPEC_COLUMNS.has(c) && !c.startsWith('X-')) this.problems.add(`${MAIN_TABLE}:1: column ${JSON.stringify(c)} is neither a ProgSnap2 column nor an X- column`);
    }
    for (const c of REQUIRED_COLUMNS) if (!seen.has(c)) this.problems.add(`${MAIN_TABLE}:1: no ${c} column (required)`);
    this.at = Object.fromEntries(fields.map((c, i) => [c, i]));
    for (const c of this.scopeNames) if (!seen.has(c)) this.problems.add(`${METADATA}: EventOrderScopeColumns names ${c}, which ${MAIN_TABLE} does not have`);
    this.scopeColumns = this.scopeNames.flatMap((c) => (c in this.at ? [this.at[c]!] : []));
  }

  row(fields: readonly string[], line: number): void {
    this.rows++;
    const where = `${MAIN_TABLE} row ${line}`;
    if (fields.length !== this.columns.length) {
      this.problems.add(`${where}: ${fields.length} fields, the header has ${this.columns.length}`);
      return;
    }
    const get = (c: string): string | undefined => (c in this.at ? fields[this.at[c]!] : undefined);
    const bad = (c: string, expected: string) => this.problems.add(`${where}: ${c} ${JSON.stringify(get(c))} is not ${expected}`);
    for (const c of REQUIRED_COLUMNS) if (c !== 'CodeStateID' && get(c) === '') this.problems.add(`${where}: ${c} is empty`);

    const eventId = get('EventID') ?? '';
    if (eventId !== '') {
      const key = idKey(eventId);
      if (this.eventIds.has(key)) this.problems.add(`${where}: EventID ${JSON.stringify(eventId)} repeats an earlier one`);
      this.eventIds.add(key);
    }
    const type = get('EventType') ?? '';
    if (type !== '' && !SPEC_EVENT_TYPES.has(type) && !type.startsWith('X-')) bad('EventType', 'a ProgSnap2 event type or an X- type');
    if ((type === 'Session.Start' || type === 'Session.End') && !get('SessionID')) this.problems.add(`${where}: ${type} without a SessionID`);

    const order = get('Order');
    if (order !== undefined && order !== '' && !INTEGER.test(order)) bad('Order', 'an integer');
    const timestamp = get('ServerTimestamp');
    const ts = timestamp ? Date.parse(timestamp.replace(' ', 'T')) : NaN;
    if (timestamp && (!TIMESTAMP.test(timestamp) || Number.isNaN(ts))) bad('ServerTimestamp', 'an ISO-8601 timestamp');
    for (const c of ['ServerTimezone', 'ClientTimezone']) {
      const v = get(c);
      if (v && !TIMEZONE.test(v)) bad(c, 'a time zone (an offset, UTC, or a zone name)');
    }
    const client = get('ClientTimestamp');
    if (client && !TIMESTAMP.test(client)) bad('ClientTimestamp', 'an ISO-8601 timestamp');
    const codeState = get('CodeStateID');
    if (codeState && !this.codeStateExists(codeState)) this.problems.add(`${where}: CodeStateID ${JSON.stringify(codeState)} is not among the code states`);
    const parent = get('ParentEventID');
    if (parent) this.parents.push([idKey(parent), line, this.problems.count < MAX_ERRORS ? detached(parent) : '']);

    for (const [c, valid, expected] of TYPED) {
      const v = get(c);
      if (v && !valid(v)) bad(c, expected);
    }

    // Order increases within its scope, and (when the clock is consistent) time does not go back along it.
    if (this.scope !== 'None' && order && INTEGER.test(order)) {
      const key = this.scope === 'Global' ? '' : this.scopeColumns.map((i) => fields[i]).join('\u0000');
      const n = Number(order);
      const prev = this.subjects.get(key);
      if (prev && n <= prev.order) this.problems.add(`${where}: Order ${n} does not increase (the previous row of ${this.scope === 'Global' ? 'the table' : this.scopeNames.join(', ')} ${JSON.stringify(key.replace(/\u0000/g, ', '))} had ${prev.order})`);
      if (prev && this.consistent && !Number.isNaN(ts) && ts < prev.ts) this.problems.add(`${where}: ServerTimestamp ${timestamp} is earlier than the previous row in Order`);
      const next = { order: n, ts: Number.isNaN(ts) ? (prev?.ts ?? -Infinity) : ts };
      if (prev) Object.assign(prev, next);
      else this.subjects.set(detached(key), next);
    }
  }

  finish(): { subjects: number } {
    for (const [key, line, parent] of this.parents) if (!this.eventIds.has(key)) this.problems.add(`${MAIN_TABLE} row ${line}: ParentEventID ${JSON.stringify(parent)} is no EventID of the table`);
    const subjects = new Set<string>();
    if (this.scope === 'Restricted' && this.scopeNames.length === 1 && this.scopeNames[0] === 'SubjectID') for (const k of this.subjects.keys()) subjects.add(k);
    return { subjects: subjects.size };
  }
}

/** Checks a ProgSnap2 folder. */
export function checkProgsnap2(dir: string): CheckResult {
  const problems = new Problems();
  const result = (rows = 0, subjects = 0, codeStates = 0): CheckResult => ({ ok: problems.count === 0, errors: problems.list, errorCount: problems.count, rows, subjects, codeStates });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return problems.add(`${dir}: no such folder`), result();
  for (const f of [MAIN_TABLE, METADATA]) if (!existsSync(join(dir, f))) problems.add(`${f}: missing (required)`);
  if (problems.count > 0) return result();

  const records: string[][] = [];
  readCsvFile(join(dir, METADATA), (r) => void records.push(r));
  const metadata = checkMetadata(records, problems);

  // The code states: their ids (Table), or a lookup of their folders (Directory).
  const representation = metadata.get('CodeStateRepresentation');
  let codeStates = 0;
  let exists: (id: string) => boolean = () => false;
  if (representation === 'Table') {
    const path = join(dir, CODE_STATES_TABLE);
    if (!existsSync(path)) problems.add(`${CODE_STATES_TABLE}: missing (CodeStateRepresentation is Table)`);
    else {
      const ids = new Set<number>();
      let idAt = -1;
      let width = 0;
      readCsvFile(path, (r, i) => {
        collect(i);
        if (i === 0) {
          idAt = r.indexOf('CodeStateID');
          width = r.length;
          if (idAt < 0 || !r.includes('Code')) problems.add(`${CODE_STATES_TABLE}:1: the header must have CodeStateID and Code`);
          return;
        }
        if (r.length !== width) problems.add(`${CODE_STATES_TABLE} row ${i + 1}: ${r.length} fields, the header has ${width}`);
        const id = r[idAt] ?? '';
        if (id === '') problems.add(`${CODE_STATES_TABLE} row ${i + 1}: empty CodeStateID`);
        else if (ids.has(idKey(id))) problems.add(`${CODE_STATES_TABLE} row ${i + 1}: CodeStateID ${JSON.stringify(id)} given twice`);
        ids.add(idKey(id));
      });
      codeStates = ids.size;
      exists = (id) => ids.has(idKey(id));
    }
  } else if (representation === 'Directory') {
    const base = join(dir, 'CodeStates');
    if (!existsSync(base)) problems.add('CodeStates/: missing (CodeStateRepresentation is Directory)');
    else {
      const ids = new Set(readdirSync(base).filter((name) => statSync(join(base, name)).isDirectory() && readdirSync(join(base, name)).length > 0));
      codeStates = ids.size;
      exists = (id) => ids.has(id);
    }
  } else if (representation === 'Git') problems.add(`${METADATA}: CodeStateRepresentation Git is not checked (CodeStateIDs cannot be resolved)`);

  const rules = new MainTableRules(problems, metadata, exists);
  const rows = readCsvFile(join(dir, MAIN_TABLE), (r, i) => (collect(i), i === 0 ? rules.header(r) : rules.row(r, i + 1)));
  if (rows === 0) problems.add(`${MAIN_TABLE}: empty (no header)`);
  const { subjects } = rules.finish();
  return result(rules.rows, subjects, codeStates);
}
