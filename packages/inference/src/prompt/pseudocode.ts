/**
 * Renders a canonical block tree (see "Canonical form" in README.md) as readable pseudocode for people and LLM
 * prompts: one statement block per line, value inputs inline as expressions, statement inputs
 * as bodies indented by two spaces, scripts separated by a blank line. Known block types get a
 * phrase (`v5_motion_spin` -> `spin leftMotor fwd`); unknown ones fall back to their type and
 * `NAME=value` pairs so nothing is lost. Iterative: block stacks can be thousands deep.
 */
import type { Tree } from '../tree/tree.ts';

const INDENT = '  ';
const DISABLED_SUFFIX = ' [disabled]';
const PLATFORM_PREFIX = /^(?:v5|iq|exp|pg|vr)_/;

/**
 * Phrases by block type (platform prefix stripped, so V5/IQ/EXP/VR share them; Scratch opcodes
 * have no prefix). `{NAME}` is a field value or an inline input; missing ones vanish; `{*}` lists
 * numbered inputs. A trailing `:` marks a C-block whose body follows.
 */
const TEMPLATES: Record<string, string> = {
  // VEXcode events
  events_when_started: 'when started',
  events_when_controller_button: 'when {CONTROLLER} {BUTTON} {EVENTTYPE}',
  events_when_brain_button: 'when Brain {BUTTON} {EVENTTYPE}',
  events_when_touchled: 'when {TOUCHLED} {EVENTTYPE}',
  events_when_bumper: 'when {BUMPER} {EVENTTYPE}',
  events_when_autonomous: 'when autonomous',
  events_when_driver: 'when driver control',
  events_when_broadcasted: 'when I receive {BROADCAST_OPTION}',
  events_broadcast: 'broadcast {BROADCAST_INPUT} {BROADCAST_OPTION}',
  events_broadcast_and_wait: 'broadcast {BROADCAST_INPUT} {BROADCAST_OPTION} and wait',
  // control (VEXcode and Scratch share these)
  control_forever: 'forever:',
  control_wait: 'wait {DURATION} seconds',
  control_wait_until: 'wait until {CONDITION}',
  control_repeat: 'repeat {TIMES}:',
  control_repeat_until: 'repeat until {CONDITION}:',
  control_while: 'while {CONDITION}:',
  control_if_then: 'if {CONDITION} then:',
  control_if_then_else: 'if {CONDITION} then:',
  control_if_elseif_else: 'if {CONDITION1} then:',
  control_if: 'if {CONDITION} then:',
  control_if_else: 'if {CONDITION} then:',
  control_stop_project: 'stop project',
  control_break: 'break',
  control_stop: 'stop {STOP_OPTION}',
  control_create_clone_of: 'create clone of {CLONE_OPTION}',
  control_start_as_clone: 'when I start as a clone',
  control_delete_this_clone: 'delete this clone',
  // VEXcode motors and drivetrain
  motion_spin: 'spin {MOTOR} {DIRECTION}',
  motion_spin_for: 'spin {MOTOR} {DIRECTION} for {AMOUNT} {UNITS}',
  motion_spin_to_position: 'spin {MOTOR} to position {AMOUNT} {UNITS}',
  motion_spin_at_voltage: 'spin {MOTOR} {DIRECTION} at {VOLTAGE} volts',
  motion_stop_motor: 'stop {MOTOR}',
  motion_set_motor_velocity: 'set {MOTOR} velocity to {VELOCITY} {UNITS}',
  motion_set_motor_stopping: 'set {MOTOR} stopping to {MODE}',
  motion_set_motor_torque: 'set {MOTOR} torque to {TORQUE} %',
  motion_set_motor_position: 'set {MOTOR} position to {DEGS} {UNITS}',
  motion_pneumatics_cylinder: '{STATE} {PNEUMATIC} {CYLINDER}',
  motion_pneumatics_compressor: 'turn {PNEUMATIC} compressor {STATE}',
  drivetrain_drive: 'drive {DIRECTION}',
  drivetrain_drive_for: 'drive {DIRECTION} for {AMOUNT} {DISTANCE} {UNITS}',
  drivetrain_turn: 'turn {TURNDIRECTION}',
  drivetrain_turn_for: 'turn {TURNDIRECTION} for {AMOUNT} degrees',
  drivetrain_turn_to_heading: 'turn to heading {HEADING} degrees',
  drivetrain_stop: 'stop driving',
  drivetrain_set_drive_velocity: 'set drive velocity to {VELOCITY} {UNITS}',
  drivetrain_set_turn_velocity: 'set turn velocity to {VELOCITY} {UNITS}',
  drivetrain_set_drive_stopping: 'set drive stopping to {MODE}',
  // VEXcode looks
  looks_print: 'print {DATA} on {TARGET}',
  looks_print_new: 'print {DATA} on {TARGET}',
  looks_set_cursor: 'set cursor to row {ROW} column {COLUMN} on {TARGET}',
  looks_set_cursor_new: 'set cursor to row {ROW} column {COLUMN} on {TARGET}',
  looks_next_row: 'set cursor to next row on {TARGET}',
  looks_next_row_new: 'set cursor to next row on {TARGET}',
  looks_clear_all_rows: 'clear all rows on {TARGET}',
  looks_clear_all_rows_new: 'clear all rows on {TARGET}',
  looks_clear_row: 'clear row {ROW} on {TARGET}',
  looks_set_print_precision: 'set print precision to {PRECISION} on {TARGET}',
  looks_set_fill_color: 'set fill color to {COLOR}',
  looks_set_touchled_color: 'set {TOUCHLED} color to {COLOR}',
  looks_controller_play_rumble: 'rumble {CONTROLLER} {PATTERN}',
  screen_print: 'print {DATA} on screen',
  screen_set_cursor: 'set cursor to row {ROW} column {COLUMN}',
  // VEXcode sensing (reporters)
  sensing_position_of_controller: '{CONTROLLER}.{AXIS} position',
  sensing_pressing_controller: '{CONTROLLER}.{BUTTON} pressed?',
  sensing_position_of_motor: '{MOTOR} position in {UNITS}',
  sensing_velocity_of_motor: '{MOTOR} velocity in {UNITS}',
  sensing_controller_is_enabled: 'set controller enabled {isEnabled}',
  sensing_rotation_of_gyro: '{GYRO} rotation',
  sensing_set_gyro_rotation: 'set {GYRO} rotation to {VALUE}',
  sensing_set_gyro_heading: 'set {GYRO} heading to {VALUE}',
  sensing_set_digital_out: 'set {DIGITALOUT} to {STATE}',
  // operators (VEXcode and Scratch)
  operator_add: '{NUM1} + {NUM2}',
  operator_subtract: '{NUM1} - {NUM2}',
  operator_multiply: '{NUM1} * {NUM2}',
  operator_divide: '{NUM1} / {NUM2}',
  operator_math: '{NUM1} {MATH} {NUM2}',
  operator_function: '{OPERATOR} of {NUM}',
  operator_random: 'pick random {FROM} to {TO}',
  operator_equal_to: '{OPERAND1} = {OPERAND2}',
  operator_equals: '{OPERAND1} = {OPERAND2}',
  operator_less_than: '{OPERAND1} < {OPERAND2}',
  operator_lt: '{OPERAND1} < {OPERAND2}',
  operator_greater_than: '{OPERAND1} > {OPERAND2}',
  operator_gt: '{OPERAND1} > {OPERAND2}',
  operator_and: '{OPERAND1} and {OPERAND2}',
  operator_or: '{OPERAND1} or {OPERAND2}',
  operator_not: 'not {OPERAND}',
  operator_join: 'join {STRING1} {STRING2}',
  // variables
  variables_set_variable: 'set {VARIABLE} to {VALUE}',
  variables_set_boolean_variable: 'set {VARIABLE} to {VALUE}',
  variables_change_variable: 'change {VARIABLE} by {VALUE}',
  variables_item_of_array: 'item {INDEX} of {LIST}',
  variables_set_item_of_array: 'replace item {INDEX} of {LIST} with {ITEM}',
  variables_item_of_2d_array: 'item row {ROW} column {COLUMN} of {ARRAY}',
  variables_set_item_of_2d_array: 'replace row {ROW} column {COLUMN} of {ARRAY} with {VALUE}',
  variables_set_array_to: 'set {LIST} to [{*}]',
  variables_set_2d_array_to: 'set {ARRAY} to [{*}]',
  data_2darrayrow: '[{*}]',
  variables_length_of_2d_array: 'number of {DIRECTION} in {ARRAY}',
  other_comment: '// {COMMENT}',
  motion_stop_driving: 'stop driving',
  sensing_temperature_of_motor: '{MOTOR} temperature',
  sensing_torque_of_motor: '{MOTOR} torque in {UNITS}',
  sensing_power_of_motor: '{MOTOR} power',
  sensing_efficiency_of_motor: '{MOTOR} efficiency',
  sensing_distance_object_distance: '{DISTANCE} object distance in {UNITS}',
  sensing_snapshot: 'take a {VISION} snapshot of {SIGNATURE}',
  sensing_reset_timer: 'reset timer',
  sensing_timer_in_seconds: 'timer in seconds',
  // Scratch 3
  event_whenflagclicked: 'when green flag clicked',
  event_whenkeypressed: 'when {KEY_OPTION} key pressed',
  event_whenthisspriteclicked: 'when this sprite clicked',
  event_whenbackdropswitchesto: 'when backdrop switches to {BACKDROP}',
  event_whenbroadcastreceived: 'when I receive {BROADCAST_OPTION}',
  event_broadcast: 'broadcast {BROADCAST_INPUT}',
  event_broadcastandwait: 'broadcast {BROADCAST_INPUT} and wait',
  looks_say: 'say {MESSAGE}',
  looks_sayforsecs: 'say {MESSAGE} for {SECS} seconds',
  looks_think: 'think {MESSAGE}',
  looks_thinkforsecs: 'think {MESSAGE} for {SECS} seconds',
  looks_switchcostumeto: 'switch costume to {COSTUME}',
  looks_switchbackdropto: 'switch backdrop to {BACKDROP}',
  looks_nextcostume: 'next costume',
  looks_nextbackdrop: 'next backdrop',
  looks_setsizeto: 'set size to {SIZE} %',
  looks_changesizeby: 'change size by {CHANGE}',
  looks_gotofrontback: 'go to {FRONT_BACK} layer',
  looks_changeeffectby: 'change {EFFECT} effect by {CHANGE}',
  looks_seteffectto: 'set {EFFECT} effect to {VALUE}',
  motion_glideto: 'glide {SECS} secs to {TO}',
  motion_pointindirection: 'point in direction {DIRECTION}',
  motion_pointtowards: 'point towards {TOWARDS}',
  looks_show: 'show',
  looks_hide: 'hide',
  motion_movesteps: 'move {STEPS} steps',
  motion_turnright: 'turn right {DEGREES} degrees',
  motion_turnleft: 'turn left {DEGREES} degrees',
  motion_goto: 'go to {TO}',
  motion_gotoxy: 'go to x: {X} y: {Y}',
  motion_glidesecstoxy: 'glide {SECS} secs to x: {X} y: {Y}',
  motion_changexby: 'change x by {DX}',
  motion_changeyby: 'change y by {DY}',
  motion_setx: 'set x to {X}',
  motion_sety: 'set y to {Y}',
  sound_play: 'start sound {SOUND_MENU}',
  sound_playuntildone: 'play sound {SOUND_MENU} until done',
  data_setvariableto: 'set {VARIABLE} to {VALUE}',
  data_changevariableby: 'change {VARIABLE} by {VALUE}',
  sensing_touchingobject: 'touching {TOUCHINGOBJECTMENU}?',
  sensing_keypressed: 'key {KEY_OPTION} pressed?',
  sensing_askandwait: 'ask {QUESTION} and wait',
  sensing_answer: 'answer',
  // Blockly / MakeCode core
  'pxt-on-start': 'on start',
  controls_if: 'if {IF0} then:',
  controls_repeat_ext: 'repeat {TIMES}:',
  controls_whileUntil: 'repeat {MODE} {BOOL}:',
  variables_set: 'set {VAR} to {VALUE}',
  math_arithmetic: '{A} {OP} {B}',
  logic_compare: '{A} {OP} {B}',
  logic_operation: '{A} {OP} {B}',
  logic_negate: 'not {BOOL}',
};

