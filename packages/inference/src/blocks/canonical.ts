/**
 * Turns the raw block graph into the canonical tree (the contract documented under "Canonical form" in README.md):
 * ids and positions never matter, `next` chains become ordered siblings, the plugged-in block
 * wins over its shadow, My Block argument ids become positions, and scripts are sorted by
 * content. Iterative throughout: a 10,000-block stack is just a long loop. Nodes and depth are
 * counted as the tree grows, so a program over a bound stops at the first node past it.
 */
import type { Tree } from '../tree/tree.ts';
import { toBracket } from '../tree/tree.ts';
import { AstError } from './errors.ts';
import { DEFAULT_PROGRAM_LIMITS, tooLarge, type ProgramLimits } from './limits.ts';
import type { RawBlock, RawInput, RawMutation, RawTarget } from './raw.ts';

export type CanonicalResult = { tree: Tree; blockCount: number; scriptCount: number };

/** Suffix added to the label of a disabled block. */
export const DISABLED_SUFFIX = ' [disabled]';

const PROC_DEFINITION = 'procedures_definition';
const PROC_PROTOTYPE = 'procedures_prototype';

// Mutation attributes that are editor state, derived data, or random ids: they never change what
// the program does, so they are dropped (procedure data is handled separately).
const IGNORED_MUTATION_ATTRS = new Set([
  'xmlns',
  'tagName',
  'children',
  '_expanded',
  '_input_init',
  'hasnext',
  'proccode',
  'warp',
  'argumentids',
  'argumentnames',
  'argumentdefaults',
  'argumenttypes',
  'argumentid',
  'proceduredefid',
  'funcname',
  'functionid',
  'varid',
  'blockid',
  'min',
  'max',
  'label',
  'precision',
]);

/** Ids are random per project or per save; any attribute/key that names one is ignored. */
export function isIdKey(key: string): boolean {
  return key === 'id' || key === 'ids' || key.endsWith('Id') || key.endsWith('Ids') || key.endsWith('_id');
}

function keepMutationAttr(key: string): boolean {
  return !IGNORED_MUTATION_ATTRS.has(key) && !key.startsWith('xmlns') && !isIdKey(key);
}

/** Parses a mutation's `argumentids` (a JSON array of strings); null if absent or unreadable. */
function parseIdList(s: string | undefined): string[] | null {
  if (s === undefined) return null;
  try {
    const v: unknown = JSON.parse(s);
    if (Array.isArray(v)) return v.map((x) => String(x));
  } catch {
    // Unreadable ids: fall back to the definition's list.
  }
  return null;
}

// Image fields (e.g. VEX's if/else-if "+"/"-" buttons) serialise an icon path: UI, not program.
const IMAGE_PATH = /\/[^\s]*\.(?:png|svg|gif|jpe?g)$/i;

/** A field's canonical leaf label, or null when the field is editor chrome. */
function fieldLabel(name: string, value: string): string | null {
  if (IMAGE_PATH.test(value)) return null;
  // VEX checkbox mutators are written TRUE/FALSE or true/false depending on app version.
  if (name.endsWith('_mutator') && (value === 'TRUE' || value === 'FALSE')) value = value.toLowerCase();
  return `${name}=${value}`;
}

/** Counts a new node at `depth` (the root is 1) against the bounds; throws at the first one over. */
function grow(ctx: Ctx, depth: number): void {
  const size = ++ctx.size.nodes;
  if (size > ctx.limits.maxNodes) throw tooLarge('maxNodes', size, ctx.limits.maxNodes, false);
  if (depth > ctx.limits.maxDepth) throw tooLarge('maxDepth', depth, ctx.limits.maxDepth, false);
}

