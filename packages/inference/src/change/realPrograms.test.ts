/**
 * The change measures on real students' programs (read from ../shared, never copied here):
 * ids and positions do not count, one changed value is distance 1, and APTED agrees with the
 * bounds on real consecutive versions.
 */
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { loadRealPairs } from '../../bench/realPairs.ts';
import { listFiles, sharedPath } from '../../test/shared.ts';
import { tedWithStats } from '../apted/apted.ts';
import { extractAst } from '../blocks/extract.ts';
import { changeScore } from './score.ts';

const dir = sharedPath('data/blocks');
const vexFiles = dir ? listFiles(dir).filter((f) => /\.(v5|iq|exp|vr)blocks$/.test(f) && !f.includes('/malformed/')) : [];

describe.skipIf(!dir)('change on real programs (../shared/data/blocks)', () => {
  test('new ids and positions give distance 0; one changed number gives distance 1', () => {
    let checked = 0;
    for (const file of vexFiles.filter((_, i) => i % 4 === 0)) {
      const text = readFileSync(file, 'utf8');
      const before = extractAst(text).tree;
      let k = 0;
      const moved = text.replace(/ (id|x|y)=\\"[^"\\]*\\"/g, (_m, attr) => ` ${attr}=\\"${attr === 'id' ? `id${k++}` : String(k++ * 7)}\\"`);
      expect(changeScore(before, extractAst(moved).tree).distance).toBe(0);
      // The first number that is visible (a shadow covered by a plugged-in block is not).
      let after = null;
      for (const m of text.matchAll(/<field name=\\"NUM\\">(-?\d+)</g)) {
        const at = m.index + m[0].length - 1 - m[1].length;
        const tree = extractAst(text.slice(0, at) + String(Number(m[1]) + 1) + text.slice(at + m[1].length)).tree;
        if (changeScore(before, tree).distance !== 0) {
          after = tree;
          break;
        }
      }
      if (!after) continue;
      expect({ file, d: changeScore(before, after).distance }).toEqual({ file, d: 1 });
      if (checked < 10) expect(tedWithStats(before, after, undefined, { bounds: false }).distance).toBe(1);
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  }, 60_000);

  test('on consecutive real versions, the bounds (when they meet) and APTED agree', () => {
    const pairs = dir ? loadRealPairs(dir) : [];
    expect(pairs.length).toBeGreaterThan(40);
    let viaBounds = 0;
    for (const p of pairs) {
      const withBounds = tedWithStats(p.a, p.b);
      const apted = tedWithStats(p.a, p.b, undefined, { bounds: false });
      expect({ pair: `${p.from} -> ${p.to}`, d: withBounds.distance }).toEqual({ pair: `${p.from} -> ${p.to}`, d: apted.distance });
      if (withBounds.method === 'bounds') viaBounds++;
    }
    console.log(`real consecutive versions: ${pairs.length} pairs, ${viaBounds} settled by the bounds alone`);
  }, 120_000);
});