/** Boolean (hexagonal) reporters are shown as `<...>`, others as `(...)`. */
const BOOLEAN_TYPE =
  /^(?:operator_(?:equal_to|equals|less_than|lt|greater_than|gt|and|or|not|contains)|logic_(?:compare|operation|negate))$|pressing|_is_|exists|detects|_found|touching|keypressed|mousedown/;

/** Literal and menu blocks whose single value is shown bare. */
const BARE_TYPE =
  /^(?:math_\w+|text|comment_text|bool_input|procedure_bool_input|logic_boolean|colour_picker\w*|looks_colorlist|variables_variable|variables_boolean_variable|variables_get|data_variable|data_listcontents|argument_reporter_\w+|event_broadcast_menu|looks_costume|looks_backdrops)$|_menu$|menu$|picker$/i;

/** Checkbox options rendered as words when on, hidden when off. */
const FLAGS: Record<string, string> = {
  anddontwait_mutator: "and don't wait",
  andsetcursortonextrow_mutator: 'and set cursor to next row',
};

/** Statement inputs whose body sits directly under the block's own line (no header). */
const PRIMARY_BODY = new Set(['SUBSTACK', 'SUBSTACK1', 'DO', 'DO0', 'STACK', 'HANDLER', 'BODY']);
const STATEMENT_INPUT = /^(?:SUBSTACK\w*|DO\d*|ELSE|STACK|HANDLER|BODY)$/;

