import { describe, expect, test } from 'bun:test';
import { parseCsv } from '@lmdash/inference';
import { checkMetadata, MainTableRules, Problems } from './check.ts';
import { csvField, csvLine } from './csv.ts';

const META = new Map([
  ['Version', '6'],
  ['IsEventOrderingConsistent', 'true'],
  ['EventOrderScope', 'Restricted'],
  ['EventOrderScopeColumns', 'SubjectID'],
  ['CodeStateRepresentation', 'Table'],
]);
const HEADER = ['EventID', 'SubjectID', 'Order', 'EventType', 'ServerTimestamp', 'ServerTimezone', 'CodeStateID', 'ToolInstances', 'SessionID', 'Score', 'ParentEventID', 'X-Note'];
const row = (over: Partial<Record<string, string>> = {}): string[] => {
  const base: Record<string, string> = { EventID: '1', SubjectID: 'p-a', Order: '1', EventType: 'Run.Program', ServerTimestamp: '2026-11-02T09:00:00.000', ServerTimezone: '0', CodeStateID: 'c1', ToolInstances: 'VEXcode', SessionID: '', Score: '', ParentEventID: '', 'X-Note': '', ...over };
  return HEADER.map((c) => base[c]!);
};

function check(rows: string[][], header = HEADER, meta: ReadonlyMap<string, string> = META): string[] {
  const problems = new Problems();
  const rules = new MainTableRules(problems, meta, (id) => id === 'c1');
  rules.header(header);
  rows.forEach((r, i) => rules.row(r, i + 2));
  rules.finish();
  return problems.list;
}

describe('the ProgSnap2 checker rules', () => {
  test('a valid table has no problems', () => {
    expect(check([row(), row({ EventID: '2', Order: '2', EventType: 'X-Run.Error', Score: '0', ParentEventID: '1' }), row({ EventID: '3', SubjectID: 'p-b', Order: '3', EventType: 'Session.Start', SessionID: '3', CodeStateID: '' })])).toEqual([]);
  });

  test('missing required columns, unknown columns and repeated ones', () => {
    const header = HEADER.filter((c) => c !== 'ServerTimezone' && c !== 'ToolInstances').concat(['Mystery', 'Score']);
    const problems = check([], header);
    expect(problems).toContain('MainTable.csv:1: no ServerTimezone column (required)');
    expect(problems).toContain('MainTable.csv:1: no ToolInstances column (required)');
    expect(problems).toContain('MainTable.csv:1: column "Mystery" is neither a ProgSnap2 column nor an X- column');
    expect(problems).toContain('MainTable.csv:1: column Score given twice');
  });

  test('types: Order, timestamps, time zones, event types, Score; required values; field counts', () => {
    const problems = check([
      row({ Order: 'one', ServerTimestamp: 'yesterday', ServerTimezone: 'somewhere over', EventType: 'Frobnicate', Score: '1.5', ToolInstances: '' }),
      row({ EventID: '2', Order: '2' }).slice(1),
      row({ EventID: '3', Order: '3', EventType: 'Session.End' }),
    ]);
    expect(problems).toEqual([
      'MainTable.csv row 2: ToolInstances is empty',
      'MainTable.csv row 2: EventType "Frobnicate" is not a ProgSnap2 event type or an X- type',
      'MainTable.csv row 2: Order "one" is not an integer',
      'MainTable.csv row 2: ServerTimestamp "yesterday" is not an ISO-8601 timestamp',
      'MainTable.csv row 2: ServerTimezone "somewhere over" is not a time zone (an offset, UTC, or a zone name)',
      'MainTable.csv row 2: Score "1.5" is not a number from 0 to 1',
      'MainTable.csv row 3: 11 fields, the header has 12',
      'MainTable.csv row 4: Session.End without a SessionID',
    ]);
  });

  test('EventIDs unique, ParentEventIDs and CodeStateIDs resolvable', () => {
    expect(check([row(), row({ Order: '2', CodeStateID: 'nope', ParentEventID: 'ghost' })])).toEqual([
      'MainTable.csv row 3: EventID "1" repeats an earlier one',
      'MainTable.csv row 3: CodeStateID "nope" is not among the code states',
      'MainTable.csv row 3: ParentEventID "ghost" is no EventID of the table',
    ]);
  });

  test('Order increases per subject, and time does not go back along it', () => {
    const problems = check([
      row({ EventID: '1', Order: '5' }),
      row({ EventID: '2', SubjectID: 'p-b', Order: '1' }),
      row({ EventID: '3', Order: '5' }),
      row({ EventID: '4', Order: '6', ServerTimestamp: '2026-11-02T08:00:00.000' }),
    ]);
    expect(problems).toEqual(['MainTable.csv row 4: Order 5 does not increase (the previous row of SubjectID "p-a" had 5)', 'MainTable.csv row 5: ServerTimestamp 2026-11-02T08:00:00.000 is earlier than the previous row in Order']);
    // Without a consistent clock, time may go back.
    expect(check([row({ EventID: '1', Order: '1' }), row({ EventID: '2', Order: '2', ServerTimestamp: '2026-11-02T08:00:00Z' })], HEADER, new Map([...META, ['IsEventOrderingConsistent', 'false']]))).toEqual([]);
  });

  test('the metadata: Property,Value and the properties the spec requires', () => {
    const problems = new Problems();
    const props = checkMetadata(parseCsv('Property,Value\nVersion,6\nIsEventOrderingConsistent,maybe\nEventOrderScope,Restricted\nVersion,7\n'), problems);
    expect(props.get('Version')).toBe('6');
    expect(problems.list).toEqual([
      'DatasetMetadata.csv:5: Version given twice',
      'DatasetMetadata.csv: IsEventOrderingConsistent is "maybe", expected true or false',
      'DatasetMetadata.csv: no CodeStateRepresentation',
      'DatasetMetadata.csv: EventOrderScope is Restricted but EventOrderScopeColumns is empty',
    ]);
  });

  test('CSV writing quotes what must be quoted, and reads back the same', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    const fields = ['x', 'say "hi"', 'two\nlines', 'cr\r\nlf', ''];
    expect(parseCsv(csvLine(fields))).toEqual([fields]);
  });
});
