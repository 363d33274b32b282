/**
 * For the pool's tests: a distance thread that dies (process.exit inside a Worker ends only
 * the thread) on a pair's first attempt, or on every attempt when the tree's root is `die`;
 * otherwise it is the real thread.
 */
import { ted, type Tree } from '@lmdash/inference';
import type { PairJob } from '../src/distance/pool.ts';

declare const self: Worker;

self.onmessage = (e: MessageEvent<PairJob>) => {
  const { key, prev, next, attempt } = e.data;
  if (attempt === 0 || (prev as Tree).label === 'die') process.exit(1);
  self.postMessage({ key, distance: ted(prev, next, undefined, { bounds: false }) });
};