const HAT_TYPE = /^(?:events?_when|event_when|control_start_as_clone|procedures_definition|pxt-on-start|keyonevent)/;

/** A leaf (field, mutation) or a value input of a block, in tree order. */
type Part = { name: string; value: string } | { name: string; input: Tree };

function isLeaf(n: Tree): boolean {
  return n.children.length === 0;
}

function splitLeaf(label: string): { name: string; value: string } {
  const eq = label.indexOf('=');
  return eq < 0 ? { name: label, value: '' } : { name: label.slice(0, eq), value: label.slice(eq + 1) };
}

/** One line per block: newlines in values (e.g. MakeCode images) are shown as `\n`. */
function oneLine(s: string): string {
  return s.replace(/\r?\n/g, '\\n');
}

function baseType(label: string): { type: string; disabled: boolean } {
  const disabled = label.endsWith(DISABLED_SUFFIX);
  const raw = disabled ? label.slice(0, -DISABLED_SUFFIX.length) : label;
  return { type: raw.replace(PLATFORM_PREFIX, ''), disabled };
}

function isBodyInput(input: Tree): boolean {
  return STATEMENT_INPUT.test(input.label) || input.children.length > 1;
}

/** Blocks plugged into a block's inputs (children of its non-leaf children). */
function inputsOf(block: Tree): Tree[] {
  const out: Tree[] = [];
  for (const c of block.children) if (!isLeaf(c)) out.push(c);
  return out;
}

