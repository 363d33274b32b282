/**
 * Real student and teacher programs from ../shared/data/blocks (read in place; they have no
 * licence and are never copied into the repository). Skipped, loudly, when the folder is absent.
 */
import { describe, expect, test } from 'bun:test';
import { findPrograms, type Program } from '../../test/realPrograms.ts';
import { sharedPath } from '../../test/shared.ts';
import { mulberry32 } from '../hmm/sample.ts';
import type { Tree } from '../tree/tree.ts';
import { toBracket, treeEquals, treeSize } from '../tree/tree.ts';
import type { AstFormat, AstResult } from './index.ts';
import { AstError, extractAst, parseXml } from './index.ts';

const dataDir = sharedPath('data/blocks');

const VEX_EXT = /\.(?:v5blocks|iqblocks|expblocks|vrblocks)$/;

const found = dataDir ? findPrograms(dataDir) : { programs: [], malformed: [], metadata: [], unreadable: [] };
const results = new Map<string, AstResult>();
for (const p of found.programs) {
  try {
    results.set(p.rel, extractAst(p.text));
  } catch {
    // Reported by the first test below.
  }
}


const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function randomId(r: () => number): string {
  let s = '';
  for (let i = 0; i < 20; i++) s += ID_CHARS[Math.floor(r() * ID_CHARS.length)];
  return s;
}

/** The workspace XML of an XML-based program, and a way to put a changed one back. */
function xmlOf(p: Program): { xml: string; wrap: (xml: string) => string } | null {
  if (VEX_EXT.test(p.rel)) {
    const obj = JSON.parse(p.text) as Record<string, unknown>;
    return { xml: obj.workspace as string, wrap: (xml) => JSON.stringify({ ...obj, workspace: xml }) };
  }
  if (p.rel.endsWith('.blocks')) return { xml: p.text, wrap: (xml) => xml };
  return null;
}

/** New random `id`s and `x`/`y`s everywhere, and the top-level blocks in reverse document order. */
function scrambleXml(xml: string, r: () => number): string {
  const root = parseXml(xml);
  const tops = root.children.filter((c) => c.kind === 'element' && c.name === 'block') as { offset: number; end: number }[];
  let out = xml;
  if (tops.length > 1) {
    const pieces: string[] = [xml.slice(0, tops[0].offset)];
    for (let i = 0; i < tops.length; i++) {
      const src = tops[tops.length - 1 - i];
      pieces.push(xml.slice(src.offset, src.end));
      pieces.push(xml.slice(tops[i].end, i + 1 < tops.length ? tops[i + 1].offset : xml.length));
    }
    out = pieces.join('');
  }
  return out
    .replace(/(\s)id="[^"]*"/g, (_m, sp: string) => `${sp}id="${randomId(r)}"`)
    .replace(/(\s)([xy])="[^"]*"/g, (_m, sp: string, k: string) => `${sp}${k}="${Math.floor(r() * 4000) - 2000}"`);
}

/** Scratch: every block id renamed consistently, x/y randomised, block map order reversed. */
function scrambleScratch(text: string, r: () => number): string {
  const project = JSON.parse(text) as { targets: { blocks: Record<string, unknown> }[] };
  for (const t of project.targets) {
    const ids = Object.keys(t.blocks);
    const rename = new Map(ids.map((id) => [id, randomId(r)]));
    const ren = (v: unknown) => (typeof v === 'string' && rename.has(v) ? rename.get(v) : v);
    const blocks: Record<string, unknown> = {};
    for (const id of [...ids].reverse()) {
      const b = t.blocks[id];
      if (Array.isArray(b)) {
        blocks[rename.get(id)!] = b.length >= 5 ? [b[0], b[1], b[2], r() * 500, r() * 500] : b;
        continue;
      }
      const blk = { ...(b as Record<string, unknown>) };
      blk.next = ren(blk.next);
      blk.parent = ren(blk.parent);
      if ('x' in blk) blk.x = Math.floor(r() * 1000);
      if ('y' in blk) blk.y = Math.floor(r() * 1000);
      const inputs: Record<string, unknown> = {};
      for (const [k, v] of Object.entries((blk.inputs ?? {}) as Record<string, unknown[]>)) inputs[k] = v.map(ren);
      blk.inputs = inputs;
      blocks[rename.get(id)!] = blk;
    }
    t.blocks = blocks;
  }
  return JSON.stringify(project);
}

