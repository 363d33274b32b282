import { describe, expect, test } from 'bun:test';
import type { ProgramSummaryStore } from '@lmdash/core';
import { AstError, DEFAULT_PROGRAM_LIMITS, extractAst, programShape, treeHash, treeSize } from '@lmdash/inference';
import { decodeSummary, DurableSummaries, encodeSummary, summaryKey, type ProgramSummary } from './programSummaries.ts';

const XML = '<xml xmlns="https://developers.google.com/blockly/xml"><block type="iq_drivetrain_drive_for" x="0" y="0"><field name="DIRECTION">fwd</field><value name="DISTANCE"><shadow type="math_number"><field name="NUM">200</field></shadow></value></block></xml>';

function summaryOf(text: string): ProgramSummary {
  const { tree, meta } = extractAst(text);
  return { hash: treeHash(tree), size: treeSize(tree), meta, shape: programShape(tree) };
}

/** An in-memory store with the port's behaviour (replace, oldest first), counting what it is asked. */
function memoryStore(): ProgramSummaryStore & { rows: Map<string, string>; reads: number } {
  const rows = new Map<string, string>();
  return {
    rows,
    reads: 0,
    readMany(keys) {
      this.reads++;
      return new Map(keys.filter((k) => rows.has(k)).map((k) => [k, rows.get(k)!]));
    },
    write(entries) {
      for (const [k, v] of entries) {
        rows.delete(k);
        rows.set(k, v);
      }
    },
    count: () => rows.size,
    evictOldest(n) {
      let gone = 0;
      for (const k of [...rows.keys()].slice(0, n)) gone += rows.delete(k) ? 1 : 0;
      return gone;
    },
  };
}

describe('program summary rows', () => {
  test('a parsed program and a parse error read back as they were written', () => {
    const parsed = summaryOf(XML);
    expect(decodeSummary(encodeSummary(parsed))).toEqual(parsed);
    const tooLarge = new AstError('too-large', 'program is over 10 nodes', { bound: 'maxNodes' });
    const back = decodeSummary(encodeSummary(tooLarge)) as AstError;
    expect(back).toBeInstanceOf(AstError);
    expect([back.code, back.message, back.bound]).toEqual(['too-large', 'program is over 10 nodes', 'maxNodes']);
    let malformed: AstError | undefined;
    try {
      extractAst('<xml><block type="a">');
    } catch (e) {
      malformed = e as AstError;
    }
    const again = decodeSummary(encodeSummary(malformed!)) as AstError;
    expect([again.code, again.message, again.bound]).toEqual([malformed!.code, malformed!.message, undefined]);
  });

  test('a row that is not a summary is a miss, whatever is wrong with it', () => {
    const good = JSON.parse(encodeSummary(summaryOf(XML)));
    const bad = [
      'not json',
      '[]',
      'null',
      JSON.stringify({ ...good, h: '' }),
      JSON.stringify({ ...good, n: 0 }),
      JSON.stringify({ ...good, n: 1.5 }),
      JSON.stringify({ ...good, s: 7 }),
      JSON.stringify({ ...good, m: null }),
      JSON.stringify({ ...good, m: { ...good.m, scriptCount: -1 } }),
      JSON.stringify({ ...good, m: { ...good.m, devices: 'none' } }),
      JSON.stringify({ e: 'too-large' }),
      JSON.stringify({ e: 'too-large', msg: 'x', b: 'maxWidth' }),
    ];
    for (const text of bad) expect(decodeSummary(text)).toBeUndefined();
  });

  test('equal texts share a key; another text or another bound gives another', () => {
    const d = DEFAULT_PROGRAM_LIMITS;
    expect(summaryKey(XML, d)).toBe(summaryKey(`${XML}`, { ...d }));
    expect(summaryKey(XML + ' ', d)).not.toBe(summaryKey(XML, d));
    expect(summaryKey(XML, { ...d, maxNodes: 10 })).not.toBe(summaryKey(XML, d));
    expect(summaryKey(XML, { ...d, maxBytes: 2048 })).not.toBe(summaryKey(XML, d));
    expect(summaryKey(XML, { ...d, maxDepth: 3 })).not.toBe(summaryKey(XML, d));
  });

  test('texts that differ only in a lone surrogate (which UTF-8 turns into U+FFFD) have other keys', () => {
    const d = DEFAULT_PROGRAM_LIMITS;
    const keys = ['<xml>\uD800</xml>', '<xml>\uFFFD</xml>', '<xml>\uDC00</xml>', JSON.stringify('<xml>\uD800</xml>')].map((t) => summaryKey(t, d));
    expect(new Set(keys).size).toBe(4);
    expect(summaryKey('<xml>\uD800</xml>', d)).toBe(summaryKey('<xml>\uD800</xml>', { ...d }));
  });
});

describe('the durable summaries', () => {
  test('what is remembered is stored at the flush, read back, and counted as hits and misses', () => {
    const store = memoryStore();
    const s = new DurableSummaries(store, 100, undefined);
    const key = s.keyOf(XML);
    s.remember(key, summaryOf(XML));
    expect(store.rows.size).toBe(0);
    s.flush(1);
    expect(store.rows.size).toBe(1);
    const found = s.read([key, 'missing']);
    expect(found.get(key)).toEqual(summaryOf(XML));
    expect(s.counts).toEqual({ hits: 1, misses: 1, corrupt: 0 });
    store.rows.set('broken', '{"h":');
    expect(s.read(['broken']).size).toBe(0);
    expect(s.counts.corrupt).toBe(1);
  });

  test('bounded: past maxRows the oldest rows go', () => {
    const store = memoryStore();
    const s = new DurableSummaries(store, 100, undefined);
    for (let i = 0; i < 150; i++) {
      s.remember(`k${i}`, new AstError('empty', 'empty program'));
      s.flush(i);
    }
    expect(store.rows.size).toBeLessThanOrEqual(100);
    expect(store.rows.has('k149')).toBe(true);
    expect(store.rows.has('k0')).toBe(false);
  });

  test('0 rows keeps none and reads none', () => {
    const store = memoryStore();
    const s = new DurableSummaries(store, 0, undefined);
    s.remember('k', summaryOf(XML));
    s.flush(1);
    expect(s.read(['k']).size).toBe(0);
    expect([store.rows.size, store.reads]).toEqual([0, 0]);
  });

  test('a store that fails is logged once and costs only parsing', () => {
    const lines: string[] = [];
    const failing: ProgramSummaryStore = {
      readMany: () => {
        throw new Error('no such table: program_summary');
      },
      write: () => {
        throw new Error('disk I/O error');
      },
      count: () => 0,
      evictOldest: () => 0,
    };
    const s = new DurableSummaries(failing, 100, undefined, (l) => lines.push(l));
    expect(s.read(['a']).size).toBe(0);
    expect(s.read(['b']).size).toBe(0);
    s.remember('a', summaryOf(XML));
    expect(() => s.flush(1)).not.toThrow();
    expect(lines).toEqual([
      'program summaries unreadable (no such table: program_summary); parsing programs instead',
      'program summaries not written (disk I/O error); those programs will be parsed again when needed',
    ]);
  });
});
