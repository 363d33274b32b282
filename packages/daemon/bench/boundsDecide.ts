/**
 * How often the exact bounds decide a run without its exact distance, on generated classes:
 * every pair of consecutive programs of a project (as the daemon compares them) is identical,
 * settled by the bounds (they meet: the exact distance), *decided* by them (they differ, but
 * every class of the distance the default model and the bucket read is the same at both ends:
 * the run can be written provisionally), or undecided (the student waits for APTED). Pure: no
 * daemon, no APTED. `bun packages/daemon/bench/boundsDecide.ts [students] [minutes]`.
 */
import { generateClassroom, type Profile } from '@lmdash/fixtures';
import { AstError, decidedByBounds, defaultStrategyModel, distanceClasses, extractAst, runsFromEvents, tedBounds, treeHash, treeSize, type Tree } from '@lmdash/inference';

const students = Number(process.argv[2] ?? 300);
const minutes = Number(process.argv[3] ?? 75);
const classes = distanceClasses(defaultStrategyModel);

for (const profile of ['team', 'mixed'] as Profile[]) {
  const { events } = generateClassroom({ students, minutes, seed: 9, profile });
  const byStudent = new Map<string, typeof events>();
  for (const e of events) byStudent.set(e.student, [...(byStudent.get(e.student) ?? []), e]);
  const n = { pairs: 0, identical: 0, settled: 0, decided: 0, undecided: 0 };
  const t0 = performance.now();
  for (const evs of byStudent.values()) {
    const last = new Map<string, { tree: Tree; hash: string }>();
    for (const run of runsFromEvents(evs)) {
      let tree: Tree;
      try {
        tree = extractAst(run.project).tree;
      } catch (e) {
        if (e instanceof AstError) continue;
        throw e;
      }
      const key = run.projectName ?? '';
      const prev = last.get(key);
      const hash = treeHash(tree);
      last.set(key, { tree, hash });
      if (!prev) continue;
      n.pairs++;
      if (prev.hash === hash) {
        n.identical++;
        continue;
      }
      const { lower, upper } = tedBounds(prev.tree, tree);
      if (lower === upper) n.settled++;
      else if (decidedByBounds(classes, lower, upper, Math.max(treeSize(prev.tree), treeSize(tree)))) n.decided++;
      else n.undecided++;
    }
  }
  const pct = (k: number) => `${((100 * k) / n.pairs).toFixed(1)} %`;
  const pool = n.decided + n.undecided;
  console.log(
    `${profile} ${students} × ${minutes} min: ${n.pairs} pairs: identical ${n.identical} (${pct(n.identical)}), bounds meet ${n.settled} (${pct(n.settled)}), ` +
      `bounds decide ${n.decided} (${pct(n.decided)}), undecided ${n.undecided} (${pct(n.undecided)}); of the ${pool} pairs APTED must compute, the bounds decide ${((100 * n.decided) / Math.max(1, pool)).toFixed(0)} % ` +
      `(${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
}
