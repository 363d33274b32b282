/**
 * The real programs of ../shared/data/blocks as the tests and benchmarks read them: by
 * extension, plus the .json files that are Scratch 3 projects (decided by content).
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { listFiles } from './shared.ts';

export const PROGRAM_EXT = /\.(?:v5blocks|iqblocks|expblocks|vrblocks|blocks)$/;
// A ProgSnap2 CSV log of Python code: not a block program.
export const NOT_BLOCKS_DIR = 'dheerajathrey__CSEDM-challenge/';

export type Program = { rel: string; text: string };

/** Program files by extension, plus .json files that are Scratch 3 projects (decided by content). */
export function findPrograms(dir: string): { programs: Program[]; malformed: Program[]; metadata: string[]; unreadable: string[] } {
  const programs: Program[] = [];
  const malformed: Program[] = [];
  const metadata: string[] = [];
  const unreadable: string[] = [];
  for (const path of listFiles(dir)) {
    const rel = relative(dir, path);
    if (rel.startsWith(NOT_BLOCKS_DIR)) continue;
    const isProgramExt = PROGRAM_EXT.test(rel);
    if (!isProgramExt && !rel.endsWith('.json')) continue;
    const text = readFileSync(path, 'utf8');
    if (rel.startsWith('malformed/')) {
      malformed.push({ rel, text });
      continue;
    }
    if (isProgramExt) {
      programs.push({ rel, text });
      continue;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      unreadable.push(rel);
      continue;
    }
    const isScratch = value !== null && typeof value === 'object' && Array.isArray((value as { targets?: unknown }).targets);
    if (isScratch) programs.push({ rel, text });
    else metadata.push(rel);
  }
  return { programs, malformed, metadata, unreadable };
}
