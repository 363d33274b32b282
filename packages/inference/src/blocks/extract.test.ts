import { describe, expect, test } from 'bun:test';
import { toBracket, treeDepth, treeEquals, treeSize } from '../tree/tree.ts';
import { AstError, detectFormat, extractAst } from './index.ts';

const NS = 'https://developers.google.com/blockly/xml';
const ws = (body: string) => `<xml xmlns="${NS}">${body}</xml>`;
const vex = (workspace: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ mode: 'Blocks', platform: 'V5', fileFormat: '2.0.0', robotConfig: [], workspace, ...extra });
const num = (name: string, n: number | string) =>
  `<value name="${name}"><shadow type="math_number" id="s${name}${n}"><field name="NUM">${n}</field></shadow></value>`;

/** The canonical tree of a bare workspace body, in bracket form. */
const bracketOf = (body: string) => toBracket(extractAst(ws(body)).tree);

function astError(fn: () => unknown): AstError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AstError) return e;
    throw new Error(`expected AstError, got ${String(e)}`);
  }
  throw new Error('expected AstError, nothing thrown');
}

describe('block nodes, fields and inputs', () => {
  test('a block is labelled by type; fields are FIELD=value leaves in document order', () => {
    expect(bracketOf(`<block type="v5_motion_spin" id="a" x="1" y="2"><field name="MOTOR">leftMotor</field><field name="DIRECTION">fwd</field></block>`)).toBe(
      '{program{script{v5_motion_spin{MOTOR=leftMotor}{DIRECTION=fwd}}}}',
    );
  });

  test('a value input holds its shadow when nothing is plugged in; the shadow keeps its type', () => {
    const r = extractAst(ws(`<block type="v5_motion_set_motor_velocity"><field name="MOTOR">m</field>${num('VELOCITY', 50)}</block>`));
    expect(toBracket(r.tree)).toBe('{program{script{v5_motion_set_motor_velocity{MOTOR=m}{VELOCITY{math_number{NUM=50}}}}}}');
    expect(r.meta.blockCount).toBe(1);
  });

  test('a plugged-in block wins over its shadow, in either document order', () => {
    const reporter = `<block type="v5_sensing_position_of_controller" id="r"><field name="AXIS">Axis3</field></block>`;
    const shadow = `<shadow type="math_number" id="s"><field name="NUM">50</field></shadow>`;
    const expected = '{program{script{v5_motion_set_motor_velocity{VELOCITY{v5_sensing_position_of_controller{AXIS=Axis3}}}}}}';
    for (const inner of [shadow + reporter, reporter + shadow]) {
      const r = extractAst(ws(`<block type="v5_motion_set_motor_velocity"><value name="VELOCITY">${inner}</value></block>`));
      expect(toBracket(r.tree)).toBe(expected);
      expect(r.meta.blockCount).toBe(2);
    }
  });

  test('inputs with nothing plugged and no shadow are omitted', () => {
    expect(bracketOf(`<block type="v5_control_forever"><statement name="SUBSTACK"></statement></block><block type="v5_control_if_then"><value name="CONDITION"></value></block>`)).toBe(
      '{program{script{v5_control_forever}}{script{v5_control_if_then}}}',
    );
  });

  test('a statement input lists its stack as ordered siblings', () => {
    const body = `<block type="v5_control_forever"><statement name="SUBSTACK">
        <block type="a"><next><block type="b"><next><block type="c"/></next></block></next></block>
      </statement></block>`;
    expect(bracketOf(body)).toBe('{program{script{v5_control_forever{SUBSTACK{a}{b}{c}}}}}');
  });

  test('if/else and multi-branch if keep each body under its input name; meaningful mutations become @ leaves', () => {
    const ifElse = `<block type="v5_control_if_then_else"><value name="CONDITION"><block type="c"/></value>
      <statement name="SUBSTACK"><block type="x"/></statement><statement name="SUBSTACK2"><block type="y"/></statement></block>`;
    expect(bracketOf(ifElse)).toBe('{program{script{v5_control_if_then_else{CONDITION{c}}{SUBSTACK{x}}{SUBSTACK2{y}}}}}');
    const multi = `<block type="v5_control_if_elseif_else"><mutation xmlns="http://www.w3.org/1999/xhtml" branches="2"></mutation>
      <value name="CONDITION1"><block type="c1"/></value><statement name="SUBSTACK1"><block type="x"/></statement>
      <value name="CONDITION2"><block type="c2"/></value><statement name="SUBSTACK2"><block type="y"/></statement>
      <statement name="SUBSTACK_ELSE"><block type="z"/></statement></block>`;
    expect(bracketOf(multi)).toBe(
      '{program{script{v5_control_if_elseif_else{@branches=2}{CONDITION1{c1}}{SUBSTACK1{x}}{CONDITION2{c2}}{SUBSTACK2{y}}{SUBSTACK_ELSE{z}}}}}',
    );
  });

  test('editor-state mutations and icon fields are dropped; VEX TRUE/FALSE checkbox values are lower-cased', () => {
    const body = `<block type="gameSplash"><mutation _expanded="1" _input_init="true"></mutation></block>
      <block type="v5_control_if_elseif_else"><mutation branches="1"></mutation><field name="BRANCH_ADD">node_modules/x/media/../img/elseif_add.png</field></block>
      <block type="v5_motion_spin_for"><field name="anddontwait_mutator">TRUE</field></block>`;
    expect(bracketOf(body)).toBe('{program{script{gameSplash}}{script{v5_control_if_elseif_else{@branches=1}}}{script{v5_motion_spin_for{anddontwait_mutator=true}}}}');
  });

  test('disabled blocks stay, labelled "<type> [disabled]"', () => {
    expect(bracketOf(`<block type="v5_control_wait" disabled="true">${num('DURATION', 1)}</block>`)).toBe(
      '{program{script{v5_control_wait [disabled]{DURATION{math_number{NUM=1}}}}}}',
    );
  });

  test('variables, sticky-note comments, block comments, MakeCode <data> and field/variable ids are dropped', () => {
    const body = `<variables><variable id="v1" type="">speed</variable></variables>
      <block type="v5_variables_set_variable" id="q"><field name="VARIABLE" id="v1" variabletype="">speed</field>
        <comment pinned="false" h="80" w="160">why</comment><data>{"x":1}</data>${num('VALUE', 3)}</block>
      <comment id="c" x="5" y="5" w="100" h="100">sticky</comment>`;
    expect(bracketOf(body)).toBe('{program{script{v5_variables_set_variable{VARIABLE=speed}{VALUE{math_number{NUM=3}}}}}}');
  });

  test('statement-level comment blocks are real blocks and stay', () => {
    const r = extractAst(ws(`<block type="iq_other_comment"><value name="COMMENT"><shadow type="comment_text"><field name="comment">turn here</field></shadow></value></block>`));
    expect(toBracket(r.tree)).toBe('{program{script{iq_other_comment{COMMENT{comment_text{comment=turn here}}}}}}');
    expect(r.meta.blockCount).toBe(1);
  });
});

