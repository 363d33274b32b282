/**
 * The warm workers' parsed programs, kept small. Trees as objects cost ~180 bytes a node, and a
 * 300-student class of real-size programs parses into over a million nodes in an hour, so a
 * worker keeps per run only what a re-decode reads (hash, size, metadata, or the parse error),
 * and the trees are kept as bracket text (~15 bytes a node), packed (`memory/packedText.ts`,
 * ~1.5 bytes a node), in one LRU shared by every student, bounded in packed bytes. A tree is produced only when a distance, an episode's net change
 * or the card needs it: from the few trees made last, from the LRU, or, once evicted, by
 * parsing the run's program again from `vex_log`. Everything here is a cache of the log.
 */
import { AstError, extractAst, parseBracket, programShape, toBracket, type AstMeta, type ParsedProgram, type ProgramCache, type ProgramLimits, type Tree } from '@lmdash/inference';
import type { ProgramSummary } from '../durable/programSummaries.ts';
import { pack, packedBytes, unpack, type Packed } from '../memory/packedText.ts';

/**
 * Trees kept as objects while one recompute runs (`release` drops them), so it does not parse
 * the same text twice: a recompute reads at most a handful (a new pair, an episode's first
 * program, the latest for the card).
 */
const HOT_TREES = 16;

/** Reads a run's program text from the log (undefined when the run is not there). */
export type ProgramSource = (sourceEventId: string) => string | undefined;

/** The packed bracket texts of every student's parsed programs, oldest-used evicted first beyond `maxBytes`. */
export class ProgramTexts {
  private readonly texts = new Map<string, Packed>();
  private readonly hot = new Map<string, Tree>();
  private bytes = 0;
  /** Trees parsed again from the log after their text was evicted (figures, tests). */
  reloads = 0;

  constructor(
    readonly maxBytes: number,
    private readonly source: ProgramSource,
    private readonly limits?: Partial<ProgramLimits>,
  ) {}

  /** Packed bytes held. */
  get size(): number {
    return this.bytes;
  }

  put(key: string, tree: Tree): void {
    this.remember(key, tree);
    this.warm(key, tree);
  }

  delete(key: string): void {
    const text = this.texts.get(key);
    if (text !== undefined) {
      this.texts.delete(key);
      this.bytes -= packedBytes(text);
    }
    this.hot.delete(key);
  }

  clear(): void {
    this.texts.clear();
    this.hot.clear();
    this.bytes = 0;
  }

  /** Drops the trees made as objects: between recomputes only text is kept. */
  release(): void {
    this.hot.clear();
  }

  /**
   * The run's packed bracket text: the LRU's own when it is kept (so a pair queued for the
   * distance threads holds no second copy), else packed from its tree.
   */
  packed(key: string): Packed {
    const text = this.texts.get(key);
    if (text !== undefined) {
      this.texts.delete(key);
      this.texts.set(key, text);
      return text;
    }
    const tree = this.tree(key);
    return this.texts.get(key) ?? pack(toBracket(tree));
  }

  /** The run's tree: made last, kept as text, or parsed again from the log. */
  tree(key: string): Tree {
    const hot = this.hot.get(key);
    if (hot) return hot;
    const text = this.texts.get(key);
    let tree: Tree;
    if (text !== undefined) {
      // Refresh: Map order is insertion order, so re-inserting keeps it youngest.
      this.texts.delete(key);
      this.texts.set(key, text);
      tree = parseBracket(unpack(text));
    } else {
      tree = this.reload(key);
      this.remember(key, tree);
    }
    this.warm(key, tree);
    return tree;
  }

  private reload(key: string): Tree {
    const program = this.source(key);
    if (program === undefined) throw new Error(`program of run ${key} is no longer in the log`);
    this.reloads++;
    // It parsed before with these limits, so it parses again: a pure function of its text.
    return extractAst(program, this.limits).tree;
  }

  /** Keeps the tree as text; with no bytes to keep (a rebuild) none is made: the log has it. */
  private remember(key: string, tree: Tree): void {
    this.delete(key);
    if (this.maxBytes === 0) return;
    const text = pack(toBracket(tree));
    this.texts.set(key, text);
    this.bytes += packedBytes(text);
    for (const [k, t] of this.texts) {
      if (this.bytes <= this.maxBytes || k === key) break;
      this.texts.delete(k);
      this.bytes -= packedBytes(t);
    }
  }

  private warm(key: string, tree: Tree): void {
    this.hot.delete(key);
    this.hot.set(key, tree);
    if (this.hot.size > HOT_TREES) this.hot.delete(this.hot.keys().next().value as string);
  }
}

/** One run's parsed program as a worker keeps it: the tree is made on demand (its shape, read by every re-decode, is kept). */
class StoredProgram implements ParsedProgram {
  constructor(
    private readonly key: string,
    readonly hash: string,
    readonly size: number,
    readonly meta: AstMeta,
    readonly shape: string,
    private readonly texts: ProgramTexts,
  ) {}

  get tree(): Tree {
    return this.texts.tree(this.key);
  }

  /** The tree as packed bracket text (`ProgramTexts.packed`): what the distance threads are sent. */
  get packed(): Packed {
    return this.texts.packed(this.key);
  }
}

/** One student's parsed programs by run key (`computeStrategyStates`' `astCache`). */
export class StudentPrograms implements ProgramCache {
  private readonly byKey = new Map<string, StoredProgram | AstError>();

  constructor(private readonly texts: ProgramTexts) {}

  get(key: string): ParsedProgram | AstError | undefined {
    return this.byKey.get(key);
  }

  set(key: string, outcome: ParsedProgram | AstError): void {
    if (outcome instanceof AstError) {
      this.byKey.set(key, outcome);
      return;
    }
    this.texts.put(key, outcome.tree);
    this.byKey.set(key, new StoredProgram(key, outcome.hash, outcome.size, outcome.meta, outcome.shape ?? programShape(outcome.tree), this.texts));
  }

  /**
   * Takes a program's outcome from its durable summary (`durable/programSummaries.ts`) instead
   * of parsing it: its tree, if ever needed, is parsed from the log.
   */
  adopt(key: string, summary: ProgramSummary | AstError): void {
    if (summary instanceof AstError) this.byKey.set(key, summary);
    else this.byKey.set(key, new StoredProgram(key, summary.hash, summary.size, summary.meta, summary.shape, this.texts));
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  delete(key: string): void {
    this.byKey.delete(key);
    this.texts.delete(key);
  }

  /** Drops every program of this student, texts included. */
  clear(): void {
    for (const key of this.byKey.keys()) this.texts.delete(key);
    this.byKey.clear();
  }
}
