/**
 * Locates `../shared` (beside the repository checkout) for the daemon's tests that read real data
 * in place (it may not be copied into the repository); where it is absent they are skipped and
 * say so loudly, as inference's and the generator's do.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dir, '../../..');

/** Absolute path of `shared/<sub>`, or null (with a loud warning) when it is not there. */
export function sharedPath(sub: string): string | null {
  const base = process.env.LMDASH_SHARED_DIR ?? resolve(REPO_ROOT, '../shared');
  const p = join(base, sub);
  if (existsSync(p)) return p;
  console.warn(
    `\n!!! ../shared/${sub} not found (looked in ${p}).\n!!! Daemon tests that read the shared data are SKIPPED.` +
      `\n!!! Set LMDASH_SHARED_DIR or check out shared/ beside the repository to run them.\n`,
  );
  return null;
}