/** Number of differing labels between same-shaped trees, or -1 if the shapes differ. Iterative. */
function labelDiff(a: Tree, b: Tree): number {
  let diff = 0;
  const stack: [Tree, Tree][] = [[a, b]];
  while (stack.length > 0) {
    const [x, y] = stack.pop()!;
    if (x.children.length !== y.children.length) return -1;
    if (x.label !== y.label) diff++;
    for (let i = 0; i < x.children.length; i++) stack.push([x.children[i], y.children[i]]);
  }
  return diff;
}

/** Scripts with their container (program, or a Scratch target). */
function scriptsOf(t: Tree): { where: string; script: Tree }[] {
  const out: { where: string; script: Tree }[] = [];
  for (const c of t.children) {
    if (c.label === 'script') out.push({ where: '', script: c });
    else for (const s of c.children) out.push({ where: c.label, script: s });
  }
  return out;
}

/**
 * True if `b` is `a` with exactly one label changed. A changed script may sort to another
 * position, so unchanged scripts are matched by content first.
 */
function oneLabelApart(a: Tree, b: Tree): boolean {
  if (labelDiff(a, b) === 1) return true;
  const left = scriptsOf(a);
  const right = scriptsOf(b);
  const pool = new Map<string, number>();
  for (const s of left) {
    const k = s.where + '\u0000' + toBracket(s.script);
    pool.set(k, (pool.get(k) ?? 0) + 1);
  }
  const unmatchedRight: { where: string; script: Tree }[] = [];
  for (const s of right) {
    const k = s.where + '\u0000' + toBracket(s.script);
    const n = pool.get(k) ?? 0;
    if (n > 0) pool.set(k, n - 1);
    else unmatchedRight.push(s);
  }
  const unmatchedLeft = left.filter((s) => {
    const k = s.where + '\u0000' + toBracket(s.script);
    const n = pool.get(k) ?? 0;
    if (n > 0) {
      pool.set(k, n - 1);
      return true;
    }
    return false;
  });
  return (
    unmatchedLeft.length === 1 &&
    unmatchedRight.length === 1 &&
    unmatchedLeft[0].where === unmatchedRight[0].where &&
    labelDiff(unmatchedLeft[0].script, unmatchedRight[0].script) === 1
  );
}

