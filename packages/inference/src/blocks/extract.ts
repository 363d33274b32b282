/**
 * `extractAst`: one entry point for every block-program format we read. It detects the format,
 * reads it into the raw block graph and canonicalizes it (see "Canonical form" in README.md). It either returns a
 * complete tree or throws an `AstError`; never a partial tree, never another error type.
 */
import type { Tree } from '../tree/tree.ts';
import { parseXmlOrThrow, inferPlatform, readWorkspaceXml } from './blocklyXml.ts';
import { looksLikeBlocklyJson, readBlocklyJson } from './blocklyJson.ts';
import { canonicalize } from './canonical.ts';
import { AstError } from './errors.ts';
import { locateJsonError } from './jsonLocate.ts';
import { checkBytes, resolveLimits, type ProgramLimits } from './limits.ts';
import { looksLikeScratch2, looksLikeScratch3, readScratch3 } from './scratch.ts';
import type { Device } from './vexcode.ts';
import { looksLikeVexProject, readVexProject } from './vexcode.ts';
import { lineColumn } from './xml.ts';

export type AstFormat = 'vexcode' | 'blockly-xml' | 'blockly-json' | 'scratch3';

export type AstDevice = Device;

export type AstMeta = {
  format: AstFormat;
  /** `V5`, `IQ`, `EXP`, `PG` (VEXcode VR) from a VEXcode file; inferred from block-type prefixes for bare XML; `Scratch` for Scratch 3; else null. */
  platform: string | null;
  /** VEXcode `fileFormat` (e.g. `2.0.0`) or Scratch `meta.semver`; null for bare Blockly. */
  fileFormat: string | null;
  /** Configured devices (VEXcode `robotConfig` / `rconfig`); empty for other formats. */
  devices: AstDevice[];
  /** Real blocks in the tree; shadows (literal defaults) and dropped shadows are not counted. */
  blockCount: number;
  scriptCount: number;
};

export type AstResult = { tree: Tree; meta: AstMeta };

/**
 * The version of what a program's text parses into: the tree `extractAst` builds and what is
 * derived from it (`treeHash`, `treeSize`, `programShape`), and the metadata. A cache of parse
 * results keyed by text (the daemon's `program_summary`) includes it in its key: bump it with
 * any change that can give another tree, hash, shape or metadata for the same text, so stored
 * summaries of the old parser are never read.
 */
export const PARSER_VERSION = 1;

type Obj = Record<string, unknown>;

const CONFLICT_START = /^<{7}(?: |\r?$)/m;
const CONFLICT_OTHER = /^(?:={7}|>{7})(?: |\r?$)/m;

/** Rejects text carrying unresolved git merge-conflict markers, naming the first one. */
function checkMergeConflict(text: string): void {
  const m = CONFLICT_START.exec(text);
  if (!m || !CONFLICT_OTHER.test(text)) return;
  const at = m.index;
  const { line, column } = lineColumn(text, at);
  const marker = text.slice(at, at + 40).split(/\r?\n/)[0];
  throw new AstError(
    'merge-conflict',
    `project file: unexpected '${marker}' at line ${line}, column ${column} (looks like an unresolved git merge conflict: ` +
      `the file holds '<<<<<<<', '=======' and '>>>>>>>' marker lines; resolve it and keep one version)`,
    { offset: at },
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const p = locateJsonError(text);
    if (p) {
      const { line, column } = lineColumn(text, p.offset);
      throw new AstError('not-json', `project JSON: ${p.reason} at line ${line}, column ${column}`, { offset: p.offset, cause: e });
    }
    throw new AstError('not-json', `project JSON: ${(e as Error).message}`, { cause: e });
  }
}

function describeKeys(obj: Obj): string {
  const keys = Object.keys(obj);
  if (keys.length === 0) return 'an empty object';
  const shown = keys.slice(0, 8).map((k) => JSON.stringify(k));
  return `an object with keys ${shown.join(', ')}${keys.length > 8 ? `, … (${keys.length} keys)` : ''}`;
}

/** Which format `project` is in, by content, without reading the program; null if none. */
export function detectFormat(project: string | object): AstFormat | null {
  try {
    return classify(project).format;
  } catch {
    return null;
  }
}

type Classified = { format: AstFormat; obj: Obj | null; xml: string | null };