describe('scripts', () => {
  const a = `<block type="v5_events_when_started" id="1" x="500" y="10"><next><block type="v5_motion_spin"><field name="MOTOR">m</field></block></next></block>`;
  const b = `<block type="v5_events_when_controller_button" id="2" x="10" y="10"><field name="BUTTON">ButtonA</field></block>`;
  const c = `<block type="v5_events_when_started" id="3" x="0" y="900"><next><block type="v5_motion_stop_motor"><field name="MOTOR">m</field></block></next></block>`;

  test('scripts are sorted by content, not by document order, ids or x/y', () => {
    const one = extractAst(ws(a + b + c)).tree;
    const two = extractAst(ws(c.replace('x="0"', 'x="7"') + a + b)).tree;
    expect(treeEquals(one, two)).toBe(true);
    expect(one.children.map((s) => s.children[0].label)).toEqual([
      'v5_events_when_controller_button',
      'v5_events_when_started',
      'v5_events_when_started',
    ]);
    // Ties on the first block are broken by the whole script.
    expect(one.children[1].children[1].label).toBe('v5_motion_spin');
  });

  test('scriptCount and blockCount', () => {
    expect(extractAst(ws(a + b + c)).meta).toMatchObject({ scriptCount: 3, blockCount: 5 });
  });

  test('an empty workspace gives a bare program node', () => {
    const r = extractAst(ws('<variables></variables>'));
    expect(toBracket(r.tree)).toBe('{program}');
    expect(r.meta).toMatchObject({ blockCount: 0, scriptCount: 0 });
  });
});

