import { describe, expect, test } from 'bun:test';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { listFiles, sharedPath } from '../../test/shared.ts';
import { extractAst } from '../blocks/index.ts';
import type { Tree } from '../tree/tree.ts';
import { parseBracket } from '../tree/tree.ts';
import { renderPseudocode } from './index.ts';

const render = (bracket: string) => renderPseudocode(parseBracket(bracket));
const program = (...scripts: string[]) => `{program${scripts.map((s) => `{script${s}}`).join('')}}`;

describe('renderPseudocode: known blocks', () => {
  test('platform prefixes and category words are stripped', () => {
    expect(render(program('{v5_motion_spin{MOTOR=leftMotor}{DIRECTION=forward}}'))).toBe('spin leftMotor forward\n');
    expect(render(program('{iq_motion_spin{MOTOR=claw}{DIRECTION=rev}}'))).toBe('spin claw rev\n');
  });

  test('value inputs are inline: literals bare, reporters in ( ), booleans in < >', () => {
    expect(render(program('{v5_drivetrain_drive_for{DIRECTION=fwd}{UNITS=mm}{anddontwait_mutator=false}{AMOUNT{math_number{NUM=200}}}}'))).toBe(
      'drive fwd for 200 mm\n',
    );
    expect(
      render(program('{v5_motion_set_motor_velocity{MOTOR=m}{UNITS=pct}{VELOCITY{v5_sensing_position_of_controller{CONTROLLER=Controller1}{AXIS=Axis3}}}}')),
    ).toBe('set m velocity to (Controller1.Axis3 position) pct\n');
    expect(render(program('{v5_control_wait_until{CONDITION{v5_operator_not{OPERAND{v5_sensing_pressing_controller{CONTROLLER=Controller1}{BUTTON=ButtonA}}}}}}'))).toBe(
      'wait until <not <Controller1.ButtonA pressed?>>\n',
    );
    expect(render(program('{v5_looks_print{TARGET=Brain}{andsetcursortonextrow_mutator=true}{DATA{text{TEXT=say "hi"}}}}'))).toBe(
      'print "say \\"hi\\"" on Brain and set cursor to next row\n',
    );
  });

  test('nested operators keep their grouping', () => {
    const t = program(
      '{v5_variables_set_variable{VARIABLE=x}{VALUE{v5_operator_multiply{NUM1{v5_operator_add{NUM1{math_number{NUM=1}}}{NUM2{v5_variables_variable{VARIABLE=y}}}}}{NUM2{math_number{NUM=3}}}}}}',
    );
    expect(render(t)).toBe('set x to ((1 + y) * 3)\n');
  });

  test('array literals list their numbered inputs', () => {
    const row = (a: number, b: number) => `{data_2darrayrow{@arraywidth=2}{VALUE0{math_number{NUM=${a}}}}{VALUE1{math_number{NUM=${b}}}}}`;
    expect(render(program(`{exp_variables_set_2d_array_to{@arraylength=2}{@arraywidth=2}{ARRAY=grid}{ROW0${row(1, 2)}}{ROW1${row(3, 4)}}}`))).toBe(
      'set grid to [[1, 2], [3, 4]]\n',
    );
  });

  test('statement inputs are indented bodies; hats head their script', () => {
    const t = program('{v5_events_when_started}{v5_control_forever{SUBSTACK{v5_motion_spin{MOTOR=a}{DIRECTION=fwd}}{v5_control_wait{DURATION{math_positive_number{NUM=1}}}}}}');
    expect(render(t)).toBe(['when started:', '  forever:', '    spin a fwd', '    wait 1 seconds', ''].join('\n'));
  });

  test('an empty C-block still ends with ":"', () => {
    expect(render(program('{v5_control_forever}'))).toBe('forever:\n');
  });

  test('if / else and else-if chains (an empty else-if body still shows its condition)', () => {
    const ifElse = program('{v5_control_if_then_else{CONDITION{v5_sensing_pressing_controller{BUTTON=ButtonA}}}{SUBSTACK{a}}{SUBSTACK2{b}}}');
    expect(render(ifElse)).toBe(['if <ButtonA pressed?> then:', '  a', 'else:', '  b', ''].join('\n'));
    const multi = program(
      '{iq_control_if_elseif_else{@branches=3}{CONDITION1{x}}{SUBSTACK1{a}}{CONDITION2{y}}{CONDITION3{z}}{SUBSTACK3{c}}{SUBSTACK_ELSE{d}}}',
    );
    expect(render(multi)).toBe(['if (x) then:', '  a', 'else if (y) then:', 'else if (z) then:', '  c', 'else:', '  d', ''].join('\n'));
  });

  test('My Blocks: define name(args) and calls with values', () => {
    const t = program(
      '{procedures_definition{proccode=drive %n %b}{ARG0{argument_reporter_number{VALUE=dist}}}{ARG1{argument_reporter_boolean{VALUE=fast}}}}{v5_drivetrain_drive_for{DIRECTION=fwd}{UNITS=mm}{AMOUNT{argument_reporter_number{VALUE=dist}}}}',
      '{v5_events_when_started}{procedures_call{proccode=drive %n %b}{ARG0{math_number{NUM=200}}}{ARG1{procedure_bool_input{BOOLVALUE=true}}}}{procedures_call{proccode=Basic Startup}}',
    );
    expect(render(t)).toBe(
      ['define drive(dist, fast):', '  drive fwd for dist mm', '', 'when started:', '  drive(200, true)', '  Basic Startup()', ''].join('\n'),
    );
  });

  test('disabled blocks are marked', () => {
    expect(render(program('{v5_control_wait [disabled]{DURATION{math_number{NUM=1}}}}'))).toBe('(disabled) wait 1 seconds\n');
  });

  test('Scratch targets head their scripts', () => {
    const t = '{program{stage}{sprite:Cat{script{event_whenflagclicked}{looks_say{MESSAGE{text{TEXT=hi}}}}}{script{motion_movesteps{STEPS{math_number{NUM=10}}}}}}}';
    expect(render(t)).toBe(['stage: (no scripts)', '', 'sprite Cat:', '  when green flag clicked:', '    say "hi"', '', '  move 10 steps', ''].join('\n'));
  });

  test('a single script or a single block can be rendered too; an empty program says so', () => {
    expect(render('{script{v5_motion_stop_motor{MOTOR=m}}}')).toBe('stop m\n');
    expect(render('{v5_motion_stop_motor{MOTOR=m}}')).toBe('stop m\n');
    expect(render('{program}')).toBe('(empty program)\n');
  });
});

