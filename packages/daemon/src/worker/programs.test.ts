import { describe, expect, test } from 'bun:test';
import { generateClassroom } from '@lmdash/fixtures';
import { AstError, extractAst, programShape, toBracket, treeHash, treeSize } from '@lmdash/inference';
import { unpack, type Packed } from '../memory/packedText.ts';
import { ProgramTexts, StudentPrograms } from './programs.ts';

/** Real-size programs by run key, as the log would give them back. */
function programs(n: number): Map<string, string> {
  const { events } = generateClassroom({ students: 4, minutes: 60, seed: 3, profile: 'course' });
  const out = new Map<string, string>();
  for (const e of events) {
    if (e.type !== 'runProject' || out.size >= n) continue;
    const text = (e.data as { workspace: string }).workspace;
    // The generator also sends malformed programs: these tests want ones that parse.
    try {
      extractAst(text);
      out.set(String(e.id), text);
    } catch {}
  }
  return out;
}

const parsed = (text: string) => {
  const { tree, meta } = extractAst(text);
  return { tree, meta, hash: treeHash(tree), size: treeSize(tree) };
};

describe('the programs workers keep', () => {
  // More than the trees kept hot, so that some are made from text or from the log.
  const log = programs(40);
  const keys = [...log.keys()];

  test('a tree evicted from the texts is parsed again from the log, identical', () => {
    const reads: string[] = [];
    const texts = new ProgramTexts(4_000, (key) => (reads.push(key), log.get(key)));
    const student = new StudentPrograms(texts);
    for (const k of keys) student.set(k, parsed(log.get(k)!));
    expect(texts.size).toBeLessThanOrEqual(4_000);
    // The newest is still at hand: no read of the log.
    const newest = student.get(keys.at(-1)!);
    if (!newest || newest instanceof AstError) throw new Error('missing');
    expect(toBracket(newest.tree)).toBe(toBracket(extractAst(log.get(keys.at(-1)!)!).tree));
    expect(reads).toEqual([]);
    for (const k of keys) {
      const p = student.get(k);
      if (!p || p instanceof AstError) throw new Error('missing');
      expect(toBracket(p.tree)).toBe(toBracket(extractAst(log.get(k)!).tree));
      expect(p.hash).toBe(treeHash(extractAst(log.get(k)!).tree));
    }
    // The oldest were evicted and came back from the log.
    expect(texts.reloads).toBe(reads.length);
    expect(reads).toContain(keys[0]);
  });

  test('hash, size, metadata and shape need no tree; a failed parse is kept as its error', () => {
    const texts = new ProgramTexts(0, () => undefined);
    const student = new StudentPrograms(texts);
    const p = parsed(log.get(keys[0])!);
    student.set('a', p);
    student.set('b', new AstError('bad-input', 'not a program'));
    const a = student.get('a')!;
    if (a instanceof AstError) throw new Error('an error');
    expect([a.hash, a.size, a.meta]).toEqual([p.hash, p.size, p.meta]);
    // The shape every re-decode reads (the `structure` feature) is kept, computed once when absent.
    expect(a.shape).toBe(programShape(p.tree));
    expect(student.get('b')).toBeInstanceOf(AstError);
    // Kept only as long as it is the newest text or one of the trees just made: with nothing
    // in the log any more, a program once evicted cannot come back, and says so.
    for (let i = 1; i < 30; i++) student.set(`x${i}`, parsed(log.get(keys[i % keys.length])!));
    expect(() => a.tree).toThrow(/no longer in the log/);
    expect(a.shape).toBe(programShape(p.tree));
  });

  test('with no bytes to keep (a rebuild) no text is made: a tree needed after the recompute is parsed from the log, identical', () => {
    const reads: string[] = [];
    const texts = new ProgramTexts(0, (key) => (reads.push(key), log.get(key)));
    const student = new StudentPrograms(texts);
    for (const k of keys.slice(0, 5)) student.set(k, parsed(log.get(k)!));
    expect(texts.size).toBe(0);
    // Within the recompute the trees just made are at hand; after it, the log gives them back.
    const hot = student.get(keys[0])!;
    if (hot instanceof AstError) throw new Error('an error');
    expect(toBracket(hot.tree)).toBe(toBracket(parsed(log.get(keys[0])!).tree));
    expect(reads).toEqual([]);
    texts.release();
    expect(toBracket(hot.tree)).toBe(toBracket(parsed(log.get(keys[0])!).tree));
    expect(reads).toEqual([keys[0]]);
    expect(texts.size).toBe(0);
  });

  test('the texts stay within their bound, and a student cleared leaves nothing behind', () => {
    const texts = new ProgramTexts(50_000, (key) => log.get(key));
    const student = new StudentPrograms(texts);
    for (const k of keys) student.set(k, parsed(log.get(k)!));
    expect(texts.size).toBeGreaterThan(0);
    expect(texts.size).toBeLessThanOrEqual(50_000);
    student.clear();
    expect(texts.size).toBe(0);
    expect(student.has(keys[0])).toBe(false);
  });

  test("a program's text (what the distance threads are sent) is its tree's bracket text, kept, evicted or never kept", () => {
    for (const bound of [0, 3_000, 10_000_000]) {
      const texts = new ProgramTexts(bound, (key) => log.get(key));
      const student = new StudentPrograms(texts);
      for (const k of keys) student.set(k, parsed(log.get(k)!));
      texts.release();
      for (const k of [keys[0], keys.at(-1)!, keys[7]]) {
        const p = student.get(k) as unknown as { packed: Packed };
        expect(unpack(p.packed)).toBe(toBracket(extractAst(log.get(k)!).tree));
      }
      expect(texts.size).toBeLessThanOrEqual(bound);
    }
  });
});