describe('10,000-block programs (no recursion on depth)', () => {
  const N = 10_000;
  // Over the default bounds on purpose: this is about the code never recursing on depth.
  const UNBOUNDED = { maxBytes: Infinity, maxNodes: Infinity, maxDepth: Infinity };

  test('a 10,000-deep next chain in XML becomes 10,000 siblings', () => {
    let body = '';
    for (let i = 0; i < N; i++) body += `<block type="v5_motion_spin" id="b${i}"><field name="MOTOR">m${i % 3}</field><next>`;
    body += '<block type="v5_control_stop_project"/>';
    for (let i = 0; i < N; i++) body += '</next></block>';
    const r = extractAst(vex(ws(body)), UNBOUNDED);
    expect(r.meta.blockCount).toBe(N + 1);
    expect(r.tree.children[0].children.length).toBe(N + 1);
    expect(treeDepth(r.tree)).toBe(4);
    expect(r.tree.children[0].children[N].label).toBe('v5_control_stop_project');
  });

  test('10,000 nested C-blocks (a genuinely deep tree) also work', () => {
    const body = '<block type="v5_control_forever"><statement name="SUBSTACK">'.repeat(N) + '<block type="x"/>' + '</statement></block>'.repeat(N);
    const r = extractAst(ws(body), UNBOUNDED);
    expect(r.meta.blockCount).toBe(N + 1);
    expect(treeDepth(r.tree)).toBe(2 * N + 3);
    expect(treeSize(r.tree)).toBe(2 * N + 3);
  });

  test('a 10,000-deep next chain in Blockly JSON', () => {
    let text = '{"blocks":{"languageVersion":0,"blocks":[';
    for (let i = 0; i < N; i++) text += `{"type":"t","id":"i${i}","fields":{"N":${i}},"next":{"block":`;
    text += '{"type":"end"}';
    text += '}}'.repeat(N) + ']}}';
    const r = extractAst(text, UNBOUNDED);
    expect(r.tree.children[0].children.length).toBe(N + 1);
    expect(r.tree.children[0].children[N - 1].children[0].label).toBe(`N=${N - 1}`);
  });

  test('a 10,000-long next chain in Scratch 3', () => {
    const blocks: Record<string, unknown> = {};
    for (let i = 0; i < N; i++) {
      blocks[`b${i}`] = { opcode: 'motion_movesteps', next: i + 1 < N ? `b${i + 1}` : null, parent: i ? `b${i - 1}` : null, inputs: { STEPS: [1, [4, String(i)]] }, fields: {}, shadow: false, topLevel: i === 0 };
    }
    const r = extractAst({ targets: [{ isStage: false, name: 'S', blocks }], meta: { semver: '3.0.0' } }, UNBOUNDED);
    expect(r.tree.children[0].children[0].children.length).toBe(N);
    expect(r.meta.blockCount).toBe(N);
  });
});

