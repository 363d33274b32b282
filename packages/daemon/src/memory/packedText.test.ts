import { expect, test } from 'bun:test';
import { generateClassroom } from '@lmdash/fixtures';
import { extractAst, toBracket } from '@lmdash/inference';
import { pack, packedBytes, unpack } from './packedText.ts';

test('a real-size program text packs several times smaller and unpacks to the same text', () => {
  const { events } = generateClassroom({ students: 2, minutes: 30, seed: 5, profile: 'team' });
  const texts: string[] = [];
  for (const e of events) {
    if (e.type !== 'runProject' || texts.length >= 10) continue;
    try {
      texts.push(toBracket(extractAst((e.data as { workspace: string }).workspace).tree));
    } catch {}
  }
  expect(texts.length).toBe(10);
  for (const t of texts) {
    const p = pack(t);
    expect(p).toBeInstanceOf(Uint8Array);
    expect(packedBytes(p) * 4).toBeLessThan(t.length);
    expect(unpack(p)).toBe(t);
  }
});

test('short texts, non-ASCII labels and lone surrogates come back exactly', () => {
  const long = (s: string) => `(${s}${'(motor_spin(port 1))'.repeat(20)})`;
  for (const t of ['', '(a)', long('é→漢字😀'), long('\ud800 lone'), long('tail \udc00')]) {
    expect(unpack(pack(t))).toBe(t);
  }
  // What cannot round-trip through UTF-8 is kept as the string itself.
  expect(typeof pack(long('\ud800'))).toBe('string');
  expect(typeof pack('(a)')).toBe('string');
});
