/**
 * APTED benchmark: random trees, the shapes that are hard for path strategies, and consecutive
 * versions of real projects. `bun bench/apted.ts` prints a table; `run.ts` writes the docs.
 */
import { tedBounds, tedWithStats } from '../src/apted/apted.ts';
import { bucketFromBounds } from '../src/change/bucket.ts';
import { changeScore } from '../src/change/score.ts';
import { node, treeSize, type Tree } from '../src/tree/tree.ts';
import { runJava } from './editedPairs.ts';
import { loadRealPairs } from './realPairs.ts';
import { caterpillar, randomTree, rng, zigzag } from './shapes.ts';
import { quantile, time } from './stats.ts';

export type AptedRow = {
  name: string;
  size1: number;
  size2: number;
  distance: number;
  subproblems: number;
  medianMs: number;
  /** The reference Java APTED on the same pair (`runJava`), when it was run. */
  javaMs: number | null;
};

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz';

export function syntheticPairs(): { name: string; a: Tree; b: Tree; runs: number }[] {
  const r = rng(20261122);
  const pairs: { name: string; a: Tree; b: Tree; runs: number }[] = [];
  for (const n of [100, 500, 1000, 2000]) {
    pairs.push({ name: `random ${n}`, a: randomTree(n, r, ALPHABET), b: randomTree(n, r, ALPHABET), runs: 5 });
  }
  const other = (i: number) => (i % 3 ? 'c' : 'd');
  pairs.push({ name: 'left caterpillar 1000', a: caterpillar(1000, 'left'), b: caterpillar(1000, 'left', other), runs: 5 });
  pairs.push({ name: 'right caterpillar 1000', a: caterpillar(1000, 'right'), b: caterpillar(1000, 'right', other), runs: 5 });
  pairs.push({ name: 'left vs right caterpillar 1000', a: caterpillar(1000, 'left'), b: caterpillar(1000, 'right'), runs: 5 });
  pairs.push({ name: 'zigzag 1000', a: zigzag(1000), b: zigzag(1000, other), runs: 5 });
  return pairs;
}

export function benchSynthetic(log = console.log, javaClasspath = process.env.LMDASH_APTED_JAVA): AptedRow[] {
  const rows: AptedRow[] = [];
  const pairs = syntheticPairs();
  const java = javaClasspath ? runJava(javaClasspath, pairs) : null;
  // A warm-up pass over every pair first, as the Java driver makes.
  for (const p of pairs) tedWithStats(p.a, p.b, undefined, { bounds: false });
  for (const [i, p] of pairs.entries()) {
    // Warmed up as the Java driver warms up (3 runs); a pair under 1 ms: 101 runs, as there.
    const first = time(() => tedWithStats(p.a, p.b, undefined, { bounds: false }), { warmup: 3, runs: 1 });
    const t = time(() => tedWithStats(p.a, p.b, undefined, { bounds: false }), { warmup: 0, runs: first.median < 1 ? 101 : p.runs });
    const s = t.result;
    const j = java?.[i] ?? null;
    if (j && j.distance !== s.distance) throw new Error(`${p.name}: Java APTED says ${j.distance}, ours ${s.distance}`);
    rows.push({ name: p.name, size1: s.size1, size2: s.size2, distance: s.distance, subproblems: s.subproblems, medianMs: t.median, javaMs: j?.ms ?? null });
    log(`${p.name.padEnd(32)} ${String(s.size1).padStart(5)} ${String(s.size2).padStart(5)}  d=${String(s.distance).padStart(5)}  ${s.subproblems.toExponential(2)} subproblems  ${t.median.toFixed(1)} ms${j ? `  Java ${j.ms.toFixed(1)} ms` : ''}`);
  }
  return rows;
}

export type RealSummary = {
  label: string;
  pairs: number;
  /** Pairs whose distance the bounds settled without APTED. */
  boundsMet: number;
  /** Further pairs whose change bucket the bounds decide (`bucketFromBounds`) though they do not meet. */
  bucketFromBounds: number;
  projects: number;
  maxNodes: number;
  ted: { medianMs: number; p95Ms: number; maxMs: number; medianSubproblems: number };
  changeScore: { medianMs: number; p95Ms: number; maxMs: number };
  largest: { project: string; size1: number; size2: number; distance: number; subproblems: number; medianMs: number }[];
};

/**
 * Each real pair, timed three ways: APTED alone, `tedWithStats` (bounds first, APTED when they
 * do not meet) and `changeScore` (what the daemon calls per run; no cache shared across pairs).
 */
export function benchReal(blocksDir: string, log = console.log): RealSummary[] {
  const all = loadRealPairs(blocksDir);
  return [
    summarise('VEXcode projects', all.filter((p) => p.format === 'vexcode'), log),
    summarise('all block projects (VEXcode and MakeCode)', all, log),
  ];
}

