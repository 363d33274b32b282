/**
 * Consecutive versions of real-size projects, many edits apart (issue 12, section 3): the 10
 * largest real VEXcode programs in ../shared/data/blocks, each paired with versions of itself
 * 50, 100, 200 and 500 student-like edits away (`studentEdit`, seeded), plus the real consecutive
 * versions there. Per pair:
 * - on-tick cost: what a run adds to the daemon's tick: `extractAst` of the new program's text
 *   and its hash, the exact bounds (`tedBounds`), and the decision (bounds meet, or
 *   `decidedByBounds` with the default model's classes). An edited tree has no text, so its
 *   parse is timed on the real text of the program it was edited from (same project, size within
 *   the edits' drift); the real pairs parse their own new version.
 * - `changeScore` (the exact distance: bounds, then APTED when they do not meet).
 * - the reference Java APTED on the same pair, when LMDASH_APTED_JAVA names a classpath folder
 *   holding the compiled reference and its `TedDriver` (never part of this repository; see
 *   docs/benchmarks.md for how to build it): one JVM for all pairs, each pair warmed up, median.
 * Alone: `LMDASH_APTED_JAVA=/tmp/apted-java bun bench/editedPairs.ts` in packages/inference.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tedBounds } from '../src/apted/apted.ts';
import { extractAst } from '../src/blocks/extract.ts';
import { treeHash } from '../src/change/hash.ts';
import { changeScore } from '../src/change/score.ts';
import { defaultStrategyModel } from '../src/strategy/defaultStrategyModel.ts';
import { decidedByBounds, distanceClasses } from '../src/strategy/provisional.ts';
import { toBracket, treeSize, type Tree } from '../src/tree/tree.ts';
import { largestPrograms, studentEdit } from './edits.ts';
import { loadRealPairs } from './realPairs.ts';
import { rng } from './shapes.ts';
import { quantile, time } from './stats.ts';

export const EDIT_COUNTS = [50, 100, 200, 500] as const;

export type BenchPair = { set: string; name: string; a: Tree; b: Tree; text: string };

/** The pairs: each of the `count` largest programs against itself after k edits (k in EDIT_COUNTS), then the real consecutive versions. */
export function buildEditedPairs(blocksDir: string, count = 10): { pairs: BenchPair[]; baseSizes: number[] } {
  const big = largestPrograms(blocksDir, count);
  const pairs: BenchPair[] = [];
  big.forEach((p, i) => {
    const text = readFileSync(join(blocksDir, p.file), 'utf8');
    for (const k of EDIT_COUNTS) {
      const r = rng(1_000 * (i + 1) + k);
      let t = p.tree;
      for (let e = 0; e < k; e++) t = studentEdit(t, r);
      pairs.push({ set: `${k} edits`, name: `${p.file} +${k}`, a: p.tree, b: t, text });
    }
  });
  for (const rp of loadRealPairs(blocksDir)) {
    pairs.push({ set: 'real', name: `${rp.from} → ${rp.to}`, a: rp.a, b: rp.b, text: readFileSync(join(blocksDir, rp.to), 'utf8') });
  }
  return { pairs, baseSizes: big.map((p) => treeSize(p.tree)) };
}

export type PairResult = {
  set: string;
  name: string;
  size1: number;
  size2: number;
  distance: number;
  lower: number;
  upper: number;
  /** The bounds met (the distance is settled on the tick). */
  settled: boolean;
  /** The bounds met, or decide every class the default model reads. */
  decided: boolean;
  tickMs: number;
  exactMs: number;
  javaMs: number | null;
  javaDistance: number | null;
};

const classes = distanceClasses(defaultStrategyModel);

/** What one run adds to a tick: parse and hash the new program, the exact bounds, the decision. */
function onTick(p: BenchPair): boolean {
  const parsed = extractAst(p.text);
  treeHash(parsed.tree);
  const size = Math.max(treeSize(p.a), treeSize(p.b));
  const { lower, upper } = tedBounds(p.a, p.b);
  return lower === upper || decidedByBounds(classes, lower, upper, size);
}

