/**
 * Reads Blockly / scratch-blocks workspace XML (VEXcode `workspace`, MakeCode `main.blocks`)
 * into the raw block graph. Iterative: `<next>` nests one level per block.
 */
import { AstError } from './errors.ts';
import type { RawBlock, RawInput, RawMutation } from './raw.ts';
import { rawBlock } from './raw.ts';
import type { XmlElement } from './xml.ts';
import { XmlError, childElements, directText, lineColumn, parseXml } from './xml.ts';

const MERGE_HINT = ' (looks like an unresolved git merge conflict)';

/**
 * Parses XML text, turning syntax errors into `AstError('bad-xml')` whose message names the
 * source (`where`, e.g. "workspace XML") and the line/column.
 */
export function parseXmlOrThrow(text: string, where: string, path?: string): XmlElement {
  try {
    return parseXml(text);
  } catch (e) {
    if (e instanceof XmlError) {
      const conflict = text.startsWith('<<<<<<<', e.offset) || /^(?:<{7}|={7}|>{7})/m.test(text);
      throw new AstError('bad-xml', `${where}: ${e.message}${conflict ? MERGE_HINT : ''}`, {
        offset: e.offset,
        ...(path === undefined ? {} : { path }),
        cause: e,
      });
    }
    throw e;
  }
}

/** Top-level blocks of a parsed `<xml>` workspace, as raw blocks. */
export function readWorkspaceXml(root: XmlElement, text: string, where: string): RawBlock[] {
  if (root.name !== 'xml') {
    const { line, column } = lineColumn(text, root.offset);
    const hint = root.name === 'project' ? ' (looks like a Snap! project, which is not supported)' : '';
    throw new AstError(
      'unknown-format',
      `${where}: the root element is <${root.qname}> at line ${line}, column ${column}; expected <xml> (a Blockly workspace)${hint}`,
      { offset: root.offset },
    );
  }
  const bad = (msg: string, el: XmlElement): AstError => {
    const { line, column } = lineColumn(text, el.offset);
    return new AstError('bad-structure', `${where}: ${msg} at line ${line}, column ${column}`, { offset: el.offset });
  };
  const shell = (el: XmlElement): RawBlock => {
    const type = el.attrs.type;
    if (type === undefined || type === '') throw bad(`<${el.qname}> has no type attribute`, el);
    const disabled = el.attrs.disabled === 'true' || (el.attrs['disabled-reasons'] ?? '') !== '';
    return rawBlock(type, el.name === 'shadow', disabled);
  };

  const work: { el: XmlElement; raw: RawBlock }[] = [];
  const tops: RawBlock[] = [];
  // <variables> and workspace <comment> sticky notes are not program: they are dropped.
  for (const el of childElements(root, 'block')) {
    const raw = shell(el);
    tops.push(raw);
    work.push({ el, raw });
  }

  while (work.length > 0) {
    const { el, raw } = work.pop()!;
    for (const c of el.children) {
      if (c.kind !== 'element') continue;
      switch (c.name) {
        case 'field': {
          const name = c.attrs.name;
          if (name === undefined) throw bad('<field> has no name attribute', c);
          raw.fields.push({ name, value: directText(c) });
          break;
        }
        case 'mutation':
          raw.mutation = readMutation(c);
          break;
        case 'value':
        case 'statement': {
          const name = c.attrs.name;
          if (name === undefined) throw bad(`<${c.qname}> has no name attribute`, c);
          const input: RawInput = { name, block: null, shadow: null };
          for (const b of childElements(c)) {
            if (b.name === 'block') {
              if (input.block) throw bad(`input '${name}' holds two blocks`, b);
              input.block = shell(b);
              work.push({ el: b, raw: input.block });
            } else if (b.name === 'shadow') {
              if (input.shadow) throw bad(`input '${name}' holds two shadows`, b);
              input.shadow = shell(b);
              work.push({ el: b, raw: input.shadow });
            }
          }
          raw.inputs.push(input);
          break;
        }
        case 'next': {
          const blocks = childElements(c).filter((b) => b.name === 'block' || b.name === 'shadow');
          if (blocks.length > 1 && blocks.filter((b) => b.name === 'block').length > 1) {
            throw bad('<next> holds more than one block', c);
          }
          const b = blocks.find((x) => x.name === 'block') ?? blocks[0];
          if (b) {
            if (raw.next) throw bad('a block has two <next> elements', c);
            raw.next = shell(b);
            work.push({ el: b, raw: raw.next });
          }
          break;
        }
        // Block comments, MakeCode <data> and anything unknown are editor metadata.
        default:
          break;
      }
    }
  }
  return tops;
}

function readMutation(el: XmlElement): RawMutation {
  return {
    attrs: { ...el.attrs },
    children: childElements(el).map((c) => ({ tag: c.name, attrs: { ...c.attrs } })),
  };
}

const VEX_PREFIXES: [string, string][] = [
  ['v5_', 'V5'],
  ['iq_', 'IQ'],
  ['exp_', 'EXP'],
  ['pg_', 'PG'],
];

/**
 * Guesses the VEX platform of a bare workspace from block-type prefixes: the platform whose
 * prefix most blocks carry, if any block carries one; otherwise null (e.g. MakeCode).
 */
export function inferPlatform(tops: RawBlock[]): string | null {
  const counts = new Map<string, number>();
  const stack: RawBlock[] = [...tops];
  while (stack.length > 0) {
    const b = stack.pop()!;
    for (const [prefix, platform] of VEX_PREFIXES) {
      if (b.type.startsWith(prefix)) counts.set(platform, (counts.get(platform) ?? 0) + 1);
    }
    if (b.next) stack.push(b.next);
    for (const i of b.inputs) {
      if (i.block) stack.push(i.block);
      if (i.shadow) stack.push(i.shadow);
    }
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [p, n] of counts) {
    if (n > bestCount) {
      best = p;
      bestCount = n;
    }
  }
  return best;
}
