/**
 * Consecutive versions of the real projects in ../shared/data/blocks (ordered as manifest.csv
 * says), parsed into canonical trees: a stand-in for a student's consecutive runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { extractAst } from '../src/blocks/extract.ts';
import { parseCsv } from '../src/csv/csv.ts';
import type { Tree } from '../src/tree/tree.ts';

export type RealPair = { project: string; format: string; from: string; to: string; a: Tree; b: Tree };

export function loadRealPairs(blocksDir: string): RealPair[] {
  const [header, ...rows] = parseCsv(readFileSync(join(blocksDir, 'manifest.csv'), 'utf8'));
  const col = (name: string) => header.indexOf(name);
  const groups = new Map<string, string[][]>();
  for (const r of rows) {
    if (Number(r[col('n_versions')]) < 2) continue;
    const key = `${r[col('repo')]}/${r[col('path')]}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(r);
  }
  const pairs: RealPair[] = [];
  for (const [project, versions] of groups) {
    versions.sort((x, y) => x[col('author_date')].localeCompare(y[col('author_date')]) || Number(x[col('version')]) - Number(y[col('version')]));
    let prev: { file: string; tree: Tree } | null = null;
    for (const v of versions) {
      const file = v[col('local_file')];
      let parsed;
      try {
        parsed = extractAst(readFileSync(join(blocksDir, file), 'utf8'));
      } catch {
        continue; // the malformed file, for instance
      }
      if (prev) pairs.push({ project, format: parsed.meta.format, from: prev.file, to: file, a: prev.tree, b: parsed.tree });
      prev = { file, tree: parsed.tree };
    }
  }
  return pairs;
}
