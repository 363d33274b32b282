/**
 * The format-neutral block graph every reader (VEXcode/Blockly XML, Blockly JSON, Scratch 3)
 * produces, so the canonical form is decided in one place (`canonical.ts`).
 */

export type RawField = { name: string; value: string };

/** A child element of a mutation, e.g. Blockly's `<arg name="x"/>`. */
export type RawMutationChild = { tag: string; attrs: Record<string, string> };

export type RawMutation = { attrs: Record<string, string>; children: RawMutationChild[] };

/**
 * A value or statement input. `block` is what is plugged in; `shadow` is the default the editor
 * shows when nothing is. Statement inputs hold the first block of a `next` chain.
 */
export type RawInput = { name: string; block: RawBlock | null; shadow: RawBlock | null };

export type RawBlock = {
  type: string;
  shadow: boolean;
  disabled: boolean;
  /** In document (serialisation) order. */
  fields: RawField[];
  mutation: RawMutation | null;
  /** In document (serialisation) order. */
  inputs: RawInput[];
  next: RawBlock | null;
};

/** Scripts of one Scratch target (or, for single-workspace formats, the whole workspace). */
export type RawTarget = { label: string; scripts: RawBlock[] };

export function rawBlock(type: string, shadow: boolean, disabled = false): RawBlock {
  return { type, shadow, disabled, fields: [], mutation: null, inputs: [], next: null };
}

/**
 * A lazily materialised location path, so deep chains don't build O(depth) strings per block;
 * the string is only assembled when an error needs it.
 */
export type PathNode = { parent: PathNode | null; seg: string };

export function pathString(p: PathNode | null): string {
  const segs: string[] = [];
  for (let n = p; n; n = n.parent) segs.push(n.seg);
  segs.reverse();
  if (segs.length > 24) {
    const skipped = segs.length - 16;
    return segs.slice(0, 8).join('') + `…(${skipped} more steps)…` + segs.slice(-8).join('');
  }
  return segs.join('');
}