describe('renderPseudocode: unknown blocks lose nothing', () => {
  test('type, fields, mutations and inputs are all shown', () => {
    const t = program('{spritesaytext{@_x=1}{kind=Player}{text{text{TEXT=hello}}}{sprite{variables_get{VAR=mySprite}}}{HANDLER{led_toggle}}}');
    expect(render(t)).toBe(['spritesaytext @_x=1 kind=Player text="hello" sprite=mySprite:', '  led_toggle', ''].join('\n'));
  });

  test('unknown reporters are wrapped in ( ) and keep their fields', () => {
    expect(render(program('{v5_looks_print{TARGET=Brain}{DATA{v5_sensing_aivision_object{VISION=AIVision1}{PROPERTY=width}}}}'))).toBe(
      'print (sensing_aivision_object VISION=AIVision1 PROPERTY=width) on Brain\n',
    );
  });

  test('multi-line values stay on one line', () => {
    expect(render(program('{screen_image{img=img`\n. .\n. .\n`}}'))).toBe('screen_image img=img`\\n. .\\n. .\\n`\n');
  });
});

describe('renderPseudocode: deep programs (iterative)', () => {
  test('a 10,000-block next chain renders one line per block', () => {
    const N = 10_000;
    const blocks: Tree[] = [{ label: 'v5_events_when_started', children: [] }];
    for (let i = 0; i < N; i++) blocks.push({ label: 'v5_motion_spin', children: [{ label: `MOTOR=m${i}`, children: [] }, { label: 'DIRECTION=fwd', children: [] }] });
    const out = renderPseudocode({ label: 'program', children: [{ label: 'script', children: blocks }] });
    const lines = out.trimEnd().split('\n');
    expect(lines.length).toBe(N + 1);
    expect(lines[N]).toBe(`  spin m${N - 1} fwd`);
  });

  test('2,000 nested C-blocks and a 2,000-deep expression', () => {
    const D = 2_000;
    let body: Tree = { label: 'x', children: [] };
    for (let i = 0; i < D; i++) body = { label: 'v5_control_forever', children: [{ label: 'SUBSTACK', children: [body] }] };
    const lines = renderPseudocode(body).trimEnd().split('\n');
    expect(lines.length).toBe(D + 1);
    expect(lines[D]).toBe('  '.repeat(D) + 'x');
    let expr: Tree = { label: 'math_number', children: [{ label: 'NUM=1', children: [] }] };
    for (let i = 0; i < D; i++) expr = { label: 'v5_operator_not', children: [{ label: 'OPERAND', children: [expr] }] };
    const line = renderPseudocode({ label: 'v5_control_wait_until', children: [{ label: 'CONDITION', children: [expr] }] });
    expect(line.startsWith('wait until <not <not ')).toBe(true);
    expect(line.trimEnd().endsWith(' 1' + '>'.repeat(D))).toBe(true);
  });
});

