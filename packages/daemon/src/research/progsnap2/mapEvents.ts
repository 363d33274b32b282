/**
 * One student's stored events, runs, episodes and alerts to ProgSnap2 rows: pure, fed in log
 * order, one event at a time (the export streams; nothing here holds more than the student's
 * current session, their distinct code-state ids and the EventIDs alerts point at).
 *
 * | source event | EventType | notes |
 * |---|---|---|
 * | sessionStart | Session.Start | SessionID = its EventID; ToolInstances = `data.client`; X-Platform |
 * | openProject | Project.Open | ProjectID and ProblemID = `data.project`; its workspace is the CodeState |
 * | editBlocks | File.Edit | EditType GenericEdit; the workspace snapshot is the CodeState |
 * | runProject | Run.Program | the run's analysis in the X- columns; X-Slot |
 * | stopProject (user / completed) | X-Run.Stop | ExecutionResult Timeout / Success; ParentEventID = the run |
 * | stopProject (error) | X-Run.Error | ExecutionResult Error, Score 0; ParentEventID = the run |
 * | sessionEnd | Session.End | |
 * | any other type T | X-T | `data` in X-Data |
 * | alert opened / acknowledged / resolved | X-Alert.Opened / .Acknowledged / .Resolved | see columns.ts |
 */
import { STATE_NAMES } from '@lmdash/inference';
import type { AlertRecord, EpisodeRecord, RunRecord, StoredEvent } from '@lmdash/core';
import { createHash } from 'node:crypto';
import { COL, MAIN_COLUMNS, UNKNOWN_TOOL, UTC_TIMEZONE } from './columns.ts';
import { scrubJson, type Identity } from './pseudonyms.ts';

/** The data keys each known type's columns hold (the rest go to X-Data). */
const MAPPED_KEYS: Record<string, readonly string[]> = {
  sessionStart: ['client', 'platform'],
  openProject: ['project', 'workspace'],
  editBlocks: ['project', 'workspace'],
  runProject: ['project', 'workspace', 'slot'],
  stopProject: ['project', 'reason'],
  sessionEnd: [],
};

/** A source event id as the log stores it (`sourceEventKey`) back to the source's id, as text. */
export function eventIdOf(sourceEventKey: string): string {
  return sourceEventKey.startsWith('s:') ? sourceEventKey.slice(2) : sourceEventKey;
}

/** Epoch ms to the ServerTimestamp form: ISO-8601 in UTC with milliseconds, without an offset (ServerTimezone says UTC). */
export function serverTimestamp(ms: number): string {
  return new Date(ms).toISOString().slice(0, -1);
}

/** A code state's id: 16 hex digits of SHA-256 over the subject and the text (ids are per subject, so a student's states can be written as they come). */
export function codeStateId(subjectId: string, code: string): string {
  return createHash('sha256').update(subjectId).update('\u0000').update(code).digest('hex').slice(0, 16);
}

/** One phase of an alert, placed in the subject's stream at its time. */
export type AlertPhase = { ts: number; phase: 'Opened' | 'Acknowledged' | 'Resolved'; alert: AlertRecord };

/** The phases of a student's alerts inside the window, in time order (ties: by opening, then phase). */
export function alertPhases(alerts: readonly AlertRecord[], window: { from?: number; to?: number } = {}): AlertPhase[] {
  const inWindow = (ts: number) => (window.from === undefined || ts >= window.from) && (window.to === undefined || ts < window.to);
  const phases: AlertPhase[] = [];
  for (const alert of alerts) {
    phases.push({ ts: alert.openedAt, phase: 'Opened', alert });
    if (alert.ackedAt !== null) phases.push({ ts: alert.ackedAt, phase: 'Acknowledged', alert });
    if (alert.resolvedAt !== null) phases.push({ ts: alert.resolvedAt, phase: 'Resolved', alert });
  }
  const rank = { Opened: 0, Acknowledged: 1, Resolved: 2 };
  return phases
    .filter((p) => inWindow(p.ts))
    .sort((a, b) => a.ts - b.ts || a.alert.openedAt - b.alert.openedAt || a.alert.startedAt - b.alert.startedAt || a.alert.id - b.alert.id || rank[a.phase] - rank[b.phase]);
}

/**
 * The EventID of each alert's rows, from what the alert is (subject, kind, when its condition
 * began, the run), not from the store's row id: the same class replayed into another mirror gives
 * the same ids. A re-opened alert with the same start gets a sequence number.
 */