function leaf(label: string, ctx: Ctx, depth: number): Tree {
  grow(ctx, depth);
  return { label, children: [] };
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A block node to fill, at `depth` in the tree. */
type Work = { raw: RawBlock; node: Tree; depth: number };

type Ctx = {
  /** proccode -> argument ids from the definition's prototype, for calls whose own list is missing. */
  protoArgIds: Map<string, string[]>;
  blockCount: number;
  work: Work[];
  /** Guards against cyclic or shared links (possible in hand-edited Scratch/JSON input). */
  visited: Set<RawBlock>;
  limits: ProgramLimits;
  /** Nodes made so far in the whole tree (shared by the targets of a Scratch project). */
  size: { nodes: number };
};

/** Walks every raw block reachable from `tops` (iteratively) and records procedure prototypes. */
function collectPrototypes(tops: RawBlock[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  const stack: RawBlock[] = [...tops];
  const seen = new Set<RawBlock>();
  while (stack.length > 0) {
    const b = stack.pop()!;
    if (seen.has(b)) continue;
    seen.add(b);
    if (b.type === PROC_PROTOTYPE && b.mutation) {
      const code = b.mutation.attrs.proccode;
      const ids = parseIdList(b.mutation.attrs.argumentids);
      if (code !== undefined && ids && !map.has(code)) map.set(code, ids);
    }
    if (b.next) stack.push(b.next);
    for (const inp of b.inputs) {
      if (inp.block) stack.push(inp.block);
      if (inp.shadow) stack.push(inp.shadow);
    }
  }
  return map;
}

/** Appends the blocks of a `next` chain to `into` as siblings (at `depth`) and queues them for filling. */
function queueChain(first: RawBlock, into: Tree[], ctx: Ctx, depth: number): void {
  for (let b: RawBlock | null = first; b; b = b.next) {
    if (ctx.visited.has(b)) {
      throw new AstError('bad-structure', `block '${b.type}' is reached twice (a cyclic or shared next/input link)`);
    }
    ctx.visited.add(b);
    grow(ctx, depth);
    const node: Tree = { label: b.type, children: [] };
    into.push(node);
    ctx.work.push({ raw: b, node, depth });
  }
}

function mutationLeaves(m: RawMutation, out: Tree[], ctx: Ctx, depth: number): void {
  const keys = Object.keys(m.attrs).filter(keepMutationAttr).sort(compareStrings);
  for (const k of keys) out.push(leaf(`@${k}=${m.attrs[k]}`, ctx, depth));
  for (const c of m.children) {
    const ck = Object.keys(c.attrs).filter(keepMutationAttr).sort(compareStrings);
    for (const k of ck) out.push(leaf(`@${c.tag}.${k}=${c.attrs[k]}`, ctx, depth));
  }
}

/** Input names for a procedure call/prototype: random argument ids become ARG0, ARG1, ... by position. */
function procedureInputs(raw: RawBlock, ctx: Ctx): { name: string; input: RawInput }[] {
  const code = raw.mutation?.attrs.proccode;
  const own = parseIdList(raw.mutation?.attrs.argumentids);
  const fromDef = code === undefined ? undefined : ctx.protoArgIds.get(code);
  const ids = own && own.length > 0 ? own : (fromDef ?? own ?? []);
  const named = raw.inputs.map((input, docIndex) => {
    let pos = ids.indexOf(input.name);
    if (pos < 0 && fromDef) pos = fromDef.indexOf(input.name);
    return { name: pos >= 0 ? `ARG${pos}` : 'ARG?', input, pos: pos >= 0 ? pos : Number.MAX_SAFE_INTEGER, docIndex };
  });
  named.sort((a, b) => a.pos - b.pos || a.docIndex - b.docIndex);
  return named;
}

/** Any block whose mutation names a proccode (scratch-blocks calls and prototypes, whatever the serialiser). */
function isProcedure(raw: RawBlock): boolean {
  return raw.mutation !== null && raw.mutation.attrs.proccode !== undefined;
}

/** Appends a block's leaves and input nodes to `node.children` (`node` is at `depth`), queueing plugged-in blocks. */
function fillContents(raw: RawBlock, node: Tree, ctx: Ctx, depth: number): void {
  const out = node.children;
  const below = depth + 1;
  let inputs: { name: string; input: RawInput }[];
  if (isProcedure(raw)) {
    const m = raw.mutation!;
    out.push(leaf(`proccode=${m.attrs.proccode}`, ctx, below));
    if (m.attrs.warp === 'true') out.push(leaf('@warp=true', ctx, below));
    inputs = procedureInputs(raw, ctx);
  } else {
    if (raw.mutation) mutationLeaves(raw.mutation, out, ctx, below);
    inputs = raw.inputs.map((input) => ({ name: input.name, input }));
  }
  for (const f of raw.fields) {
    const label = fieldLabel(f.name, f.value);
    if (label !== null) out.push(leaf(label, ctx, below));
  }
  for (const { name, input } of inputs) {
    const chosen = input.block ?? input.shadow;
    // Hoist a definition's prototype: the definition node carries proccode and ARGn directly.
    if (raw.type === PROC_DEFINITION && name === 'custom_block' && chosen && chosen.type === PROC_PROTOTYPE) {
      if (ctx.visited.has(chosen)) throw new AstError('bad-structure', 'a procedure prototype is reached twice');
      ctx.visited.add(chosen);
      if (!chosen.shadow) ctx.blockCount++;
      // The prototype (proccode, ARGn) leads; the definition's own leaves follow it.
      const own = out.splice(0, out.length);
      fillContents(chosen, node, ctx, depth);
      out.push(...own);
      continue;
    }
    if (!chosen) continue; // Empty input: nothing plugged and no default.
    grow(ctx, below);
    const inNode: Tree = { label: name, children: [] };
    out.push(inNode);
    queueChain(chosen, inNode.children, ctx, below + 1);
  }
}

/** Converts the top-level blocks of one workspace/target into sorted script nodes at `depth`. */
function buildScripts(tops: RawBlock[], ctx: Ctx, depth: number): Tree[] {
  const scripts: Tree[] = [];
  for (const top of tops) {
    grow(ctx, depth);
    const script: Tree = { label: 'script', children: [] };
    queueChain(top, script.children, ctx, depth + 1);
    scripts.push(script);
  }
  while (ctx.work.length > 0) {
    const { raw, node, depth: at } = ctx.work.pop()!;
    if (!raw.shadow) ctx.blockCount++;
    node.label = raw.disabled ? raw.type + DISABLED_SUFFIX : raw.type;
    fillContents(raw, node, ctx, at);
  }
  return sortScripts(scripts);
}

/**
 * Deterministic script order, independent of x/y and ids: by the first block's label and its
 * leaves (fields, mutation, proccode), then by the whole script's bracket form.
 */
export function sortScripts(scripts: Tree[]): Tree[] {
  const keyed = scripts.map((s) => {
    const first = s.children[0];
    const parts = first ? [first.label] : [];
    if (first) for (const c of first.children) if (c.children.length === 0) parts.push(c.label);
    return { s, key: parts.join('\n'), full: toBracket(s) };
  });
  keyed.sort((a, b) => compareStrings(a.key, b.key) || compareStrings(a.full, b.full));
  return keyed.map((k) => k.s);
}

/**
 * Builds the canonical tree. For a single workspace pass one target and `flat = true`: the
 * root's children are the scripts. For Scratch 3 (`flat = false`) each target becomes a node
 * (`stage`, `sprite:<name>`) holding its scripts. Throws `AstError('too-large')` at the first
 * node over `limits.maxNodes` or deeper than `limits.maxDepth`.
 */
export function canonicalize(targets: RawTarget[], flat: boolean, limits: ProgramLimits = DEFAULT_PROGRAM_LIMITS): CanonicalResult {
  const root: Tree = { label: 'program', children: [] };
  // The root counts as the first node (limits are at least 1).
  const size = { nodes: 1 };
  let blockCount = 0;
  let scriptCount = 0;
  for (const t of targets) {
    // Procedures are local to a Scratch sprite, so prototypes are looked up per target.
    const ctx: Ctx = { protoArgIds: collectPrototypes(t.scripts), blockCount: 0, work: [], visited: new Set(), limits, size };
    if (!flat) grow(ctx, 2);
    const scripts = buildScripts(t.scripts, ctx, flat ? 2 : 3);
    blockCount += ctx.blockCount;
    scriptCount += scripts.length;
    if (flat) for (const s of scripts) root.children.push(s);
    else root.children.push({ label: t.label, children: scripts });
  }
  return { tree: root, blockCount, scriptCount };
}
