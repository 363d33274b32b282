/**
 * The ProgSnap2 vocabulary the export writes and the checker and the import read: the MainTable's
 * columns in the order they are written (the spec's required ones, the optional ones the mirror
 * supports, then our documented `X-` columns), the event types, the metadata. The spec (version
 * 6, cssplice.github.io/progsnap2) allows custom event types and columns when their names start
 * with `X-` and the data set documents them: `X_COLUMN_DOCS` is that documentation, written into
 * every export's README.md and into docs/research-data.md.
 */

/** Columns every MainTable must have. */
export const REQUIRED_COLUMNS = ['EventID', 'SubjectID', 'Order', 'EventType', 'ServerTimestamp', 'ServerTimezone', 'CodeStateID', 'ToolInstances'] as const;

/** Optional spec columns the mirror fills. */
export const OPTIONAL_COLUMNS = ['SessionID', 'CourseSectionID', 'ProjectID', 'ProblemID', 'ParentEventID', 'EventInitiator', 'EditType', 'ExecutionResult', 'Score'] as const;

/** Every spec column the checker accepts (ours, and those other data sets use). */
export const SPEC_COLUMNS: ReadonlySet<string> = new Set([
  ...REQUIRED_COLUMNS,
  ...OPTIONAL_COLUMNS,
  'ClientTimestamp',
  'ClientTimezone',
  'CourseID',
  'TermID',
  'AssignmentID',
  'AssignmentIsGraded',
  'ProblemIsGraded',
  'Attempt',
  'ExperimentalCondition',
  'TeamID',
  'LoggingErrorID',
  'IsFabricatedEvent',
  'ResourceID',
  'CodeStateSection',
  'DestinationCodeStateSection',
  'CopiedText',
  'CompileResult',
  'CompileMessageType',
  'CompileMessageData',
  'SourceLocation',
  'ExecutionID',
  'TestID',
  'ExtraCreditScore',
  'ProgramInput',
  'ProgramOutput',
  'ProgramErrorOutput',
  'InterventionCategory',
  'InterventionType',
  'InterventionMessage',
  'InsertText',
  'DeleteText',
  'DeleteLength',
]);

/** Our `X-` columns, each with what it holds (the export's README and docs/research-data.md). */
export const X_COLUMN_DOCS = {
  'X-Platform': 'Session.Start rows: the editor platform of the session (`IQ`, `V5`, `EXP`, `PG`).',
  'X-Slot': 'Run.Program rows: the program slot on the brain.',
  'X-Data': 'The source event\'s `data` fields no other column holds, as JSON (empty when there are none); for event types the mirror does not know, all of `data`.',
  'X-RunIndex': 'Run.Program rows, and alerts about a run: the run\'s index among the subject\'s runs (from 0).',
  'X-AstSize': 'Run.Program rows: nodes of the program\'s canonical tree (empty when it did not parse).',
  'X-Distance': 'Run.Program rows: tree edit distance (APTED) to the subject\'s previous run of the same project (empty for a first run or a program that did not parse).',
  'X-ChangeScore': 'Run.Program rows: the change score, the distance normalised by the two programs\' sizes (0 = unchanged, 1 = rewritten).',
  'X-ChangeBucket': 'Run.Program rows: the change score\'s bucket, the HMM\'s observation (0 none, 1 tweak, 2 edit, 3 restructure).',
  'X-ParseError': 'Run.Program rows: why the program could not be analysed (malformed, or over a size bound); empty when it parsed.',
  'X-State': 'Run.Program rows: the decoded strategy state (0 iterator, 1 explorer, 2 stuck).',
  'X-StateName': 'Run.Program rows: the state\'s name (`iterator`, `explorer`, `stuck`).',
  'X-Posterior.Iterator': 'Run.Program rows: posterior probability of the iterator state at this run.',
  'X-Posterior.Explorer': 'Run.Program rows: posterior probability of the explorer state.',
  'X-Posterior.Stuck': 'Run.Program rows: posterior probability of the stuck state.',
  'X-EpisodeID': 'Every row of the subject\'s own events: the index (from 0) of the work episode the event falls in (episodes end at a 10-minute gap, a project switch or a session end).',
  'X-Alert.Kind': 'X-Alert.* rows: `wheelspin`, `inactive` or `big_rewrite` (docs/triggers.md).',
  'X-Alert.StartedAt': 'X-Alert.* rows: when the alert\'s condition began (ISO-8601, UTC), not when it was noticed.',
  'X-Alert.ReopenedFrom': 'X-Alert.Opened rows: the EventID of the X-Alert.Opened row of the acknowledged alert this one re-opens.',
  'X-Alert.Detail': 'X-Alert.Opened rows: the rule\'s detail, as JSON (a big rewrite\'s distance and score).',
  'X-Alert.HasNote': 'X-Alert.Acknowledged rows: `true` when the researcher wrote a note, else `false`.',
  'X-Alert.Note': 'X-Alert.Acknowledged rows, only with `--notes`: the note\'s text (free text: it can name anyone).',
} as const;
export type XColumn = keyof typeof X_COLUMN_DOCS;