describe.skipIf(dataDir === null)('real block programs in ../shared/data/blocks', () => {
  test('every program file parses (no silent skipping)', () => {
    const failures: string[] = [];
    const counts: Record<string, number> = {};
    for (const p of found.programs) {
      const r = results.get(p.rel);
      if (!r) {
        try {
          extractAst(p.text);
        } catch (e) {
          failures.push(`${p.rel}: ${(e as Error).message}`);
        }
        continue;
      }
      counts[r.meta.format] = (counts[r.meta.format] ?? 0) + 1;
    }
    const summary = Object.entries(counts)
      .map(([f, n]) => `${f}: ${n}`)
      .join(', ');
    console.log(`parsed ${results.size}/${found.programs.length} program files (${summary})`);
    if (found.metadata.length > 0) console.log(`.json files that are metadata, not programs (${found.metadata.length}): ${found.metadata.join(', ')}`);
    expect(found.unreadable).toEqual([]);
    expect(failures).toEqual([]);
    expect(results.size).toBe(found.programs.length);
    for (const f of ['vexcode', 'blockly-xml', 'scratch3'] satisfies AstFormat[]) expect(counts[f] ?? 0).toBeGreaterThan(0);
  });

  test('VEXcode files report platform, file format and devices', () => {
    for (const p of found.programs) {
      if (!VEX_EXT.test(p.rel)) continue;
      const r = results.get(p.rel)!;
      expect(r.meta.format).toBe('vexcode');
      expect(['V5', 'IQ', 'EXP', 'PG']).toContain(r.meta.platform!);
      expect(['1.0.1', '1.2.0', '1.3.0', '2.0.0']).toContain(r.meta.fileFormat!);
      for (const d of r.meta.devices) expect(typeof d.name).toBe('string');
    }
  });

  test('the malformed file gives a merge-conflict AstError', () => {
    expect(found.malformed.length).toBeGreaterThan(0);
    for (const p of found.malformed) {
      let error: unknown;
      try {
        extractAst(p.text);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(AstError);
      expect((error as AstError).code).toBe('merge-conflict');
      expect((error as AstError).message).toMatch(/unexpected '<<<<<<< .*' at line 1, column 1 \(looks like an unresolved git merge conflict/);
    }
  });

  test('new block ids, new x/y and reversed script order give an identical tree', () => {
    const r = mulberry32(1);
    let checked = 0;
    for (const p of found.programs) {
      const orig = results.get(p.rel)!;
      const x = xmlOf(p);
      const scrambled = x ? x.wrap(scrambleXml(x.xml, r)) : scrambleScratch(p.text, r);
      if (orig.meta.blockCount > 0) expect(scrambled).not.toBe(p.text);
      const same = treeEquals(extractAst(scrambled).tree, orig.tree);
      if (!same) console.log(`not invariant: ${p.rel}`);
      expect(same).toBe(true);
      checked++;
    }
    expect(checked).toBe(found.programs.length);
  });

  test('changing one number field changes exactly one label (tree edit distance 1)', () => {
    let checked = 0;
    let allHidden = 0;
    for (const p of found.programs) {
      const x = xmlOf(p);
      if (!x) continue;
      const orig = results.get(p.rel)!.tree;
      const fields = [...x.xml.matchAll(/<field name="NUM">(-?\d+(?:\.\d+)?)<\/field>/g)];
      // A number in a shadow covered by a plugged-in block is invisible; try until one is visible.
      let done = false;
      for (const m of fields.slice(0, 20)) {
        const changed = x.xml.slice(0, m.index) + `<field name="NUM">${Number(m[1]) + 1}</field>` + x.xml.slice(m.index + m[0].length);
        const tree = extractAst(x.wrap(changed)).tree;
        if (treeEquals(tree, orig)) continue;
        expect(treeSize(tree)).toBe(treeSize(orig));
        const ok = oneLabelApart(orig, tree);
        if (!ok) console.log(`more than one label changed: ${p.rel}`);
        expect(ok).toBe(true);
        done = true;
        break;
      }
      if (done) checked++;
      else if (fields.length > 0) allHidden++;
    }
    console.log(`one-field change checked on ${checked} files (${allHidden} more have only hidden NUM shadows)`);
    expect(checked).toBeGreaterThan(100);
  });

  test('changing one Scratch number primitive changes exactly one label', () => {
    let checked = 0;
    for (const p of found.programs) {
      if (results.get(p.rel)!.meta.format !== 'scratch3') continue;
      const project = JSON.parse(p.text) as { targets: { blocks: Record<string, { inputs?: Record<string, unknown[]>; shadow?: boolean }> }[] };
      let edited = false;
      for (const t of project.targets) {
        for (const b of Object.values(t.blocks)) {
          if (edited || Array.isArray(b) || !b.inputs) continue;
          for (const v of Object.values(b.inputs)) {
            // [1, [4, "10"]]: a visible literal.
            const prim = v[1];
            if (v[0] === 1 && Array.isArray(prim) && prim[0] === 4 && !edited) {
              prim[1] = String(Number(prim[1]) + 1);
              edited = true;
            }
          }
        }
      }
      if (!edited) continue;
      const tree = extractAst(project).tree;
      const orig = results.get(p.rel)!.tree;
      // The edited block may be unreachable (not in any script); then nothing changes.
      if (treeEquals(tree, orig)) continue;
      expect(oneLabelApart(orig, tree)).toBe(true);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });

  test('re-randomising My Block argument ids gives an identical tree', () => {
    const r = mulberry32(7);
    let withArgs = 0;
    let withProcedures = 0;
    for (const p of found.programs) {
      const x = xmlOf(p);
      if (!x || !x.xml.includes('procedures_')) continue;
      withProcedures++;
      const ids = new Set<string>();
      for (const m of x.xml.matchAll(/argumentids="([^"]*)"/g)) {
        for (const id of JSON.parse(m[1].replaceAll('&quot;', '"')) as string[]) ids.add(id);
      }
      for (const m of x.xml.matchAll(/proceduredefid="([^"]*)"/g)) ids.add(m[1]);
      let xml = x.xml;
      for (const id of ids) xml = xml.split(id).join(randomId(r));
      if (ids.size > 0 && [...x.xml.matchAll(/argumentids="\[&quot;/g)].length > 0) {
        withArgs++;
        expect(xml).not.toBe(x.xml);
      }
      expect(treeEquals(extractAst(x.wrap(xml)).tree, results.get(p.rel)!.tree)).toBe(true);
    }
    console.log(`argument ids re-randomised in ${withProcedures} files with procedures (${withArgs} with arguments)`);
    expect(withArgs).toBeGreaterThanOrEqual(5);
  });
});
