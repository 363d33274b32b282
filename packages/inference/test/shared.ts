/**
 * Locates `../shared` (beside the repository checkout), where the test and evaluation data
 * lives: the APTED reference cases and real students' block programs. That data may not be
 * copied into the repository, so tests read it in place. Where it is absent, tests that need
 * it are skipped and say so loudly; CI always has it.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dir, '../../..');

/** Absolute path of `shared/<sub>`, or null (with a loud warning) when it is not there. */
export function sharedPath(sub: string): string | null {
  const base = process.env.LMDASH_SHARED_DIR ?? resolve(repoRoot, '../shared');
  const p = join(base, sub);
  if (existsSync(p)) return p;
  console.warn(
    `\n!!! ../shared/${sub} not found (looked in ${p}).\n!!! Tests that read the shared data are SKIPPED.` +
      `\n!!! Set LMDASH_SHARED_DIR or check out shared/ beside the repository to run them.\n`,
  );
  return null;
}

/** Every file under `dir`, recursively, sorted by path. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0) {
    const d = stack.pop()!;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) stack.push(p);
      else out.push(p);
    }
  }
  return out.sort();
}