export function alertKeys(subjectId: string, alerts: readonly AlertRecord[]): Map<number, string> {
  const keys = new Map<number, string>();
  const seen = new Map<string, number>();
  for (const a of [...alerts].sort((x, y) => x.openedAt - y.openedAt || x.id - y.id)) {
    const base = `X-Alert:${subjectId}:${a.kind}:${a.startedAt}${a.runIndex === null ? '' : `:${a.runIndex}`}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    keys.set(a.id, n === 0 ? base : `${base}:${n}`);
  }
  return keys;
}

export type MapperOptions = {
  /** Write acknowledgement notes' text (free text) into X-Alert.Note. */
  notes: boolean;
};

export type MapperSinks = {
  row: (row: string[]) => void;
  /** A code state seen for the first time for this subject. */
  codeState: (id: string, code: string) => void;
  /** The file-wide Order: increasing, so increasing within each subject. */
  nextOrder: () => number;
};

const num = (v: number | null | undefined): string => (v === null || v === undefined ? '' : String(v));
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** One student's rows. Feed `event` in log order (with the event's run row and episode, if any) and `alert` phases merged by time. */
export class StudentMapper {
  private session = '';
  private tool = UNKNOWN_TOOL;
  private codeState = '';
  /** The EventID of the latest run of each project, for the stop that follows it. */
  private lastRun = new Map<string, string>();
  /** The EventID of each run of the subject seen so far that an alert points at. */
  private runEvents = new Map<number, string>();
  private codeStates = new Set<string>();
  private seen = false;
  private readonly alertRuns: ReadonlySet<number>;
  rows = 0;

  constructor(
    private readonly who: Identity & { courseSection: string },
    private readonly options: MapperOptions,
    private readonly sinks: MapperSinks,
    /** EventIDs of the subject's alerts (`alertKeys`). */
    private readonly alertIds: ReadonlyMap<number, string> = new Map(),
    alerts: readonly AlertRecord[] = [],
  ) {
    this.alertRuns = new Set(alerts.flatMap((a) => (a.runIndex === null ? [] : [a.runIndex])));
  }

  private newRow(eventId: string, type: string, ts: number): string[] {
    const row = new Array<string>(MAIN_COLUMNS.length).fill('');
    row[COL.EventID] = eventId;
    row[COL.SubjectID] = this.who.subjectId;
    row[COL.Order] = String(this.sinks.nextOrder());
    row[COL.EventType] = type;
    row[COL.ServerTimestamp] = serverTimestamp(ts);
    row[COL.ServerTimezone] = UTC_TIMEZONE;
    row[COL.CourseSectionID] = this.who.courseSection;
    return row;
  }

  private emit(row: string[]): void {
    row[COL.CodeStateID] = this.codeState;
    row[COL.ToolInstances] = this.tool;
    row[COL.SessionID] = this.session;
    this.rows++;
    this.sinks.row(row);
  }

  private setCode(code: string): void {
    const id = codeStateId(this.who.subjectId, code);
    if (!this.codeStates.has(id)) {
      this.codeStates.add(id);
      this.sinks.codeState(id, code);
    }
    this.codeState = id;
  }

  event(e: Pick<StoredEvent, 'sourceEventId' | 'type' | 'ts' | 'data'>, run: RunRecord | null, episode: number | null): void {
    const scrub = this.who.scrub;
    const eventId = scrub(eventIdOf(e.sourceEventId));
    const data = e.data;
    const d = isObject(data) ? data : {};
    const str = (k: string): string => (typeof d[k] === 'string' ? scrub(d[k] as string) : '');
    const known = Object.hasOwn(MAPPED_KEYS, e.type);
    const type = !known
      ? `X-${e.type}`
      : e.type === 'sessionStart'
        ? 'Session.Start'
        : e.type === 'sessionEnd'
          ? 'Session.End'
          : e.type === 'openProject'
            ? 'Project.Open'
            : e.type === 'editBlocks'
              ? 'File.Edit'
              : e.type === 'runProject'
                ? 'Run.Program'
                : d.reason === 'error'
                  ? 'X-Run.Error'
                  : 'X-Run.Stop';
    // Events before the subject's first Session.Start (or a Session.End after none) belong to a
    // session begun before the exported events: it gets an id of its own.
    if (this.session === '' && e.type !== 'sessionStart' && (!this.seen || e.type === 'sessionEnd')) this.session = `${eventId}:earlier`;
    this.seen = true;
    const row = this.newRow(eventId, type, e.ts);
    row[COL.EventInitiator] = 'UserDirectAction';
    if (episode !== null) row[COL['X-EpisodeID']] = String(episode);

    // What no column holds travels as X-Data (all of `data` for a type we do not know).
    const mapped = known ? MAPPED_KEYS[e.type]! : [];
    if (!isObject(data)) row[COL['X-Data']] = JSON.stringify(scrubJson(data ?? null, scrub));
    else {
      const rest = Object.fromEntries(Object.entries(data).filter(([k]) => !mapped.includes(k)));
      if (Object.keys(rest).length > 0) row[COL['X-Data']] = JSON.stringify(scrubJson(rest, scrub));
    }

    const project = known ? str('project') : '';
    if (project !== '') row[COL.ProblemID] = project;
    if (known && typeof d.workspace === 'string') this.setCode(scrub(d.workspace));

    switch (e.type) {
      case 'sessionStart':
        this.session = eventId;
        this.tool = str('client') || UNKNOWN_TOOL;
        this.lastRun.clear();
        row[COL['X-Platform']] = str('platform');
        break;
      case 'openProject':
        row[COL.ProjectID] = project;
        break;
      case 'editBlocks':
        row[COL.EditType] = 'GenericEdit';
        break;
      case 'runProject':
        row[COL['X-Slot']] = typeof d.slot === 'number' ? String(d.slot) : '';
        this.lastRun.set(project, eventId);
        if (run) {
          this.analysis(row, run);
          if (this.alertRuns.has(run.runIndex)) this.runEvents.set(run.runIndex, eventId);
        }
        break;
      case 'stopProject': {
        const reason = d.reason;
        row[COL.ExecutionResult] = reason === 'error' ? 'Error' : reason === 'completed' ? 'Success' : 'Timeout';
        if (reason === 'error') row[COL.Score] = '0';
        if (reason !== 'user') row[COL.EventInitiator] = 'ToolReaction';
        row[COL.ParentEventID] = this.lastRun.get(project) ?? '';
        break;
      }
    }
    this.emit(row);
    if (e.type === 'sessionEnd') (this.session = ''), this.lastRun.clear();
  }

  private analysis(row: string[], run: RunRecord): void {
    row[COL['X-RunIndex']] = String(run.runIndex);
    row[COL['X-AstSize']] = num(run.astSize);
    row[COL['X-Distance']] = num(run.distance);
    row[COL['X-ChangeScore']] = num(run.score);
    row[COL['X-ChangeBucket']] = num(run.bucket);
    row[COL['X-ParseError']] = run.parseError === null ? '' : this.who.scrub(run.parseError);
    row[COL['X-State']] = String(run.state);
    row[COL['X-StateName']] = STATE_NAMES[run.state] ?? '';
    const posterior = JSON.parse(run.posterior) as unknown;
    if (Array.isArray(posterior)) {
      row[COL['X-Posterior.Iterator']] = num(posterior[0] as number);
      row[COL['X-Posterior.Explorer']] = num(posterior[1] as number);
      row[COL['X-Posterior.Stuck']] = num(posterior[2] as number);
    }
  }

  alert(p: AlertPhase): void {
    const a = p.alert;
    const key = this.alertIds.get(a.id) ?? `X-Alert:${this.who.subjectId}:${a.id}`;
    const row = this.newRow(`${key}:${p.phase.toLowerCase()}`, `X-Alert.${p.phase}`, p.ts);
    row[COL['X-Alert.Kind']] = a.kind;
    row[COL['X-Alert.StartedAt']] = new Date(a.startedAt).toISOString();
    if (a.runIndex !== null) row[COL['X-RunIndex']] = String(a.runIndex);
    if (p.phase === 'Opened') {
      row[COL.EventInitiator] = 'ToolReaction';
      row[COL.ParentEventID] = a.runIndex === null ? '' : (this.runEvents.get(a.runIndex) ?? '');
      if (a.reopenedFrom !== null) row[COL['X-Alert.ReopenedFrom']] = this.alertIds.has(a.reopenedFrom) ? `${this.alertIds.get(a.reopenedFrom)}:opened` : '';
      row[COL['X-Alert.Detail']] = JSON.stringify(scrubJson(JSON.parse(a.detail) as unknown, this.who.scrub));
    } else {
      row[COL.ParentEventID] = `${key}:opened`;
      row[COL.EventInitiator] = p.phase === 'Acknowledged' ? 'InstructorDirectAction' : 'ToolReaction';
    }
    if (p.phase === 'Acknowledged') {
      const note = a.ackNote ?? '';
      row[COL['X-Alert.HasNote']] = note.trim() === '' ? 'false' : 'true';
      if (this.options.notes) row[COL['X-Alert.Note']] = this.who.scrub(note);
    }
    this.emit(row);
  }
}

/** The episode an event at `ts` falls in, walking a student's episodes (by index) forward as time goes. */
export class EpisodeCursor {
  private i = 0;
  constructor(private readonly episodes: readonly Pick<EpisodeRecord, 'episodeIndex' | 'start' | 'end'>[]) {}
  at(ts: number): number | null {
    while (this.i < this.episodes.length && this.episodes[this.i]!.end < ts) this.i++;
    const e = this.episodes[this.i];
    return e !== undefined && e.start <= ts ? e.episodeIndex : null;
  }
}