/** `drive %n %b` + args -> `drive(a, b)`; with text between arguments, `dance %s times %s` -> `dance (a) times (b)`. */
function formatProccode(code: string, args: string[]): string {
  const parts = code.split(/(%[nsb])/);
  const firstArg = parts.findIndex((p) => /^%[nsb]$/.test(p));
  const tailOnly = firstArg < 0 || parts.slice(firstArg).every((p) => /^%[nsb]$/.test(p) || p.trim() === '');
  if (tailOnly) {
    const name = (firstArg < 0 ? code : parts.slice(0, firstArg).join('')).trim();
    return `${name}(${args.join(', ')})`;
  }
  // Text between arguments: mark each argument so it is not read as part of the name.
  let k = 0;
  const mark = (a: string) => (/^[(<].*[)>]$/.test(a) ? a : `(${a})`);
  return parts
    .map((p) => (/^%[nsb]$/.test(p) ? mark(args[k++] ?? '_') : p.replace(/\s+/g, ' ')))
    .join('')
    .trim();
}

/**
 * Renders one block's own text (without body), given the inline expressions of its children.
 * `expr` maps already-rendered blocks to their inline form.
 */
function renderHead(block: Tree, expr: Map<Tree, string>): string {
  const { type, disabled } = baseType(block.label);
  const parts: Part[] = [];
  let proccode: string | null = null;
  for (const c of block.children) {
    if (isLeaf(c)) {
      const leaf = splitLeaf(c.label);
      if (leaf.name === 'proccode') proccode = leaf.value;
      else parts.push(leaf);
    } else if (!isBodyInput(c) && elseIfIndex(block, c) === null) parts.push({ name: c.label, input: c });
  }
  const valueOf = (p: Part): string => {
    if ('input' in p) return p.input.children.length > 0 ? (expr.get(p.input.children[0]) ?? '?') : '';
    return oneLine(p.value);
  };
  let text: string;
  if (proccode !== null && (type === 'procedures_definition' || type === 'procedures_call' || type === 'procedures_prototype')) {
    const args = parts.filter((p) => /^ARG(?:\d+|\?)$/.test(p.name)).map(valueOf);
    const rest = parts.filter((p) => !/^ARG(?:\d+|\?)$/.test(p.name) && !p.name.startsWith('@'));
    text = formatProccode(proccode, args);
    if (type === 'procedures_definition') {
      text = `define ${text}`;
      if (parts.some((p) => p.name === '@warp' && !('input' in p) && p.value === 'true')) text += ' (run without screen refresh)';
    }
    for (const p of rest) text += ` ${p.name}=${valueOf(p)}`;
  } else if (BARE_TYPE.test(type) && parts.length === 1 && !('input' in parts[0])) {
    const v = parts[0].value;
    text = type === 'text' ? JSON.stringify(v) : oneLine(v);
  } else {
    // A trailing ':' (C-block) is added back when the lines are laid out.
    const template = TEMPLATES[type]?.replace(/:$/, '');
    const used = new Set<string>();
    const byName = new Map<string, Part>();
    for (const p of parts) if (!byName.has(p.name)) byName.set(p.name, p);
    const extras: string[] = [];
    if (template !== undefined) {
      // A missing part vanishes with its '.' separator (IQ has no CONTROLLER in `{CONTROLLER}.{AXIS}`).
      // Values go in after the template's spacing is tidied, so their own spaces survive.
      const values: string[] = [];
      text = template.replace(/\{(\w+)\}(\.?)/g, (_m, name: string, dot: string) => {
        const p = byName.get(name);
        if (!p) return '';
        used.add(name);
        values.push(valueOf(p));
        return `\u0000${values.length - 1}\u0000${dot}`;
      });
      // `{*}`: the numbered inputs (array literals: VALUE0, VALUE1, ... or ROW0, ROW1, ...) as a list.
      text = text.replace('{*}', () => {
        const items = parts.filter((p) => !used.has(p.name) && /^(?:VALUE|ROW|ITEM)\d+$/.test(p.name));
        for (const p of items) used.add(p.name);
        return items.map(valueOf).join(', ');
      });
      text = text
        .replace(/\s+/g, ' ')
        .trim()
        .replace(/\u0000(\d+)\u0000/g, (_m, k: string) => values[Number(k)]);
    } else {
      text = type;
    }
    for (const p of parts) {
      if (used.has(p.name)) continue;
      if (!('input' in p) && p.name in FLAGS) {
        if (p.value.toLowerCase() === 'true') extras.push(FLAGS[p.name]);
        continue;
      }
      // Templated blocks show their structure; mutation details are only listed for unknown ones.
      if (template !== undefined && p.name.startsWith('@')) continue;
      if (!('input' in p) && p.value === '') continue;
      extras.push(`${p.name}=${valueOf(p)}`);
    }
    if (extras.length > 0) text += ' ' + extras.join(' ');
  }
  return disabled ? `(disabled) ${text}` : text;
}

