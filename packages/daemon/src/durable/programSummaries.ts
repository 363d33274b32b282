/**
 * The durable program summaries: what parsing a run's program gave — its tree hash, size,
 * metadata and shape, or its parse error — keyed by a hash of the program text, the program
 * bounds and the parser's version (`summaryKey`), so a restart or a rebuild does not parse
 * every program again: a warm rebuild parses only each student's latest program (for the card)
 * and the programs of pairs whose distance is not stored. The tree is never stored: whoever
 * needs it parses the run's program from the log again (`ProgramTexts`).
 *
 * Only a cache: a row that is missing, deleted or corrupt reads as a miss and the program is
 * parsed (and its row written again); a failure to read or write is logged once, never fatal.
 * Bounded by `maxRows` (LMDASH_PROGRAM_SUMMARY_ROWS), oldest evicted first. Stored through the
 * storage port (`ProgramSummaryStore`).
 */
import type { ProgramSummaryStore } from '@lmdash/core';
import { AstError, PARSER_VERSION, resolveLimits, type AstErrorCode, type AstMeta, type ParsedProgram, type ProgramLimits } from '@lmdash/inference';
import { RowBound } from './bound.ts';

/** A parsed program without its tree, as a summary row gives it back. */
export type ProgramSummary = Omit<ParsedProgram, 'tree'> & { readonly shape: string };

/** `String.prototype.isWellFormed` (ES2024: in Bun, not in this project's TypeScript lib). */
const isWellFormed = (s: string): boolean => (s as string & { isWellFormed(): boolean }).isWellFormed();

/**
 * The key of a program's summary: SHA-256 of the parser version, the bounds (a program over one
 * is a parse error) and the text. Any of the three changing gives another key, never a stale row.
 * The hasher reads text as UTF-8, where a lone surrogate becomes U+FFFD; such a text (hostile or
 * broken) is hashed as its JSON, which keeps every code unit, so two texts never share a key.
 */
export function summaryKey(text: string, limits: ProgramLimits): string {
  const hasher = new Bun.CryptoHasher('sha256').update(`${PARSER_VERSION}|${limits.maxBytes},${limits.maxNodes},${limits.maxDepth}|`);
  const exact = isWellFormed(text);
  return hasher.update(exact ? 'w|' : 'j|').update(exact ? text : JSON.stringify(text)).digest('base64url');
}

type Stored = { h: string; n: number; s: string; m: AstMeta } | { e: AstErrorCode; msg: string; b?: AstError['bound'] };

/** The JSON stored for an outcome (a ParsedProgram's tree is not read). */
export function encodeSummary(outcome: ProgramSummary | AstError): string {
  const stored: Stored = outcome instanceof AstError ? { e: outcome.code, msg: outcome.message, ...(outcome.bound ? { b: outcome.bound } : {}) } : { h: outcome.hash, n: outcome.size, s: outcome.shape, m: outcome.meta };
  return JSON.stringify(stored);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const nullableString = (v: unknown) => v === null || typeof v === 'string';
const count = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 0;

function isMeta(m: unknown): m is AstMeta {
  return isObject(m) && typeof m.format === 'string' && nullableString(m.platform) && nullableString(m.fileFormat) && Array.isArray(m.devices) && m.devices.every(isObject) && count(m.blockCount) && count(m.scriptCount);
}

/** A stored summary back as an outcome, or undefined when the text is not one (corrupt: a miss). */
export function decodeSummary(json: string): ProgramSummary | AstError | undefined {
  let v: unknown;
  try {
    v = JSON.parse(json);
  } catch {
    return undefined;
  }
  if (!isObject(v)) return undefined;
  if ('e' in v) {
    if (typeof v.e !== 'string' || typeof v.msg !== 'string' || !(v.b === undefined || v.b === 'maxBytes' || v.b === 'maxNodes' || v.b === 'maxDepth')) return undefined;
    return new AstError(v.e as AstErrorCode, v.msg, v.b === undefined ? {} : { bound: v.b });
  }
  if (typeof v.h !== 'string' || v.h === '' || !Number.isSafeInteger(v.n) || (v.n as number) < 1 || typeof v.s !== 'string' || !isMeta(v.m)) return undefined;
  return { hash: v.h, size: v.n as number, shape: v.s, meta: v.m };
}

export class DurableSummaries {
  private readonly bound: RowBound;
  private readonly limits: ProgramLimits;
  /** Parsed since the last flush: to be stored. */
  private fresh = new Map<string, string>();
  private readFailed = false;
  /** Summaries read, missed, and found corrupt (figures, tests). */
  counts = { hits: 0, misses: 0, corrupt: 0 };

  constructor(
    private readonly store: ProgramSummaryStore,
    private readonly maxRows: number,
    limits: Partial<ProgramLimits> | undefined,
    private readonly log: (line: string) => void = () => {},
  ) {
    this.bound = new RowBound(store, maxRows);
    this.limits = resolveLimits(limits);
  }

  /** Whether summaries are kept at all (LMDASH_PROGRAM_SUMMARY_ROWS > 0). */
  get enabled(): boolean {
    return this.maxRows > 0;
  }

  keyOf(text: string): string {
    return summaryKey(text, this.limits);
  }

  /** The stored summaries of those keys that have a readable one. */
  read(keys: readonly string[]): Map<string, ProgramSummary | AstError> {
    const out = new Map<string, ProgramSummary | AstError>();
    if (!this.enabled || keys.length === 0) return out;
    let rows: Map<string, string>;
    try {
      rows = this.store.readMany(keys);
    } catch (e) {
      // Once: a broken table would otherwise log every student of every tick.
      if (!this.readFailed) this.log(`program summaries unreadable (${(e as Error).message}); parsing programs instead`);
      this.readFailed = true;
      return out;
    }
    for (const [key, json] of rows) {
      const s = decodeSummary(json);
      if (s === undefined) this.counts.corrupt++;
      else out.set(key, s);
    }
    this.counts.hits += out.size;
    this.counts.misses += keys.length - out.size;
    return out;
  }

  /** Notes a program just parsed, stored at the next `flush`. */
  remember(key: string, outcome: ProgramSummary | AstError): void {
    if (this.enabled) this.fresh.set(key, encodeSummary(outcome));
  }

  /** Stores what was parsed since the last flush, in one transaction of its own, then evicts past the bound. */
  flush(now: number): void {
    if (this.fresh.size === 0) return;
    const entries = this.fresh;
    this.fresh = new Map();
    try {
      this.store.write(entries, now);
      this.bound.written(entries.size);
    } catch (e) {
      this.log(`program summaries not written (${(e as Error).message}); those programs will be parsed again when needed`);
    }
  }
}