describe('My Blocks (procedures)', () => {
  const def = (ids: string[]) => {
    const q = ids.map((i) => `&quot;${i}&quot;`).join(',');
    return `<block type="procedures_definition" id="d" x="1" y="1"><statement name="custom_block"><shadow type="procedures_prototype" id="p">
      <mutation proccode="drive %n %b" proceduredefid="p" argumentids="[${q}]" argumentnames="[&quot;dist&quot;,&quot;fast&quot;]" argumentdefaults="[]" argumenttypes="[]" warp="false"></mutation>
      <value name="${ids[0]}"><shadow type="argument_reporter_number"><mutation funcname="drive_dist_fast" argumentid="${ids[0]}" proceduredefid="p"></mutation><field name="VALUE">dist</field></shadow></value>
      <value name="${ids[1]}"><shadow type="argument_reporter_boolean"><mutation funcname="drive_dist_fast" argumentid="${ids[1]}" proceduredefid="p"></mutation><field name="VALUE">fast</field></shadow></value>
      </shadow></statement><next><block type="v5_drivetrain_drive_for"><value name="AMOUNT"><block type="argument_reporter_number"><field name="VALUE">dist</field></block></value></block></next></block>`;
  };
  const call = (ids: string[], ownIds = true, order: [number, number] = [0, 1]) => {
    const q = ids.map((i) => `&quot;${i}&quot;`).join(',');
    const values = [num(ids[0], 200), `<value name="${ids[1]}"><shadow type="procedure_bool_input"><field name="BOOLVALUE">true</field></shadow></value>`];
    return `<block type="v5_events_when_started" x="9" y="9"><next><block type="procedures_call"><mutation proccode="drive %n %b" proceduredefid="p"${ownIds ? ` argumentids="[${q}]"` : ''} warp="false"></mutation>${values[order[0]]}${values[order[1]]}</block></next></block>`;
  };
  const expected =
    '{program{script{procedures_definition{proccode=drive %n %b}{ARG0{argument_reporter_number{VALUE=dist}}}{ARG1{argument_reporter_boolean{VALUE=fast}}}}' +
    '{v5_drivetrain_drive_for{AMOUNT{argument_reporter_number{VALUE=dist}}}}}' +
    '{script{v5_events_when_started}{procedures_call{proccode=drive %n %b}{ARG0{math_number{NUM=200}}}{ARG1{procedure_bool_input{BOOLVALUE=true}}}}}}';

  test('definition is labelled by proccode and random argument ids become ARG0, ARG1', () => {
    expect(bracketOf(def(['k(1!x', 'Zq]:2']) + call(['k(1!x', 'Zq]:2']))).toBe(expected);
  });

  test('two files differing only in argument ids give identical trees', () => {
    const one = extractAst(ws(def(['aaa', 'bbb']) + call(['aaa', 'bbb']))).tree;
    const two = extractAst(ws(def(['Q/9#', ';;x']) + call(['Q/9#', ';;x']))).tree;
    expect(treeEquals(one, two)).toBe(true);
  });

  test('a call without its own argumentids falls back to the definition; inputs are put in argument order', () => {
    expect(bracketOf(def(['aaa', 'bbb']) + call(['aaa', 'bbb'], false, [1, 0]))).toBe(expected);
  });

  test('warp=true is kept as a leaf', () => {
    const t = bracketOf(`<block type="procedures_call"><mutation proccode="go" argumentids="[]" warp="true"></mutation></block>`);
    expect(t).toBe('{program{script{procedures_call{proccode=go}{@warp=true}}}}');
  });
});

describe('Blockly JSON', () => {
  const project = {
    blocks: {
      languageVersion: 0,
      blocks: [
        {
          type: 'controls_repeat_ext', id: 'r', x: 40, y: 40,
          inputs: {
            TIMES: { shadow: { type: 'math_number', id: 's1', fields: { NUM: 3 } }, block: { type: 'variables_get', id: 'g', fields: { VAR: { id: 'v1' } } } },
            DO: { block: { type: 'text_print', id: 'p', inputs: { TEXT: { shadow: { type: 'text', id: 's2', fields: { TEXT: 'hi' } } } }, next: { block: { type: 'math_change', id: 'c', fields: { VAR: { id: 'v1' } }, inputs: { DELTA: { shadow: { type: 'math_number', fields: { NUM: 1 } } } } } } } },
          },
          next: { block: { type: 'controls_if', id: 'i', extraState: { hasElse: true }, enabled: false } },
        },
        { type: 'procedures_callnoreturn', id: 'k', x: 0, y: 300, extraState: '<mutation proccode="jump %s" argumentids="[&quot;z1&quot;]"></mutation>', inputs: { z1: { block: { type: 'text', fields: { TEXT: 'up' } } } } },
      ],
    },
    variables: [{ name: 'count', id: 'v1' }],
  };

  test('a small hand-written example gives the expected tree', () => {
    const r = extractAst(JSON.stringify(project));
    expect(r.meta).toMatchObject({ format: 'blockly-json', platform: null, blockCount: 7, scriptCount: 2 });
    expect(toBracket(r.tree)).toBe(
      '{program{script{controls_repeat_ext{TIMES{variables_get{VAR=count}}}{DO{text_print{TEXT{text{TEXT=hi}}}}{math_change{VAR=count}{DELTA{math_number{NUM=1}}}}}}{controls_if [disabled]{@hasElse=true}}}' +
        '{script{procedures_callnoreturn{proccode=jump %s}{ARG0{text{TEXT=up}}}}}}',
    );
  });

  test('a parsed object and its JSON text give the same tree', () => {
    expect(treeEquals(extractAst(project).tree, extractAst(JSON.stringify(project)).tree)).toBe(true);
  });
});