/** C-blocks: their line ends with ':' even when the body is empty. */
function isCBlock(block: Tree): boolean {
  return TEMPLATES[baseType(block.label).type]?.endsWith(':') ?? false;
}

/** How a block reads inside another block's line. */
function wrap(block: Tree, head: string): string {
  const { type } = baseType(block.label);
  const parts = block.children.filter((c) => isLeaf(c) || !isBodyInput(c));
  if (BARE_TYPE.test(type) && parts.length === 1 && isLeaf(parts[0])) return head;
  if (/^\[.*\]$/.test(head)) return head; // a list literal is already delimited
  return BOOLEAN_TYPE.test(type) ? `<${head}>` : `(${head})`;
}

/** `CONDITIONk` (k >= 2) / `IFk` (k >= 1) of an if/else-if block: shown as `else if <c> then:` headers. */
function elseIfIndex(block: Tree, input: Tree): number | null {
  if (!/if/i.test(block.label)) return null;
  const m = /^(?:CONDITION(\d+)|IF(\d+))$/.exec(input.label);
  if (!m) return null;
  const k = Number(m[1] ?? m[2]);
  return m[1] !== undefined ? (k >= 2 ? k : null) : k >= 1 ? k : null;
}

/** Header line for a body that is not the block's first body (`else:`, `NAME:`), or null. */
function bodyHeader(block: Tree, input: Tree): string | null {
  const name = input.label;
  if (PRIMARY_BODY.has(name)) return null;
  const { type } = baseType(block.label);
  // SUBSTACKk / DOk under an else-if condition: the condition's header already introduced it.
  let m = /^SUBSTACK(\d+)$/.exec(name);
  if (m && block.children.some((x) => x.label === `CONDITION${m![1]}` && elseIfIndex(block, x) !== null)) return null;
  m = /^DO(\d+)$/.exec(name);
  if (m && block.children.some((x) => x.label === `IF${m![1]}` && elseIfIndex(block, x) !== null)) return null;
  if (name === 'SUBSTACK_ELSE' || name === 'ELSE') return 'else:';
  if (name === 'SUBSTACK2' && /if_then_else$|^control_if_else$/.test(type)) return 'else:';
  return `${name}:`;
}

