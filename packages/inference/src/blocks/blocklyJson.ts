/**
 * Reads Blockly's JSON serialization (`Blockly.serialization.workspaces.save`):
 * `{ blocks: { languageVersion, blocks: [...] }, variables: [...] }` into the raw block graph.
 * Iterative: `next: { block }` nests one level per block.
 */
import { isIdKey } from './canonical.ts';
import { AstError } from './errors.ts';
import type { PathNode, RawBlock, RawInput, RawMutation } from './raw.ts';
import { pathString, rawBlock } from './raw.ts';
import { childElements, parseXml } from './xml.ts';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

export function looksLikeBlocklyJson(obj: Obj): boolean {
  return isObj(obj.blocks) && Array.isArray(obj.blocks.blocks);
}

/** Renders a scalar field/extraState value; null/undefined become ''. */
function scalar(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v, (k, x: unknown) => (isIdKey(k) ? undefined : x));
}

/**
 * `extraState` is either an object (modern blocks) or a `<mutation .../>` string (blocks that
 * only implement mutationToDom, e.g. scratch-blocks procedures). Both become a RawMutation.
 */
function readExtraState(es: unknown, where: () => string): RawMutation | null {
  if (es === undefined || es === null) return null;
  if (typeof es === 'string') {
    if (!es.trimStart().startsWith('<')) return { attrs: { extraState: es }, children: [] };
    let el;
    try {
      el = parseXml(es);
    } catch (e) {
      throw new AstError('bad-xml', `Blockly JSON: extraState at ${where()} is not well-formed XML: ${(e as Error).message}`, {
        path: where(),
        cause: e,
      });
    }
    return { attrs: { ...el.attrs }, children: childElements(el).map((c) => ({ tag: c.name, attrs: { ...c.attrs } })) };
  }
  if (isObj(es)) {
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(es)) if (v !== undefined) attrs[k] = scalar(v);
    return { attrs, children: [] };
  }
  return { attrs: { extraState: scalar(es) }, children: [] };
}

export function readBlocklyJson(obj: Obj): RawBlock[] {
  const varNames = new Map<string, string>();
  if (Array.isArray(obj.variables)) {
    for (const v of obj.variables as unknown[]) {
      if (isObj(v) && typeof v.id === 'string' && typeof v.name === 'string') varNames.set(v.id, v.name);
    }
  }
  const blocks = (obj.blocks as Obj).blocks as unknown[];
  const work: { src: Obj; raw: RawBlock; path: PathNode }[] = [];
  const bad = (msg: string, path: PathNode | null): AstError => {
    const p = pathString(path);
    return new AstError('bad-structure', `Blockly JSON: ${msg} at ${p}`, { path: p });
  };
  const shell = (src: unknown, path: PathNode, isShadow: boolean): RawBlock => {
    if (!isObj(src)) throw bad('expected a block object', path);
    if (typeof src.type !== 'string' || src.type === '') throw bad('block has no "type"', path);
    const disabled = src.enabled === false || (Array.isArray(src.disabledReasons) && src.disabledReasons.length > 0);
    const raw = rawBlock(src.type, isShadow, disabled);
    work.push({ src, raw, path });
    return raw;
  };
  // Reads `{ block, shadow }` (an input or `next` connection).
  const connection = (c: unknown, path: PathNode): RawInput => {
    const input: RawInput = { name: '', block: null, shadow: null };
    if (c === undefined || c === null) return input;
    if (!isObj(c)) throw bad('expected { block, shadow }', path);
    if (c.block !== undefined && c.block !== null) input.block = shell(c.block, { parent: path, seg: '.block' }, false);
    if (c.shadow !== undefined && c.shadow !== null) input.shadow = shell(c.shadow, { parent: path, seg: '.shadow' }, true);
    return input;
  };

  const root: PathNode = { parent: null, seg: 'blocks.blocks' };
  const tops = blocks.map((b, i) => shell(b, { parent: root, seg: `[${i}]` }, false));
  while (work.length > 0) {
    const { src, raw, path } = work.pop()!;
    raw.mutation = readExtraState(src.extraState, () => pathString(path) + '.extraState');
    if (src.fields !== undefined) {
      if (!isObj(src.fields)) throw bad('"fields" is not an object', path);
      for (const [name, v] of Object.entries(src.fields)) {
        // Variable fields hold { id } (name in the top-level variables list) or { name }.
        let value: string;
        if (isObj(v)) {
          const byId = typeof v.id === 'string' ? varNames.get(v.id) : undefined;
          value = typeof v.name === 'string' ? v.name : (byId ?? scalar(v));
        } else value = scalar(v);
        raw.fields.push({ name, value });
      }
    }
    if (src.inputs !== undefined) {
      if (!isObj(src.inputs)) throw bad('"inputs" is not an object', path);
      for (const [name, c] of Object.entries(src.inputs)) {
        const input = connection(c, { parent: path, seg: `.inputs.${name}` });
        input.name = name;
        raw.inputs.push(input);
      }
    }
    if (src.next !== undefined && src.next !== null) {
      const n = connection(src.next, { parent: path, seg: '.next' });
      raw.next = n.block ?? n.shadow;
    }
  }
  return tops;
}