/** The MainTable's columns, in the order they are written. */
export const MAIN_COLUMNS = [...REQUIRED_COLUMNS, ...OPTIONAL_COLUMNS, ...(Object.keys(X_COLUMN_DOCS) as XColumn[])] as const;
export type MainColumn = (typeof MAIN_COLUMNS)[number];
/** Each column's position in a row. */
export const COL = Object.fromEntries(MAIN_COLUMNS.map((c, i) => [c, i])) as { readonly [K in MainColumn]: number };

/** The spec's event types (version 6). Anything else must start with `X-`. */
export const SPEC_EVENT_TYPES: ReadonlySet<string> = new Set([
  'Session.Start',
  'Session.End',
  'Project.Open',
  'Project.Close',
  'File.Create',
  'File.Delete',
  'File.Open',
  'File.Close',
  'File.Save',
  'File.Rename',
  'File.Copy',
  'File.Edit',
  'File.Focus',
  'File.CopyText',
  'Compile',
  'Compile.Error',
  'Compile.Warning',
  'Submit',
  'Run.Program',
  'Run.Test',
  'Debug.Program',
  'Debug.Test',
  'Resource.View',
  'Intervention',
]);

/** Our custom event types, with what they mean. */
export const X_EVENT_TYPE_DOCS = {
  'X-Run.Stop': 'The program stopped: by the student (ExecutionResult `Timeout`, the spec\'s "interrupted by the user") or by running to its end (`Success`). ParentEventID: the Run.Program it stops.',
  'X-Run.Error': 'The program stopped with an error (ExecutionResult `Error`, Score 0). Not Compile.Error: a block program that stops with an error has run, and the editor does not say whether it failed to build.',
  'X-Alert.Opened': 'LM Dashboard raised an alert about the subject (X-Alert.Kind); ParentEventID: the run it is about, when there is one.',
  'X-Alert.Acknowledged': 'A researcher acknowledged the alert (ParentEventID: its X-Alert.Opened row); X-Alert.HasNote says whether they wrote a note.',
  'X-Alert.Resolved': 'The alert\'s condition ended, or a newer alert replaced it (ParentEventID: its X-Alert.Opened row).',
  'X-<type>': 'A source event of a type the mirror does not know, `<type>` being its type; its data in X-Data.',
} as const;

export const EXECUTION_RESULTS: ReadonlySet<string> = new Set(['Success', 'Timeout', 'Error', 'TestFailed']);
export const EVENT_INITIATORS: ReadonlySet<string> = new Set([
  'UserDirectAction',
  'UserIndirectAction',
  'ToolReaction',
  'ToolTimedEvent',
  'InstructorDirectAction',
  'InstructorIndirectAction',
  'TeamMemberDirectAction',
  'TeamMemberIndirectAction',
]);
export const EDIT_TYPES: ReadonlySet<string> = new Set(['Insert', 'Delete', 'Replace', 'Move', 'Paste', 'Undo', 'Redo', 'Refactor', 'Reset', 'GenericEdit']);

/** The files of a data set. */
export const MAIN_TABLE = 'MainTable.csv';
export const METADATA = 'DatasetMetadata.csv';
/** The Table representation of code states: one row per state. */
export const CODE_STATES_TABLE = 'CodeStates/CodeStates.csv';
export const CODE_STATE_COLUMNS = ['CodeStateID', 'Code'] as const;

/** `DatasetMetadata.csv` property naming the producer; the import recognises our exports by it. */
export const PRODUCER_PROPERTY = 'X-Producer';
export const PRODUCER = 'LM Dashboard';
/** The spec version whose required columns the export follows. */
export const SPEC_VERSION = '6';
/** ServerTimezone of every row: the source's timestamps are UTC, written without an offset. */
export const UTC_TIMEZONE = '0';
/** ToolInstances when the session's editor is not in the export. */
export const UNKNOWN_TOOL = 'VEXcode';