function summarise(label: string, pairs: ReturnType<typeof loadRealPairs>, log: (s: string) => void): RealSummary {
  const tedMs: number[] = [];
  const scoreMs: number[] = [];
  const subs: number[] = [];
  const perPair: RealSummary['largest'] = [];
  let viaBounds = 0;
  let viaBucket = 0;
  for (const p of pairs) {
    const { lower, upper } = tedBounds(p.a, p.b);
    if (lower !== upper && bucketFromBounds(lower, upper, Math.max(treeSize(p.a), treeSize(p.b))) !== null) viaBucket++;
    const t = time(() => tedWithStats(p.a, p.b, undefined, { bounds: false }), { warmup: 1, runs: 5 });
    const c = time(() => changeScore(p.a, p.b), { warmup: 1, runs: 5 });
    if (tedWithStats(p.a, p.b).method === 'bounds') viaBounds++;
    tedMs.push(t.median);
    scoreMs.push(c.median);
    subs.push(t.result.subproblems);
    perPair.push({ project: p.project, size1: t.result.size1, size2: t.result.size2, distance: t.result.distance, subproblems: t.result.subproblems, medianMs: t.median });
  }
  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const s1 = sorted(tedMs);
  const s2 = sorted(scoreMs);
  const summary: RealSummary = {
    label,
    boundsMet: viaBounds,
    bucketFromBounds: viaBucket,
    pairs: pairs.length,
    projects: new Set(pairs.map((p) => p.project)).size,
    maxNodes: Math.max(...pairs.map((p) => Math.max(treeSize(p.a), treeSize(p.b)))),
    ted: { medianMs: quantile(s1, 0.5), p95Ms: quantile(s1, 0.95), maxMs: s1.at(-1)!, medianSubproblems: quantile(sorted(subs), 0.5) },
    changeScore: { medianMs: quantile(s2, 0.5), p95Ms: quantile(s2, 0.95), maxMs: s2.at(-1)! },
    largest: perPair.sort((a, b) => b.size1 + b.size2 - (a.size1 + a.size2)).slice(0, 5),
  };
  log(`${label}: ${summary.pairs} consecutive versions of ${summary.projects} projects, up to ${summary.maxNodes} nodes; bounds settled ${viaBounds}, and the bucket of ${viaBucket} more`);
  log(`  APTED alone:  median ${summary.ted.medianMs.toFixed(1)} ms, p95 ${summary.ted.p95Ms.toFixed(1)} ms, max ${summary.ted.maxMs.toFixed(1)} ms`);
  log(`  changeScore:  median ${summary.changeScore.medianMs.toFixed(1)} ms, p95 ${summary.changeScore.p95Ms.toFixed(1)} ms, max ${summary.changeScore.maxMs.toFixed(1)} ms`);
  return summary;
}

/**
 * The bounds alone (`tedBounds`) on the shapes whose upper-bound pair table used to grow with
 * n1·n2: two flat 5,000-block scripts (one block changed, one removed) and 2,500 one-block
 * scripts. The table is capped (bounds.ts, `upperBoundBudget`); peak memory needs a process of
 * its own (`/usr/bin/time -v`), so only times are printed here.
 */
export function benchWideBounds(log = console.log): { name: string; size1: number; size2: number; lower: number; upper: number; medianMs: number }[] {
  const flat = (k: number, other = -1) => node('program', [node('script', [node('v5_events_when_started'), ...Array.from({ length: k - 1 }, (_, i) => node(i === other ? 'v5_looks_print' : 'v5_control_stop_project'))])]);
  const wide = (k: number, other = -1) => node('program', Array.from({ length: k }, (_, i) => node('script', [node(i === other ? 'v5_looks_print' : 'v5_events_when_started')])));
  const rows = [];
  for (const [name, a, b] of [['flat 5,000-block scripts', flat(5000), flat(4999, 1234)], ['2,500 one-block scripts', wide(2500), wide(2499, 1234)]] as const) {
    const t = time(() => tedBounds(a, b), { warmup: 1, runs: 5 });
    rows.push({ name, size1: treeSize(a), size2: treeSize(b), ...t.result, medianMs: t.median });
    log(`${name.padEnd(32)} ${treeSize(a)} ${treeSize(b)}  bounds [${t.result.lower}, ${t.result.upper}]  ${t.median.toFixed(1)} ms`);
  }
  return rows;
}

if (import.meta.main) {
  benchSynthetic();
  benchWideBounds();
  const dir = process.env.LMDASH_SHARED_DIR ? `${process.env.LMDASH_SHARED_DIR}/data/blocks` : new URL('../../../../shared/data/blocks', import.meta.url).pathname;
  benchReal(dir);
}
