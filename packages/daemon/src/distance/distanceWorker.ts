/**
 * A distance pool thread: computes the exact tree edit distance of one pair at a time, off the
 * daemon's tick. The pool sends only pairs whose cheap bounds did not meet, so APTED runs
 * directly. An exception is reported as a failed pair, not thrown: an uncaught one would end the
 * thread (the pool then replaces it and retries the pair).
 */
import { parseBracket, releaseBuffers, ted } from '@lmdash/inference';
import { unpack } from '../memory/packedText.ts';
import type { PairJob, PairResult } from './pool.ts';

declare const self: Worker;

/**
 * Idle this long, the thread drops APTED's buffers and collects: a 2,000-node pair's matrices
 * are tens of MB, which an idle thread would otherwise hold for good (its heap sees no
 * allocation to trigger a collection).
 */
const IDLE_RELEASE_MS = 1000;
let idle: ReturnType<typeof setTimeout> | undefined;

self.onmessage = (e: MessageEvent<PairJob>) => {
  clearTimeout(idle);
  const { key, prev, next, big } = e.data;
  let reply: PairResult;
  try {
    reply = { key, distance: ted(parseBracket(unpack(prev)), parseBracket(unpack(next)), undefined, { bounds: false }) };
  } catch (err) {
    reply = { key, error: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(reply);
  // A big pair's matrices (~18 MB at 1,700 nodes, int16) are dropped at once rather than pooled: with
  // two threads, pooled and live matrices together held ~200 MB. This heap allocates too little
  // for its GC to notice them, so it is collected here. Allocating afresh costs a few % of such a pair.
  if (big) release();
  idle = setTimeout(release, IDLE_RELEASE_MS);
};

function release(): void {
  releaseBuffers();
  Bun.gc(true);
}