describe('Scratch 3', () => {
  const project = {
    targets: [
      {
        isStage: false, name: 'Cat',
        blocks: {
          h: { opcode: 'event_whenflagclicked', next: 'm', parent: null, inputs: {}, fields: {}, shadow: false, topLevel: true, x: 10, y: 10 },
          m: { opcode: 'motion_movesteps', next: 'c', parent: 'h', inputs: { STEPS: [3, [12, 'speed', 'vid'], [4, '10']] }, fields: {}, shadow: false, topLevel: false },
          c: { opcode: 'procedures_call', next: null, parent: 'm', inputs: { 'arg-a': [1, [10, 'hello']] }, fields: {}, shadow: false, topLevel: false, mutation: { tagName: 'mutation', children: [], proccode: 'greet %s', argumentids: '["arg-a"]', warp: 'false' } },
          d: { opcode: 'procedures_definition', next: 'l', parent: null, inputs: { custom_block: [1, 'p'] }, fields: {}, shadow: false, topLevel: true, x: 300, y: 10 },
          p: { opcode: 'procedures_prototype', next: null, parent: 'd', inputs: { 'arg-a': [1, 'r'] }, fields: {}, shadow: true, topLevel: false, mutation: { tagName: 'mutation', children: [], proccode: 'greet %s', argumentids: '["arg-a"]', argumentnames: '["who"]', argumentdefaults: '[""]', warp: 'false' } },
          r: { opcode: 'argument_reporter_string_number', next: null, parent: 'p', inputs: {}, fields: { VALUE: ['who', null] }, shadow: true, topLevel: false },
          l: { opcode: 'looks_say', next: null, parent: 'd', inputs: { MESSAGE: [3, 'q', [10, 'Hello!']] }, fields: {}, shadow: false, topLevel: false },
          q: { opcode: 'argument_reporter_string_number', next: null, parent: 'l', inputs: {}, fields: { VALUE: ['who', null] }, shadow: false, topLevel: false },
          v: [12, 'speed', 'vid', 500, 500],
        },
      },
      {
        isStage: true, name: 'Stage',
        blocks: {
          w: { opcode: 'event_whenkeypressed', next: 'b', parent: null, inputs: {}, fields: { KEY_OPTION: ['space', null] }, shadow: false, topLevel: true },
          b: { opcode: 'event_broadcast', next: null, parent: 'w', inputs: { BROADCAST_INPUT: [1, [11, 'go', 'bid']] }, fields: {}, shadow: false, topLevel: false },
        },
      },
    ],
    meta: { semver: '3.0.0', vm: '0.2.0', agent: '' },
  };

  test('a small hand-written example gives the expected tree (stage first, then sprites)', () => {
    const r = extractAst(JSON.stringify(project));
    expect(r.meta).toMatchObject({ format: 'scratch3', platform: 'Scratch', fileFormat: '3.0.0', blockCount: 10, scriptCount: 4 });
    expect(toBracket(r.tree)).toBe(
      '{program' +
        '{stage{script{event_whenkeypressed{KEY_OPTION=space}}{event_broadcast{BROADCAST_INPUT{event_broadcast_menu{BROADCAST_OPTION=go}}}}}}' +
        '{sprite:Cat' +
        '{script{data_variable{VARIABLE=speed}}}' +
        '{script{event_whenflagclicked}{motion_movesteps{STEPS{data_variable{VARIABLE=speed}}}}{procedures_call{proccode=greet %s}{ARG0{text{TEXT=hello}}}}}' +
        '{script{procedures_definition{proccode=greet %s}{ARG0{argument_reporter_string_number{VALUE=who}}}}{looks_say{MESSAGE{argument_reporter_string_number{VALUE=who}}}}}' +
        '}}',
    );
  });

  test('renaming block ids and argument ids consistently changes nothing', () => {
    const text = JSON.stringify(project).replaceAll('"arg-a', '"ZZ9').replaceAll('"m"', '"mm"').replaceAll('"h"', '"hh"');
    expect(treeEquals(extractAst(text).tree, extractAst(project).tree)).toBe(true);
  });
});

