import { describe, expect, test } from 'bun:test';
import { extractAst } from '../blocks/extract.ts';
import { programShape, programShapeText } from './shape.ts';

const X = (body: string) => `<xml xmlns="https://developers.google.com/blockly/xml">${body}</xml>`;
const drive = (mm: number, dir = 'fwd', next = '') =>
  `<block type="iq_drivetrain_drive_for"><field name="DIRECTION">${dir}</field><value name="DISTANCE"><shadow type="math_number"><field name="NUM">${mm}</field></shadow></value>${next ? `<next>${next}</next>` : ''}</block>`;
const turn = (next = '') => `<block type="iq_drivetrain_turn_for"><field name="TURNDIRECTION">right</field><value name="ANGLE"><shadow type="math_number"><field name="NUM">90</field></shadow></value>${next ? `<next>${next}</next>` : ''}</block>`;
const repeat = (times: number, body: string, next = '') =>
  `<block type="iq_control_repeat"><value name="TIMES"><shadow type="math_whole_number"><field name="NUM">${times}</field></shadow></value><statement name="SUBSTACK">${body}</statement>${next ? `<next>${next}</next>` : ''}</block>`;
const forever = (body: string) => `<block type="iq_control_forever"><statement name="SUBSTACK">${body}</statement></block>`;
const started = (chain: string) => `<block type="iq_events_when_started"><next>${chain}</next></block>`;
const call = (code: string, next = '') => `<block type="procedures_call"><mutation proccode="${code}" argumentids="[]"></mutation>${next ? `<next>${next}</next>` : ''}</block>`;
const shape = (xml: string) => programShape(extractAst(X(xml)).tree);

describe('programShape', () => {
  const base = started(repeat(4, drive(100, 'fwd', turn()), drive(50)));

  test('values, dropdowns and simple statements (added, removed, moved) leave the shape as it was', () => {
    expect(shape(started(repeat(4, drive(120, 'fwd', turn()), drive(50))))).toBe(shape(base)); // a number
    expect(shape(started(repeat(4, drive(100, 'rev', turn()), drive(50))))).toBe(shape(base)); // a dropdown
    expect(shape(started(repeat(4, drive(100, 'fwd', turn(drive(10))), drive(50))))).toBe(shape(base)); // a block added in the loop
    expect(shape(started(repeat(4, drive(100), drive(50))))).toBe(shape(base)); // one removed
    expect(shape(started(repeat(4, turn(drive(100)), drive(50))))).toBe(shape(base)); // moved
    expect(shape(started(repeat(6, drive(100, 'fwd', turn()), drive(50))))).toBe(shape(base)); // the loop's count
  });

  test('wrapping in a loop, unwrapping, swapping a loop, a My Block call, another hat change it', () => {
    const others = [
      started(repeat(4, repeat(2, drive(100), turn()), drive(50))), // wrapped in a loop
      started(drive(100, 'fwd', turn(drive(50)))), // unwrapped
      started(forever(drive(100, 'fwd', turn()))), // another loop
      started(repeat(4, call('square', turn()), drive(50))), // a My Block call
      `<block type="iq_events_when_button"><next>${repeat(4, drive(100, 'fwd', turn()), drive(50))}</next></block>`, // another event
    ];
    const shapes = others.map(shape);
    for (const s of shapes) expect(s).not.toBe(shape(base));
    expect(new Set(shapes).size).toBe(shapes.length);
  });

  test('the text keeps the hat, the C-blocks with their nesting and My Blocks, nothing else', () => {
    expect(programShapeText(extractAst(X(started(repeat(4, call('square', turn()), drive(50))))).tree)).toBe(
      'program<S(iq_events_when_started|iq_control_repeat{SUBSTACK[procedures_call:proccode=square;]})>',
    );
  });
});
