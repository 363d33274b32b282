/**
 * A pool of worker threads that compute exact tree edit distances off the tick. A pair is
 * submitted once by its cache key (duplicates while it is queued or in flight are ignored),
 * runs on one thread at a time, and its result waits in the pool until the tick `take`s it.
 * Threads start on the first submission, one pair each at a time, so a long pair holds one
 * thread and the others go on. A thread that dies (a crash, an exception it did not catch) is
 * replaced and its pair queued again; a pair that has ended threads `MAX_ATTEMPTS` times is
 * reported as failed, and the caller computes it itself. Nothing here is durable: a pair in
 * flight when the process stops is simply submitted again after the restart.
 */
import { toBracket, treeSize, type Tree } from '@lmdash/inference';
import { pack, type Packed } from '../memory/packedText.ts';

/**
 * What a thread is sent, and what it answers (`distanceWorker.ts`). Trees travel as packed
 * bracket text (`memory/packedText.ts`): a queue of big pairs then costs ~1.5 bytes a node
 * instead of ~180 as objects, and bytes are cheaper to post than a tree to clone.
 */
export type PairJob = { key: string; prev: Packed; next: Packed; big: boolean; attempt: number };
export type PairResult = { key: string; distance: number } | { key: string; error: string };

/** Threads a pair may end before it is given up on (and computed by the caller). */
export const MAX_ATTEMPTS = 3;

/**
 * Product of the two trees' node counts past which a pair is big (~800 nodes each): its APTED
 * matrices are tens of MB (up to six n×n int16 matrices: ~48 MB at 2,000 nodes), so only one
 * big pair runs at a time (two at once took the daemon past 300 MB) and its thread drops them
 * right after.
 */
export const BIG_PAIR_NODES = 800 * 800;

/**
 * One side of a pair: a tree, or what a holder keeps anyway (`worker/programs.ts`), its packed
 * bracket text and node count, queued as is rather than packed again.
 */
export type PairSide = Tree | { readonly packed: Packed; readonly size: number };

const sideOf = (s: PairSide) => ('packed' in s ? { packed: s.packed, size: s.size } : { packed: pack(toBracket(s)), size: treeSize(s) });

type Job = { key: string; prev: Packed; next: Packed; big: boolean; attempts: number };
type Thread = { worker: Worker; job: Job | null; closing: boolean };

export type PoolOptions = {
  /** Threads (at least 1). */
  size: number;
  /** The thread's script (tests pass one that dies); default `distanceWorker.ts`. */
  script?: URL;
  log?: (line: string) => void;
};

export class DistancePool {
  readonly size: number;
  private readonly script: URL;
  private readonly log: (line: string) => void;
  private readonly threads: Thread[] = [];
  private readonly queue: Job[] = [];
  /** Queued or in flight, by key. */
  private readonly jobs = new Map<string, Job>();
  private results = new Map<string, number>();
  private failed = new Map<string, string>();
  private wake: AbortController | null = null;
  private idleWaiters: (() => void)[] = [];
  private closed = false;
  /** Pairs the threads computed (for tests and figures). */
  computed = 0;
  /** Threads that died and were replaced. */
  restarts = 0;

  constructor(o: PoolOptions) {
    if (!(o.size >= 1)) throw new RangeError(`a distance pool needs at least one thread, got ${o.size}`);
    this.size = o.size;
    this.script = o.script ?? new URL('./distanceWorker.ts', import.meta.url);
    this.log = o.log ?? (() => {});
  }

  /** Whether `terminate` ended the pool (it then takes no more pairs). */
  get terminated(): boolean {
    return this.closed;
  }

  /** Pairs queued or being computed. */
  get inFlight(): number {
    return this.jobs.size;
  }

  /** The keys of the pairs being computed now (not the queued ones). */
  get running(): string[] {
    return this.threads.flatMap((t) => (t.job ? [t.job.key] : []));
  }

  /** Whether a pair is queued, in flight, or computed and not yet taken. */
  has(key: string): boolean {
    return this.jobs.has(key) || this.results.has(key) || this.failed.has(key);
  }