describe('meta', () => {
  test('VEXcode 2.0.0 devices from robotConfig, 1.x from rconfig', () => {
    const cfg = [
      { port: [], name: 'Controller1', deviceType: 'Controller' },
      { port: [1, 2], name: 'Drivetrain', deviceType: 'Drivetrain' },
    ];
    const two = extractAst(vex(ws(''), { robotConfig: cfg, platform: 'IQ' })).meta;
    expect(two).toEqual({ format: 'vexcode', platform: 'IQ', fileFormat: '2.0.0', devices: [{ name: 'Controller1', type: 'Controller' }, { name: 'Drivetrain', type: 'Drivetrain', ports: [1, 2] }], blockCount: 0, scriptCount: 0 });
    const one = extractAst(JSON.stringify({ mode: 'Blocks', platform: 'V5', fileFormat: '1.0.1', rconfig: cfg, workspace: ws('') })).meta;
    expect(one.fileFormat).toBe('1.0.1');
    expect(one.devices.length).toBe(2);
  });

  test('bare XML: platform inferred from block-type prefixes, else null', () => {
    expect(extractAst(ws('<block type="iq_motion_spin"/><block type="math_number"/>')).meta.platform).toBe('IQ');
    expect(extractAst(ws('<block type="pxt-on-start"/>')).meta.platform).toBeNull();
    expect(extractAst(ws('')).meta.format).toBe('blockly-xml');
  });

  test('leading whitespace and a BOM are fine', () => {
    expect(extractAst('\uFEFF \n ' + ws('')).meta.format).toBe('blockly-xml');
    expect(extractAst('\uFEFF\n' + vex(ws(''))).meta.format).toBe('vexcode');
  });

  test('detectFormat', () => {
    expect(detectFormat(vex(ws('')))).toBe('vexcode');
    expect(detectFormat(ws(''))).toBe('blockly-xml');
    expect(detectFormat({ blocks: { blocks: [] } })).toBe('blockly-json');
    expect(detectFormat({ targets: [] })).toBe('scratch3');
    expect(detectFormat({ repo: 'x', path: 'y' })).toBeNull();
    expect(detectFormat('not a program')).toBeNull();
  });
});

