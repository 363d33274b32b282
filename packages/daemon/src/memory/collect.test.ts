import { expect, test } from 'bun:test';
import { checkpoint, collectGarbage, collectionCount, COLLECT_EVERY_RSS_BYTES, growthBound } from './collect.ts';

test('a checkpoint collects once the process has grown past the bound since the last collection, and not again before it grows again', () => {
  collectGarbage();
  const base = process.memoryUsage.rss();
  const bound = growthBound(base);
  const before = collectionCount();
  checkpoint();
  expect(collectionCount()).toBe(before);
  // Touched pages until the resident size really grew past the bound (pages an earlier test
  // freed may be reused first, without growing it).
  const held: Uint8Array[] = [];
  while (process.memoryUsage.rss() - base <= bound && held.length < 64) held.push(new Uint8Array(16 * 1024 * 1024).fill(1));
  expect(process.memoryUsage.rss() - base).toBeGreaterThan(bound);
  checkpoint();
  expect(collectionCount()).toBe(before + 1);
  checkpoint();
  expect(collectionCount()).toBe(before + 1);
  expect(held.every((h) => h[h.length - 1] === 1)).toBe(true);
});

test('the bound is the fixed one for a process the size of the daemon, and a sixteenth of a process far bigger', () => {
  expect(growthBound(0)).toBe(COLLECT_EVERY_RSS_BYTES);
  expect(growthBound(200 * 1024 * 1024)).toBe(COLLECT_EVERY_RSS_BYTES);
  expect(growthBound(2048 * 1024 * 1024)).toBe(128 * 1024 * 1024);
});
