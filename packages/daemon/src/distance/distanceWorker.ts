/**
 * A distance pool thread: computes the exact tree edit distance of one pair at a time, off the
 * daemon's tick. The pool sends only pairs whose cheap bounds did not meet, so APTED runs
 * directly. An exception is reported as a failed pair, not thrown: an uncaught one would end the
 * thread (the pool then replaces it and retries the pair).
 */
import { ted, type Tree } from '@lmdash/inference';
import type { PairJob, PairResult } from './pool.ts';

declare const self: Worker;

self.onmessage = (e: MessageEvent<PairJob>) => {
  const { key, prev, next } = e.data;
  let reply: PairResult;
  try {
    reply = { key, distance: ted(prev as Tree, next as Tree, undefined, { bounds: false }) };
  } catch (err) {
    reply = { key, error: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(reply);
};
