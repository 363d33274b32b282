import { expect, test } from 'bun:test';
import { checkpoint, collectGarbage, collectionCount, COLLECT_EVERY_RSS_BYTES } from './collect.ts';

test('a checkpoint collects once the process has grown past the bound since the last collection, and not again before it grows again', () => {
  collectGarbage();
  const before = collectionCount();
  checkpoint();
  expect(collectionCount()).toBe(before);
  // Touched pages, so the resident size really grows.
  const held = new Uint8Array(COLLECT_EVERY_RSS_BYTES * 2).fill(1);
  checkpoint();
  expect(collectionCount()).toBe(before + 1);
  checkpoint();
  expect(collectionCount()).toBe(before + 1);
  expect(held[held.length - 1]).toBe(1);
});
