/**
 * Edited versions of the largest real programs: a stand-in for consecutive runs of a big
 * project (the real trajectories here stop below 1,000 nodes; real projects reach ~1,700).
 * Edits are what students do between runs: change a value, add, remove or move a block.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { extractAst } from '../src/blocks/extract.ts';
import { treeSize, type Tree } from '../src/tree/tree.ts';

function nodes(t: Tree): Tree[] {
  const out: Tree[] = [];
  const stack = [t];
  while (stack.length) {
    const n = stack.pop()!;
    out.push(n);
    for (const c of n.children) stack.push(c);
  }
  return out;
}

/** One student-like edit of a copy of `t`. */
export function studentEdit(t: Tree, r: () => number): Tree {
  const copy = structuredClone(t);
  const all = nodes(copy);
  const kind = r();
  const fields = all.filter((n) => n.children.length === 0 && n.label.includes('='));
  const withBlocks = all.filter((n) => n.children.length > 1 && (n.label === 'script' || /^SUBSTACK|^DO|^ELSE/.test(n.label)));
  if (kind < 0.5 && fields.length) {
    const f = fields[Math.floor(r() * fields.length)];
    f.label = f.label.replace(/=.*/, '=' + Math.floor(r() * 1000));
  } else if (withBlocks.length) {
    const seq = withBlocks[Math.floor(r() * withBlocks.length)];
    const i = Math.floor(r() * seq.children.length);
    if (kind < 0.7) seq.children.splice(i, 0, structuredClone(seq.children[Math.floor(r() * seq.children.length)]));
    else if (kind < 0.85) seq.children.splice(i, 1);
    else {
      const [moved] = seq.children.splice(i, 1);
      seq.children.splice(Math.floor(r() * (seq.children.length + 1)), 0, moved);
    }
  }
  return copy;
}

/** The `count` largest VEXcode programs in the shared data, parsed. */
export function largestPrograms(blocksDir: string, count: number): { file: string; tree: Tree }[] {
  const files: { file: string; size: number }[] = [];
  for (const dir of readdirSync(blocksDir)) {
    const d = join(blocksDir, dir);
    if (!statSync(d).isDirectory()) continue;
    for (const f of readdirSync(d)) {
      if (/\.(v5|iq|exp|vr)blocks$/.test(f)) files.push({ file: join(dir, f), size: statSync(join(d, f)).size });
    }
  }
  const parsed: { file: string; tree: Tree }[] = [];
  for (const f of files.sort((a, b) => b.size - a.size)) {
    try {
      parsed.push({ file: f.file, tree: extractAst(readFileSync(join(blocksDir, f.file), 'utf8')).tree });
    } catch {
      /* the malformed file */
    }
  }
  return parsed.sort((a, b) => treeSize(b.tree) - treeSize(a.tree)).slice(0, count);
}