  /** Queues a pair unless it is already known to the pool. */
  submit(key: string, prev: PairSide, next: PairSide): void {
    if (this.closed || this.has(key)) return;
    const a = sideOf(prev);
    const b = sideOf(next);
    const job: Job = { key, prev: a.packed, next: b.packed, big: a.size * b.size > BIG_PAIR_NODES, attempts: 0 };
    this.jobs.set(key, job);
    this.queue.push(job);
    this.dispatch();
  }

  /** The results delivered since the last call, and the pairs given up on (with why). */
  take(): { results: Map<string, number>; failed: Map<string, string> } {
    const out = { results: this.results, failed: this.failed };
    this.results = new Map();
    this.failed = new Map();
    return out;
  }

  /** A signal aborted when the next result (or failure) arrives; already aborted if one waits untaken. */
  nextDelivery(): AbortSignal {
    if (this.results.size > 0 || this.failed.size > 0 || this.closed) return AbortSignal.abort();
    this.wake ??= new AbortController();
    return this.wake.signal;
  }

  /** Resolves once nothing is queued or in flight (a rebuild waits for its batch's pairs). */
  idle(): Promise<void> {
    if (this.jobs.size === 0 || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Ends every thread. Pairs in flight are dropped (whoever needs them submits them again). */
  terminate(): void {
    this.closed = true;
    for (const t of this.threads) {
      t.closing = true;
      t.worker.terminate();
    }
    this.threads.length = 0;
    this.queue.length = 0;
    this.jobs.clear();
    this.notify();
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      // The oldest job that may start: a big pair waits while another big one is in flight.
      const bigBusy = this.threads.some((t) => t.job?.big);
      const i = bigBusy ? this.queue.findIndex((j) => !j.big) : 0;
      if (i < 0) return;
      let thread = this.threads.find((t) => t.job === null);
      if (!thread) {
        if (this.threads.length >= this.size) return;
        thread = this.spawn();
      }
      const [job] = this.queue.splice(i, 1);
      thread.job = job;
      thread.worker.postMessage({ key: job.key, prev: job.prev, next: job.next, big: job.big, attempt: job.attempts } satisfies PairJob);
    }
  }

  private spawn(): Thread {
    const thread: Thread = { worker: new Worker(this.script), job: null, closing: false };
    thread.worker.addEventListener('message', (e: MessageEvent<PairResult>) => this.onResult(thread, e.data));
    // An uncaught error ends the thread; 'close' follows and does the recovery.
    thread.worker.addEventListener('error', (e) => this.log(`distance thread error: ${(e as ErrorEvent).message ?? 'unknown'}`));
    thread.worker.addEventListener('close', () => this.onClose(thread));
    this.threads.push(thread);
    return thread;
  }

  private onResult(thread: Thread, r: PairResult): void {
    const job = thread.job;
    thread.job = null;
    if (this.closed || !job || job.key !== r.key) return;
    this.jobs.delete(job.key);
    if ('distance' in r) {
      this.results.set(r.key, r.distance);
      this.computed++;
    } else this.failed.set(r.key, r.error);
    this.notify();
    this.dispatch();
  }

  private onClose(thread: Thread): void {
    if (thread.closing || this.closed) return;
    const i = this.threads.indexOf(thread);
    if (i >= 0) this.threads.splice(i, 1);
    this.restarts++;
    const job = thread.job;
    if (job) {
      job.attempts++;
      if (job.attempts >= MAX_ATTEMPTS) {
        this.jobs.delete(job.key);
        this.failed.set(job.key, `ended ${job.attempts} distance threads`);
        this.log(`distance pair ${job.key} ended ${job.attempts} threads; computing it on the tick`);
        this.notify();
      } else this.queue.unshift(job);
    }
    this.dispatch();
  }

  private notify(): void {
    this.wake?.abort();
    this.wake = null;
    if (this.jobs.size === 0 || this.closed) for (const w of this.idleWaiters.splice(0)) w();
  }
}