type Item = { block: Tree; indent: number; hat?: boolean } | { text: string; indent: number };

/**
 * Renders a canonical tree as pseudocode. Accepts the whole program (`program` root, with
 * scripts or Scratch targets), a single `script`, or a single block.
 */
export function renderPseudocode(tree: Tree): string {
  const hit = rendered.get(tree);
  if (hit !== undefined) return hit;
  const text = render(tree);
  rendered.set(tree, text);
  return text;
}

// Trees are values (see treeHash): a live dashboard renders the same latest program on every
// recompute, so the text is remembered by the tree's identity.
const rendered = new WeakMap<Tree, string>();

function render(tree: Tree): string {
  // Pass 1 (post-order, iterative): the head text of every block, children before parents.
  const heads = new Map<Tree, string>();
  const exprs = new Map<Tree, string>();
  const blockRoots: Tree[] = [];
  const scriptsByTarget: { header: string | null; scripts: Tree[][] }[] = [];
  const addScript = (list: Tree[][], script: Tree) => {
    list.push(script.children);
    for (const b of script.children) blockRoots.push(b);
  };
  if (tree.label === 'program') {
    const loose: Tree[][] = [];
    scriptsByTarget.push({ header: null, scripts: loose });
    for (const c of tree.children) {
      if (c.label === 'script') addScript(loose, c);
      else if (c.label === 'stage' || c.label.startsWith('sprite:')) {
        const t = { header: c.label === 'stage' ? 'stage:' : `sprite ${c.label.slice(7)}:`, scripts: [] as Tree[][] };
        scriptsByTarget.push(t);
        for (const s of c.children) addScript(t.scripts, s);
      } else addScript(loose, { label: 'script', children: [c] });
    }
  } else if (tree.label === 'script') {
    scriptsByTarget.push({ header: null, scripts: [] });
    addScript(scriptsByTarget[0].scripts, tree);
  } else {
    scriptsByTarget.push({ header: null, scripts: [] });
    addScript(scriptsByTarget[0].scripts, { label: 'script', children: [tree] });
  }

  const stack: [Tree, boolean][] = blockRoots.map((b) => [b, false]);
  while (stack.length > 0) {
    const [n, done] = stack.pop()!;
    if (done) {
      const head = renderHead(n, exprs);
      heads.set(n, head);
      exprs.set(n, wrap(n, head));
      continue;
    }
    stack.push([n, true]);
    for (const input of inputsOf(n)) for (const b of input.children) stack.push([b, false]);
  }

  // Pass 2 (pre-order, iterative): lines with indentation.
  const lines: string[] = [];
  const emitScripts = (scripts: Tree[][], base: number) => {
    scripts.forEach((blocks, si) => {
      if (si > 0) lines.push('');
      const items: Item[] = [];
      const hat = blocks.length > 1 && HAT_TYPE.test(baseType(blocks[0].label).type);
      for (let i = blocks.length - 1; i >= 0; i--) {
        items.push({ block: blocks[i], indent: base + (hat && i > 0 ? 1 : 0), hat: hat && i === 0 });
      }
      while (items.length > 0) {
        const it = items.pop()!;
        if ('text' in it) {
          lines.push(INDENT.repeat(it.indent) + it.text);
          continue;
        }
        const { block, indent } = it;
        // Sections after the line: bodies, each possibly introduced by a header line.
        const sections: { header: string | null; body: Tree | null }[] = [];
        for (const c of block.children) {
          if (isLeaf(c)) continue;
          if (elseIfIndex(block, c) !== null) {
            const cond = c.children.length > 0 ? (exprs.get(c.children[0]) ?? '?') : '?';
            sections.push({ header: `else if ${cond} then:`, body: null });
          } else if (isBodyInput(c)) sections.push({ header: bodyHeader(block, c), body: c });
        }
        let head = heads.get(block) ?? block.label;
        if (sections.length > 0 || it.hat === true || isCBlock(block)) head += ':';
        lines.push(INDENT.repeat(indent) + head);
        for (let b = sections.length - 1; b >= 0; b--) {
          const { header, body } = sections[b];
          if (body) for (let i = body.children.length - 1; i >= 0; i--) items.push({ block: body.children[i], indent: indent + 1 });
          if (header !== null) items.push({ text: header, indent });
        }
      }
    });
  };
  let first = true;
  for (const t of scriptsByTarget) {
    if (t.header === null && t.scripts.length === 0) continue;
    if (!first) lines.push('');
    first = false;
    if (t.header !== null) {
      lines.push(t.scripts.length === 0 ? `${t.header} (no scripts)` : t.header);
      emitScripts(t.scripts, 1);
    } else emitScripts(t.scripts, 0);
  }
  if (lines.length === 0) return '(empty program)\n';
  return lines.join('\n') + '\n';
}