describe('errors: always AstError with an actionable message', () => {
  test('git merge-conflict markers', () => {
    const text = `<<<<<<< HEAD\n${vex(ws(''))}\n=======\n${vex(ws(''))}\n>>>>>>> feature\n`;
    const e = astError(() => extractAst(text));
    expect(e.code).toBe('merge-conflict');
    expect(e.message).toContain("unexpected '<<<<<<< HEAD' at line 1, column 1");
    expect(e.message).toContain('merge conflict');
  });

  test('truncated JSON says where', () => {
    const text = vex(ws('<block type="a"/>'));
    const e = astError(() => extractAst(text.slice(0, 40)));
    expect(e.code).toBe('not-json');
    expect(e.message).toMatch(/at line 1, column \d+/);
    const e2 = astError(() => extractAst('{\n  "a": 1,\n  "b": 2 3\n}'));
    expect(e2.message).toBe("project JSON: expected ',' or '}', found '3' at line 3, column 10");
  });

  test('bad workspace XML names the workspace, line and column', () => {
    const e = astError(() => extractAst(vex(`<xml>\n<block type="a">\n</xml>`)));
    expect(e.code).toBe('bad-xml');
    expect(e.path).toBe('workspace');
    expect(e.message).toBe('workspace XML: expected </block> (opened at line 2, column 1) but found </xml> at line 3, column 1');
  });

  test('missing, empty or non-blocks workspace', () => {
    expect(astError(() => extractAst({ mode: 'Blocks', platform: 'V5', fileFormat: '2.0.0', robotConfig: [] })).code).toBe('no-workspace');
    expect(astError(() => extractAst(vex(''))).message).toContain('empty');
    const text = astError(() => extractAst({ mode: 'Text', platform: 'V5', fileFormat: '2.0.0', textContent: '', robotConfig: [] }));
    expect(text.message).toContain('text-language project');
  });

  test('unknown formats', () => {
    const meta = astError(() => extractAst('{"repo": "a/b", "path": "x.json", "version": 1}'));
    expect(meta.code).toBe('unknown-format');
    expect(meta.message).toContain('"repo", "path", "version"');
    expect(astError(() => extractAst({ objName: 'Stage', children: [] })).message).toContain('Scratch 2');
    expect(astError(() => extractAst('<project app="Snap! 4.0"/>')).message).toContain('Snap!');
    expect(astError(() => extractAst('hello')).code).toBe('unknown-format');
  });

  test('empty and non-project inputs', () => {
    expect(astError(() => extractAst('  \n')).code).toBe('empty');
    expect(astError(() => extractAst(42 as unknown as string)).code).toBe('bad-input');
    expect(astError(() => extractAst(null as unknown as string)).code).toBe('bad-input');
    expect(astError(() => extractAst([] as unknown as object)).code).toBe('bad-input');
  });

  test('broken structure', () => {
    const noType = astError(() => extractAst(ws('\n<block id="x"/>')));
    expect(noType.code).toBe('bad-structure');
    expect(noType.message).toBe('workspace XML: <block> has no type attribute at line 2, column 1');
    const twoBlocks = astError(() => extractAst(ws('<block type="a"><value name="V"><block type="b"/><block type="c"/></value></block>')));
    expect(twoBlocks.message).toContain("input 'V' holds two blocks");
    const dangling = astError(() => extractAst({ targets: [{ isStage: true, blocks: { a: { opcode: 'x', next: 'nope', topLevel: true } } }] }));
    expect(dangling.code).toBe('bad-structure');
    expect(dangling.message).toContain('missing block "nope"');
    const cycle = astError(() => extractAst({ targets: [{ isStage: true, blocks: { a: { opcode: 'x', next: 'b', topLevel: true }, b: { opcode: 'y', next: 'a' } } }] }));
    expect(cycle.code).toBe('bad-structure');
    const jsonNoType = astError(() => extractAst({ blocks: { blocks: [{ type: 'a', next: { block: { id: 'q' } } }] } }));
    expect(jsonNoType.message).toBe('Blockly JSON: block has no "type" at blocks.blocks[0].next.block');
  });

  test('every truncation of a project gives a tree or an AstError, never anything else', () => {
    const body = `<variables><variable id="v">x</variable></variables><block type="v5_events_when_started" x="1" y="2"><next><block type="v5_control_forever"><statement name="SUBSTACK"><block type="v5_motion_spin"><field name="MOTOR">m&amp;n</field>${num('V', 5)}</block></statement></block></next></block>`;
    for (const text of [vex(ws(body)), ws(body)]) {
      for (let cut = 0; cut < text.length; cut++) {
        try {
          extractAst(text.slice(0, cut));
        } catch (e) {
          expect(e).toBeInstanceOf(AstError);
        }
      }
    }
  });

  test('single-character corruptions give a tree or an AstError', () => {
    const text = ws(`<block type="a" x="1"><field name="F">v</field><value name="V"><shadow type="math_number"><field name="NUM">1</field></shadow></value></block>`);
    for (let i = 0; i < text.length; i++) {
      for (const ch of ['<', '>', '"', '&', '/', ' ', '=']) {
        try {
          const r = extractAst(text.slice(0, i) + ch + text.slice(i + 1));
          expect(r.tree.label).toBe('program');
        } catch (e) {
          expect(e).toBeInstanceOf(AstError);
        }
      }
    }
  });
});