// Golden pseudocode for the hand-written programs in ../blocks/golden.
const goldenIn = join(import.meta.dir, '..', 'blocks', 'golden');
const goldenOut = join(import.meta.dir, 'golden');
const GOLDEN_INPUT = /\.(?:v5blocks|iqblocks|expblocks|vrblocks|blocks|blockly-json|scratch3-json)$/;

describe('golden pseudocode', () => {
  for (const file of readdirSync(goldenIn).filter((f) => GOLDEN_INPUT.test(f)).sort()) {
    test(file, () => {
      const actual = renderPseudocode(extractAst(readFileSync(join(goldenIn, file), 'utf8')).tree);
      const expectedPath = join(goldenOut, `${file}.pseudo.txt`);
      const actualPath = join(goldenOut, `${file}.pseudo.actual.txt`);
      const expected = existsSync(expectedPath) ? readFileSync(expectedPath, 'utf8') : null;
      if (expected !== actual) {
        writeFileSync(actualPath, actual);
        throw new Error(`${file}: ${expected === null ? 'no expected pseudocode' : 'pseudocode differs'}; wrote ${actualPath} for review`);
      }
      if (existsSync(actualPath)) rmSync(actualPath);
    });
  }
});

// Real programs (skipped without ../shared): everything renders and nothing is lost.
const dataDir = sharedPath('data/blocks');

function realPrograms(dir: string): { rel: string; text: string }[] {
  return listFiles(dir)
    .map((p) => ({ p, rel: relative(dir, p) }))
    .filter(({ rel }) => !rel.startsWith('malformed/') && /\.(?:v5blocks|iqblocks|expblocks|vrblocks|blocks|json)$/.test(rel))
    .map(({ p, rel }) => ({ rel, text: readFileSync(p, 'utf8') }));
}

/** Blocks that get a line of their own: children of scripts and of statement inputs. */
function statementBlocks(tree: Tree): number {
  let n = 0;
  const stack: Tree[] = [tree];
  while (stack.length > 0) {
    const t = stack.pop()!;
    const holdsStack = t.label === 'script' || /^(?:SUBSTACK\w*|DO\d*|ELSE|STACK|HANDLER)$/.test(t.label);
    if (holdsStack) n += t.children.length;
    for (const c of t.children) stack.push(c);
  }
  return n;
}

/** Field values a reader must be able to find in the pseudocode. */
function visibleValues(tree: Tree): string[] {
  const out: string[] = [];
  const stack: Tree[] = [tree];
  while (stack.length > 0) {
    const t = stack.pop()!;
    for (const c of t.children) {
      if (c.children.length > 0) stack.push(c);
      else {
        const eq = c.label.indexOf('=');
        const name = c.label.slice(0, eq);
        const value = c.label.slice(eq + 1);
        // Checkbox flags are shown as words, proccodes as names, @mutations are structure.
        if (eq > 0 && value !== '' && !name.endsWith('_mutator') && name !== 'proccode' && !name.startsWith('@')) out.push(value);
      }
    }
  }
  return out;
}

describe.skipIf(dataDir === null)('renderPseudocode on real programs', () => {
  test('every real program renders; every statement block has a line; every field value is visible', () => {
    let rendered = 0;
    for (const p of dataDir ? realPrograms(dataDir) : []) {
      let r;
      try {
        r = extractAst(p.text);
      } catch {
        continue; // metadata .json (the blocks tests account for every program file)
      }
      const out = renderPseudocode(r.tree);
      const lines = out.split('\n').filter((l) => l.trim() !== '');
      expect(lines.length).toBeGreaterThanOrEqual(statementBlocks(r.tree));
      for (const v of visibleValues(r.tree)) {
        const forms = [v, JSON.stringify(v).slice(1, -1), v.replace(/\r?\n/g, '\\n')];
        const seen = forms.some((f) => out.includes(f));
        if (!seen) console.log(`${p.rel}: value ${JSON.stringify(v).slice(0, 60)} not rendered`);
        expect(seen).toBe(true);
      }
      rendered++;
    }
    console.log(`rendered ${rendered} real programs`);
    expect(rendered).toBeGreaterThan(250);
  });
});
