/**
 * Bounds on the size of a program, so that one huge or hostile program cannot take a process
 * down: exact tree edit distance costs O(n²) memory and up to O(n³) time in the tree size, so
 * a 42,000-node program compared with its next version needs gigabytes. `extractAst` rejects a
 * program over any bound with `AstError('too-large')` before building more than the bound:
 * bytes are counted before any parsing, nodes and depth while the canonical tree is built.
 * The defaults sit far above real classroom programs (1,687 nodes, depth 20, 146 KB at most).
 */
import { AstError } from './errors.ts';

export type ProgramLimits = {
  /** UTF-8 bytes of the project text (or, for a parsed VEXcode object, of its workspace XML). */
  maxBytes: number;
  /** Nodes of the canonical tree (`treeSize`). */
  maxNodes: number;
  /** Depth of the canonical tree (`treeDepth`: the root alone is 1). */
  maxDepth: number;
};

/**
 * 1 MiB: 7× the largest real program (146 KB). 5,000 nodes: 3× the largest real program
 * (1,687); a pair at the bound stays under about 0.85 GB and 9 s (README, "Bounds"). Depth
 * 256: real programs are at most 20 deep; it also bounds the indentation pseudo-code writes.
 */
export const DEFAULT_PROGRAM_LIMITS: Readonly<ProgramLimits> = Object.freeze({ maxBytes: 1_048_576, maxNodes: 5_000, maxDepth: 256 });

/** The daemon's setting for each bound, named in messages so a researcher knows what to change. */
export const PROGRAM_LIMIT_SETTINGS: Readonly<Record<keyof ProgramLimits, string>> = Object.freeze({
  maxBytes: 'LMDASH_MAX_PROGRAM_BYTES',
  maxNodes: 'LMDASH_MAX_PROGRAM_NODES',
  maxDepth: 'LMDASH_MAX_PROGRAM_DEPTH',
});

/** The defaults with `given` over them; each bound a positive integer or Infinity (no bound). */
export function resolveLimits(given: Partial<ProgramLimits> | undefined): ProgramLimits {
  const out = { ...DEFAULT_PROGRAM_LIMITS, ...given };
  for (const k of Object.keys(PROGRAM_LIMIT_SETTINGS) as (keyof ProgramLimits)[]) {
    const v = out[k];
    if (v !== Infinity && !(Number.isInteger(v) && v > 0)) throw new RangeError(`program limits: ${k} must be a positive integer or Infinity, got ${String(v)}`);
  }
  return out;
}

/** 1234567 -> "1,234,567" (no Intl: the same text in every runtime and locale). */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

const UNITS: Record<keyof ProgramLimits, string> = { maxBytes: 'bytes', maxNodes: 'nodes', maxDepth: 'levels deep' };

/**
 * The error for a program over `bound`. `value` is exact for bytes; nodes and depth stop being
 * counted at the first one over, so their message says "at least".
 */
export function tooLarge(bound: keyof ProgramLimits, value: number, limit: number, exact: boolean): AstError {
  const what = `${exact ? '' : 'at least '}${groupDigits(value)} ${UNITS[bound]}`;
  return new AstError('too-large', `program too large: ${what} (limit ${groupDigits(limit)}; ${PROGRAM_LIMIT_SETTINGS[bound]})`, { bound });
}

/**
 * UTF-8 length of `text` without encoding it (no copy): 1 byte below U+0080, 2 below U+0800,
 * 4 per surrogate pair, 3 otherwise (a lone surrogate is written as U+FFFD, 3 bytes).
 */
export function utf8Length(text: string): number {
  let bytes = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < n && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Throws `too-large` when `text` is over the byte bound; O(1) when its length alone says it is not. */
export function checkBytes(text: string, limits: ProgramLimits): void {
  // Every UTF-16 unit is at most three bytes (a surrogate pair: four for two).
  if (text.length * 3 <= limits.maxBytes) return;
  const bytes = utf8Length(text);
  if (bytes > limits.maxBytes) throw tooLarge('maxBytes', bytes, limits.maxBytes, true);
}