function classify(project: string | object): Classified {
  let value: unknown = project;
  if (typeof project === 'string') {
    const text = project.charCodeAt(0) === 0xfeff ? project.slice(1) : project;
    const start = text.search(/\S/);
    if (start < 0) throw new AstError('empty', 'the input is empty');
    checkMergeConflict(text);
    const first = text[start];
    if (first === '<') return { format: 'blockly-xml', obj: null, xml: text };
    if (first !== '{') {
      const { line, column } = lineColumn(text, start);
      throw new AstError(
        'unknown-format',
        `expected a JSON object (starting with '{') or XML (starting with '<'), found '${text.slice(start, start + 20).split(/\r?\n/)[0]}' at line ${line}, column ${column}`,
        { offset: start },
      );
    }
    value = parseJson(text);
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
    throw new AstError('bad-input', `expected a project (JSON text, XML text or a parsed JSON object), got ${kind}`);
  }
  const obj = value as Obj;
  if (looksLikeVexProject(obj)) return { format: 'vexcode', obj, xml: null };
  if (looksLikeScratch3(obj)) return { format: 'scratch3', obj, xml: null };
  if (looksLikeBlocklyJson(obj)) return { format: 'blockly-json', obj, xml: null };
  const hint = looksLikeScratch2(obj) ? ' (looks like a Scratch 2 project.json, which is not supported)' : '';
  throw new AstError(
    'unknown-format',
    `not a block program: got ${describeKeys(obj)}; expected a VEXcode project ("workspace"), a Scratch 3 project ("targets") or Blockly JSON ("blocks": { "blocks": [...] })${hint}`,
  );
}

function extract(project: string | object, limits: ProgramLimits): AstResult {
  if (typeof project !== 'string' && (project === null || typeof project !== 'object')) {
    throw new AstError('bad-input', `expected a project (JSON text, XML text or a parsed JSON object), got ${project === null ? 'null' : typeof project}`);
  }
  // Before anything reads the text: a huge program costs only this count.
  if (typeof project === 'string') checkBytes(project, limits);
  const c = classify(project);
  switch (c.format) {
    case 'vexcode': {
      // A parsed object has no text to count: its workspace XML is what will be parsed.
      if (typeof project !== 'string' && typeof c.obj!.workspace === 'string') checkBytes(c.obj!.workspace, limits);
      const p = readVexProject(c.obj!);
      const r = canonicalize([{ label: 'program', scripts: p.tops }], true, limits);
      return {
        tree: r.tree,
        meta: { format: 'vexcode', platform: p.platform, fileFormat: p.fileFormat, devices: p.devices, blockCount: r.blockCount, scriptCount: r.scriptCount },
      };
    }
    case 'blockly-xml': {
      const xml = c.xml!;
      const root = parseXmlOrThrow(xml, 'workspace XML');
      const tops = readWorkspaceXml(root, xml, 'workspace XML');
      const r = canonicalize([{ label: 'program', scripts: tops }], true, limits);
      return {
        tree: r.tree,
        meta: { format: 'blockly-xml', platform: inferPlatform(tops), fileFormat: null, devices: [], blockCount: r.blockCount, scriptCount: r.scriptCount },
      };
    }
    case 'blockly-json': {
      const tops = readBlocklyJson(c.obj!);
      const r = canonicalize([{ label: 'program', scripts: tops }], true, limits);
      return {
        tree: r.tree,
        meta: { format: 'blockly-json', platform: inferPlatform(tops), fileFormat: null, devices: [], blockCount: r.blockCount, scriptCount: r.scriptCount },
      };
    }
    case 'scratch3': {
      const p = readScratch3(c.obj!);
      const r = canonicalize(p.targets, false, limits);
      return {
        tree: r.tree,
        meta: { format: 'scratch3', platform: 'Scratch', fileFormat: p.fileFormat, devices: [], blockCount: r.blockCount, scriptCount: r.scriptCount },
      };
    }
  }
}

/**
 * Extracts the canonical block tree from a project: VEXcode project JSON, bare Blockly /
 * scratch-blocks / MakeCode XML, Blockly JSON, or Scratch 3 project.json (as text or as a parsed
 * object). A string is read as JSON if it starts with `{` and as XML if it starts with `<`
 * (after whitespace/BOM). Throws `AstError` on anything malformed, and `AstError('too-large')`
 * on a program over `limits` (defaults: `DEFAULT_PROGRAM_LIMITS`; pass `Infinity` to lift a
 * bound): its UTF-8 bytes are counted before any parsing, its nodes and depth as the tree is
 * built. A parsed Scratch 3 or Blockly JSON object has no bytes to count; its nodes and depth are.
 */
export function extractAst(project: string | object, limits?: Partial<ProgramLimits>): AstResult {
  const bounds = resolveLimits(limits);
  try {
    return extract(project, bounds);
  } catch (e) {
    if (e instanceof AstError) throw e;
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    const hint = e instanceof RangeError ? ' (the input may be too large or too deeply nested)' : '';
    throw new AstError('internal', `unexpected error while extracting the block tree: ${msg}${hint}`, { cause: e });
  }
}
