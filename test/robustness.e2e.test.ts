/**
 * `bun run test:robustness` (scripts/robustness.ts) as part of the suite: the real simulator,
 * daemon and API under hostile programs, hostile producer events and HEAD/OPTIONS floods. Every
 * check but the ones in time must hold (on a shared machine time is reported, not asserted:
 * `bun run test:robustness` alone asserts those too); the report is printed when one does not.
 */
import { expect, test } from 'bun:test';
import { REPO_ROOT } from './spawnSim.ts';

test('hostile input: every bound holds, nothing lost, both processes keep answering', () => {
  const run = Bun.spawnSync(['bun', 'scripts/robustness.ts', '--timing-report-only'], { cwd: REPO_ROOT, env: process.env });
  const report = run.stdout.toString() + run.stderr.toString();
  if (run.exitCode !== 0) console.error(report);
  const summary = /robustness: (\d+) of (\d+) checks held/.exec(report);
  expect(summary).not.toBeNull();
  expect(Number(summary![2])).toBeGreaterThanOrEqual(11);
  expect(report).not.toContain('FAIL');
  expect(run.exitCode).toBe(0);
}, 180_000);
