/**
 * `extractAst` on the largest real program files (by bytes, every format: VEXcode, Blockly XML,
 * Scratch 3), ms per extraction. A benchmark, not a test: it used to be a test that only logged.
 * Alone: `bun bench/extractLargest.ts` in `packages/inference`.
 */
import { extractAst } from '../src/blocks/extract.ts';
import { treeSize } from '../src/tree/tree.ts';
import { findPrograms } from '../test/realPrograms.ts';
import { time } from './stats.ts';

export type ExtractTiming = { file: string; bytes: number; nodes: number; medianMs: number };

/** The `count` largest program files that extract, timed (median of 20 runs after a warm-up). */
export function benchLargestExtraction(blocksDir: string, log: (line: string) => void = console.log, count = 3): ExtractTiming[] {
  const rows: ExtractTiming[] = [];
  for (const p of findPrograms(blocksDir).programs.sort((a, b) => b.text.length - a.text.length)) {
    if (rows.length === count) break;
    let nodes: number;
    try {
      nodes = treeSize(extractAst(p.text).tree);
    } catch {
      continue; // a program the extractor refuses is the tests' business, not a timing
    }
    const t = time(() => extractAst(p.text), { warmup: 2, runs: 20 });
    rows.push({ file: p.rel, bytes: Buffer.byteLength(p.text), nodes, medianMs: t.median });
    log(`extractAst ${p.rel}: ${nodes} nodes, ${(Buffer.byteLength(p.text) / 1024).toFixed(0)} KiB, median ${t.median.toFixed(2)} ms`);
  }
  return rows;
}

if (import.meta.main) {
  const dir = process.env.LMDASH_SHARED_DIR ? `${process.env.LMDASH_SHARED_DIR}/data/blocks` : new URL('../../../../shared/data/blocks', import.meta.url).pathname;
  benchLargestExtraction(dir);
}
