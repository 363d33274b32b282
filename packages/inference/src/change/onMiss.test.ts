import { describe, expect, test } from 'bun:test';
import { randomTree, rng } from '../../test/oracle.ts';
import { ted, tedBounds } from '../apted/apted.ts';
import { parseBracket } from '../tree/tree.ts';
import { DistanceCache, changeScore } from './score.ts';

describe('a distance computed elsewhere (onMiss)', () => {
  const a = parseBracket('{p{a}{b}}');
  const b = parseBracket('{p{a}{c}{d}}');

  test('not known yet: the result is pending, and nothing is cached', () => {
    const cache = new DistanceCache();
    const asked: string[] = [];
    const r = changeScore(a, b, { cache, onMiss: (_p, _n, key) => void asked.push(key) });
    expect(r.pending).toBe(true);
    expect(asked).toHaveLength(1);
    expect(cache.size).toBe(0);
  });

  test('known: used as the distance and remembered, so the next call does not ask', () => {
    const cache = new DistanceCache();
    let asked = 0;
    const onMiss = () => (asked++, ted(a, b));
    expect(changeScore(a, b, { cache, onMiss })).toEqual({ distance: 2, score: 2 / 4 });
    expect(changeScore(a, b, { cache, onMiss })).toEqual({ distance: 2, score: 2 / 4 });
    expect(asked).toBe(1);
  });

  test('identical programs never ask', () => {
    let asked = 0;
    expect(changeScore(a, parseBracket('{p{a}{b}}'), { onMiss: () => (asked++, 5) })).toEqual({ distance: 0, score: 0 });
    expect(asked).toBe(0);
  });
});

describe('tedBounds', () => {
  test('bracket the exact distance, and equal bounds are the distance (random pairs)', () => {
    const r = rng(7);
    let met = 0;
    for (let i = 0; i < 200; i++) {
      const n = 2 + Math.floor(r() * 40);
      const x = randomTree(n, r, 'abc');
      const y = i % 3 === 0 ? x : randomTree(n + Math.floor(r() * 5), r, 'abc');
      const { lower, upper } = tedBounds(x, y);
      const d = ted(x, y, undefined, { bounds: false });
      expect(lower).toBeLessThanOrEqual(d);
      expect(upper).toBeGreaterThanOrEqual(d);
      if (lower === upper) {
        met++;
        expect(d).toBe(lower);
      }
    }
    expect(met).toBeGreaterThan(0);
  });
});