/** Runs the reference Java APTED on every pair in one JVM: [distance, median ms] per pair. */
export function runJava(classpath: string, pairs: readonly { a: Tree; b: Tree }[]): { distance: number; ms: number }[] {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-apted-'));
  try {
    const file = join(dir, 'pairs.txt');
    writeFileSync(file, pairs.map((p) => `${toBracket(p.a)}\0${toBracket(p.b)}\0`).join(''));
    const proc = Bun.spawnSync(['java', '-Xss64m', '-cp', classpath, 'TedDriver', file, '3', '5'], { stdout: 'pipe', stderr: 'pipe' });
    if (proc.exitCode !== 0) throw new Error(`java TedDriver failed: ${proc.stderr.toString()}`);
    const lines = proc.stdout.toString().trim().split('\n');
    if (lines.length !== pairs.length) throw new Error(`java TedDriver answered ${lines.length} pairs of ${pairs.length}`);
    return lines.map((l) => {
      const [d, ms] = l.split(' ');
      return { distance: Number(d), ms: Number(ms) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function measurePairs(pairs: readonly BenchPair[], javaClasspath: string | undefined, log: (s: string) => void = () => {}): PairResult[] {
  const java = javaClasspath ? runJava(javaClasspath, pairs) : null;
  // A warm-up pass over every pair first, as the Java driver makes.
  for (const p of pairs) changeScore(p.a, p.b);
  return pairs.map((p, i) => {
    const { lower, upper } = tedBounds(p.a, p.b);
    const tick = time(() => onTick(p), { warmup: 1, runs: 5 });
    // A pair under 1 ms: 101 runs, so its median is not timer noise (the Java driver does the same).
    const first = time(() => changeScore(p.a, p.b), { warmup: 1, runs: 1 });
    // The garbage of the pair before (up to 2,600-node trees) is collected first, outside the
    // timing, so that a sub-millisecond pair is not charged for it (the JVM's young generation
    // does the same for the Java runs).
    Bun.gc(true);
    const exact = time(() => changeScore(p.a, p.b), { warmup: 3, runs: first.median < 1 ? 101 : 5 });
    const distance = exact.result.distance;
    const j = java?.[i] ?? null;
    if (j && j.distance !== distance) throw new Error(`${p.name}: Java APTED says ${j.distance}, changeScore ${distance}`);
    const r: PairResult = {
      set: p.set,
      name: p.name,
      size1: treeSize(p.a),
      size2: treeSize(p.b),
      distance,
      lower,
      upper,
      settled: lower === upper,
      decided: tick.result,
      tickMs: tick.median,
      exactMs: exact.median,
      javaMs: j?.ms ?? null,
      javaDistance: j?.distance ?? null,
    };
    log(`${r.name}: ${r.size1}/${r.size2} nodes, d=${distance} [${lower}, ${upper}] tick ${r.tickMs.toFixed(2)} ms, changeScore ${r.exactMs.toFixed(1)} ms, Java ${r.javaMs ?? 'not run'} ms`);
    return r;
  });
}

const ms = (x: number) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
const tri = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return `${ms(quantile(s, 0.5))} / ${ms(quantile(s, 0.95))} / ${ms(s.at(-1)!)}`;
};

/** The markdown for docs/benchmarks.md: one row per set and for all pairs, then the comparison with Java. */
export function editedPairsMarkdown(results: readonly PairResult[], baseSizes: readonly number[], javaRan: boolean): string[] {
  const sets = [...EDIT_COUNTS.map((k) => `${k} edits`), 'real'];
  const out: string[] = [];
  out.push(`### Versions many edits apart, against the reference Java APTED`);
  out.push('');
  out.push(`Each of the ${baseSizes.length} largest real VEXcode programs (${baseSizes.join(', ')} nodes: only three real programs here exceed 1,000 nodes) paired with a version of itself 50, 100, 200 and 500 student-like edits away (\`studentEdit\`, seeded); and every real consecutive pair of versions (the histories here stop at 978 nodes). *On the tick* is what a run adds to the daemon's tick: \`extractAst\` of the new program's text and its hash, \`tedBounds\`, and the decision (the bounds meet, or \`decidedByBounds\` for the default model's classes); an edited tree has no text, so its parse is timed on the real text of the program it was edited from. *Exact* is \`changeScore\` (bounds, then APTED when they do not meet; off the tick in the daemon), after a warm-up pass over every pair, median of 5 runs after 3 warm-up runs and a collection of the previous pair's garbage (of 101 runs for a pair under 1 ms); *on the tick*, median of 5. Java is the reference APTED (DatabaseGroup/apted, \`computeEditDistance\` with a fresh object per run, float unit costs) in one JVM (OpenJDK 17): a warm-up pass over every pair, then per pair 3 warm-up runs and the median of 5 (of 101 for a pair under 1 ms, as for ours); its distance equals ours on every pair (the run stops otherwise). It runs only when \`LMDASH_APTED_JAVA\` names a folder with the reference compiled and its driver \`TedDriver\` (kept outside this repository), else the Java columns say "not run". Per pair: medians; across pairs: median / p95 / max, ms.`);
  out.push('');
  out.push('| set | pairs | nodes (after) | distance: median (max) | settled by bounds | decided by bounds (+ settled) | on the tick | exact (`changeScore`) | Java APTED | exact slower than Java | exact / Java: median / p95 / max |');
  out.push('|---|---|---|---|---|---|---|---|---|---|---|');
  const row = (label: string, rs: readonly PairResult[]) => {
    const sizes = rs.map((r) => r.size2);
    const ds = rs.map((r) => r.distance).sort((a, b) => a - b);
    const settled = rs.filter((r) => r.settled).length;
    const decided = rs.filter((r) => r.decided).length;
    const withJava = rs.filter((r) => r.javaMs !== null);
    const slower = withJava.filter((r) => r.exactMs > r.javaMs!).length;
    const ratios = withJava.map((r) => r.exactMs / r.javaMs!).sort((a, b) => a - b);
    const ratio = (x: number) => (x < 0.1 ? x.toFixed(3) : x.toFixed(2)) + 'x';
    out.push(
      `| ${label} | ${rs.length} | ${Math.min(...sizes)}–${Math.max(...sizes)} | ${quantile(ds, 0.5)} (${ds.at(-1)}) | ${settled} | ${decided - settled} (+${settled}) | ${tri(rs.map((r) => r.tickMs))} | ${tri(rs.map((r) => r.exactMs))} | ${javaRan ? tri(withJava.map((r) => r.javaMs!)) : 'not run'} | ${javaRan ? `${slower} of ${withJava.length}` : 'not run'} | ${javaRan ? `${ratio(quantile(ratios, 0.5))} / ${ratio(quantile(ratios, 0.95))} / ${ratio(ratios.at(-1)!)}` : 'not run'} |`,
    );
  };
  for (const s of sets) {
    const rs = results.filter((r) => r.set === s);
    if (rs.length) row(s === 'real' ? 'real consecutive versions' : `largest programs, ${s}`, rs);
  }
  row('all edited pairs', results.filter((r) => r.set !== 'real'));
  row('all pairs', results);
  out.push('');
  const tick95 = quantile(results.map((r) => r.tickMs).sort((a, b) => a - b), 0.95);
  const exactMax = Math.max(...results.map((r) => r.exactMs));
  const withJava = results.filter((r) => r.javaMs !== null);
  const slower = withJava.filter((r) => r.exactMs > r.javaMs!);
  out.push(`Goals: on the tick p95 < 50 ms: ${tick95 < 50 ? 'met' : 'not met'} (${ms(tick95)} ms). Every exact distance within seconds: ${exactMax < 5_000 ? 'met' : 'not met'} (at most ${ms(exactMax)} ms). \`changeScore\` never slower than Java: ${javaRan ? (slower.length === 0 ? 'met' : `not met (${slower.length} of ${withJava.length} pairs: ${slower.map((r) => `${r.name} ${ms(r.exactMs)} vs ${ms(r.javaMs!)} ms`).join('; ')})`) : 'not measured (LMDASH_APTED_JAVA unset)'}.`);
  out.push('');
  return out;
}

/** Builds, measures and renders: what `bun run bench` writes under "Consecutive versions of real projects". */
export function benchEditedPairs(blocksDir: string, log: (s: string) => void = console.log, javaClasspath = process.env.LMDASH_APTED_JAVA): string[] {
  const { pairs, baseSizes } = buildEditedPairs(blocksDir);
  const results = measurePairs(pairs, javaClasspath || undefined, log);
  return editedPairsMarkdown(results, baseSizes, !!javaClasspath);
}

if (import.meta.main) {
  const shared = resolve(process.env.LMDASH_SHARED_DIR ?? resolve(import.meta.dir, '../../../../shared'));
  const lines = benchEditedPairs(resolve(shared, 'data/blocks'), (s) => console.error(s));
  console.log(lines.join('\n'));
}
