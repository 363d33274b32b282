/**
 * For the pool's tests: a distance thread that dies (process.exit inside a Worker ends only
 * the thread) on a pair's first attempt, or on every attempt when the tree's root is `die`;
 * otherwise it is the real thread.
 */
import { parseBracket, ted } from '@lmdash/inference';
import type { PairJob } from '../src/distance/pool.ts';
import { unpack } from '../src/memory/packedText.ts';

declare const self: Worker;

self.onmessage = (e: MessageEvent<PairJob>) => {
  const { key, prev, next, attempt } = e.data;
  const a = parseBracket(unpack(prev));
  if (attempt === 0 || a.label === 'die') process.exit(1);
  self.postMessage({ key, distance: ted(a, parseBracket(unpack(next)), undefined, { bounds: false }) });
};
