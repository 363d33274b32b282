/**
 * Reads a Scratch 3 `project.json`: per target a flat id -> block map with `next`/`parent`
 * pointers and compressed primitive inputs (`[4, "10"]`). Produces one raw target per
 * Scratch target: the stage first, then sprites in file order.
 */
import { AstError } from './errors.ts';
import type { RawBlock, RawInput, RawTarget } from './raw.ts';
import { rawBlock } from './raw.ts';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function looksLikeScratch3(obj: Obj): boolean {
  return Array.isArray(obj.targets);
}

/** Scratch 2 (`.sb2`) project.json: recognised only to say so in the error. */
export function looksLikeScratch2(obj: Obj): boolean {
  return typeof obj.objName === 'string' && ('children' in obj || 'scripts' in obj);
}

// Compressed primitives: [type, value, (id)]. 4-11 are literal shadows, 12/13 are real
// variable/list reporter blocks (scratch-vm serialize/sb3.js).
const PRIMITIVES: Record<number, { type: string; field: string; shadow: boolean }> = {
  4: { type: 'math_number', field: 'NUM', shadow: true },
  5: { type: 'math_positive_number', field: 'NUM', shadow: true },
  6: { type: 'math_whole_number', field: 'NUM', shadow: true },
  7: { type: 'math_integer', field: 'NUM', shadow: true },
  8: { type: 'math_angle', field: 'NUM', shadow: true },
  9: { type: 'colour_picker', field: 'COLOUR', shadow: true },
  10: { type: 'text', field: 'TEXT', shadow: true },
  11: { type: 'event_broadcast_menu', field: 'BROADCAST_OPTION', shadow: true },
  12: { type: 'data_variable', field: 'VARIABLE', shadow: false },
  13: { type: 'data_listcontents', field: 'LIST', shadow: false },
};

function scalar(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

export type ScratchProject = { targets: RawTarget[]; fileFormat: string | null };

export function readScratch3(obj: Obj): ScratchProject {
  const targets = obj.targets as unknown[];
  const out: RawTarget[] = [];
  const stages: RawTarget[] = [];
  targets.forEach((t, ti) => {
    const where = `targets[${ti}]`;
    if (!isObj(t)) throw new AstError('bad-structure', `Scratch 3 project: ${where} is not an object`, { path: where });
    const isStage = t.isStage === true;
    const label = isStage ? 'stage' : `sprite:${scalar(t.name)}`;
    const blocks = t.blocks === undefined ? {} : t.blocks;
    if (!isObj(blocks)) {
      throw new AstError('bad-structure', `Scratch 3 project: ${where}.blocks is not an object`, { path: `${where}.blocks` });
    }
    const target: RawTarget = { label, scripts: readTargetBlocks(blocks, where) };
    (isStage ? stages : out).push(target);
  });
  const semver = isObj(obj.meta) && typeof obj.meta.semver === 'string' ? obj.meta.semver : null;
  return { targets: [...stages, ...out], fileFormat: semver };
}

function primitive(p: unknown[], path: string): RawBlock {
  const kind = PRIMITIVES[p[0] as number];
  if (typeof p[0] !== 'number' || !kind) {
    throw new AstError('bad-structure', `Scratch 3 project: unknown primitive ${JSON.stringify(p).slice(0, 60)} at ${path}`, { path });
  }
  const b = rawBlock(kind.type, kind.shadow);
  b.fields.push({ name: kind.field, value: scalar(p[1]) });
  return b;
}

function readTargetBlocks(blocks: Obj, where: string): RawBlock[] {
  const made = new Map<string, RawBlock>();
  const work: { id: string; src: Obj; raw: RawBlock }[] = [];
  const at = (id: string) => `${where}.blocks[${JSON.stringify(id)}]`;
  const bad = (msg: string, path: string) => new AstError('bad-structure', `Scratch 3 project: ${msg} at ${path}`, { path });

  // Returns the raw block for an id, creating it once; the canonicalizer rejects any block
  // reached twice (cyclic or shared links).
  const byId = (id: string, from: string): RawBlock => {
    const existing = made.get(id);
    if (existing) return existing;
    const src = blocks[id];
    if (src === undefined) throw bad(`link to missing block ${JSON.stringify(id)}`, from);
    if (Array.isArray(src)) {
      const b = primitive(src, at(id));
      made.set(id, b);
      return b;
    }
    if (!isObj(src)) throw bad('block is not an object', at(id));
    if (typeof src.opcode !== 'string' || src.opcode === '') throw bad('block has no opcode', at(id));
    const b = rawBlock(src.opcode, src.shadow === true);
    made.set(id, b);
    work.push({ id, src, raw: b });
    return b;
  };
  const entry = (e: unknown, from: string): RawBlock | null => {
    if (e === null || e === undefined) return null;
    if (typeof e === 'string') return byId(e, from);
    if (Array.isArray(e)) return primitive(e, from);
    throw bad(`unexpected input entry ${JSON.stringify(e).slice(0, 60)}`, from);
  };

  const tops: RawBlock[] = [];
  for (const [id, src] of Object.entries(blocks)) {
    // Top-level variable/list reporters are stored compressed as [12|13, name, id, x, y].
    if (Array.isArray(src)) {
      tops.push(byId(id, at(id)));
      continue;
    }
    // Top-level shadows are invisible leftovers; they are not scripts.
    if (isObj(src) && src.topLevel === true && src.shadow !== true) tops.push(byId(id, at(id)));
  }

  while (work.length > 0) {
    const { id, src, raw } = work.pop()!;
    const path = at(id);
    if (src.fields !== undefined) {
      if (!isObj(src.fields)) throw bad('"fields" is not an object', path);
      for (const [name, f] of Object.entries(src.fields)) {
        raw.fields.push({ name, value: scalar(Array.isArray(f) ? f[0] : f) });
      }
    }
    if (src.inputs !== undefined) {
      if (!isObj(src.inputs)) throw bad('"inputs" is not an object', path);
      for (const [name, v] of Object.entries(src.inputs)) {
        const from = `${path}.inputs.${name}`;
        if (!Array.isArray(v) || typeof v[0] !== 'number') throw bad('input is not [shadowType, ...]', from);
        const input: RawInput = { name, block: null, shadow: null };
        // 1: the entry is its own shadow; 2: a block, no shadow; 3: a block covering a shadow.
        if (v[0] === 1) input.shadow = entry(v[1], from);
        else if (v[0] === 2) input.block = entry(v[1], from);
        else if (v[0] === 3) {
          input.block = entry(v[1], from);
          input.shadow = entry(v[2], from);
        } else throw bad(`unknown input shadow type ${v[0]}`, from);
        raw.inputs.push(input);
      }
    }
    if (isObj(src.mutation)) {
      const attrs: Record<string, string> = {};
      for (const [k, v] of Object.entries(src.mutation)) if (k !== 'tagName' && k !== 'children') attrs[k] = scalar(v);
      raw.mutation = { attrs, children: [] };
    }
    if (typeof src.next === 'string') raw.next = byId(src.next, `${path}.next`);
    else if (src.next !== null && src.next !== undefined) throw bad('"next" is not a block id', `${path}.next`);
  }
  return tops;
}
