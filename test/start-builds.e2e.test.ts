/**
 * `lmdash start` builds what a fresh checkout lacks (the dashboard bundle, packages/inference/dist)
 * instead of serving a page that says the dashboard is not built, or stops at once with the
 * command to run. On a temporary copy of the layout, never on the real dist/ folders.
 */
import { describe, expect, test } from 'bun:test';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMissing, missingBuilds } from '../scripts/start.ts';

/** A repository layout whose packages build by writing their marker file (or fail). */
function fakeRepo(fail = false): string {
  const root = mkdtempSync(join(tmpdir(), 'lmdash-builds-'));
  for (const [pkg, marker] of [
    ['web', 'dist/index.html'],
    ['inference', 'dist/index.js'],
  ]) {
    mkdirSync(join(root, 'packages', pkg), { recursive: true });
    const script = fail ? 'echo "vite: command not found" >&2; exit 127' : `mkdir -p dist && echo built > ${marker}`;
    writeFileSync(join(root, 'packages', pkg, 'package.json'), JSON.stringify({ name: `fake-${pkg}`, scripts: { build: script } }));
  }
  return root;
}

describe('start builds what is missing', () => {
  test('both builds missing: both are built, saying so; then nothing is missing', async () => {
    const root = fakeRepo();
    try {
      expect(missingBuilds(root).map((b) => b.what)).toEqual(['the dashboard bundle (packages/web/dist)', 'the analysis library build (packages/inference/dist)']);
      const lines: string[] = [];
      expect(await buildMissing(missingBuilds(root), { log: (l) => lines.push(l), error: (l) => lines.push(`error: ${l}`) })).toBe(true);
      expect(existsSync(join(root, 'packages/web/dist/index.html'))).toBe(true);
      expect(existsSync(join(root, 'packages/inference/dist/index.js'))).toBe(true);
      expect(lines.join('\n')).toMatch(/the dashboard bundle \(packages\/web\/dist\) is missing: building it \(bun run --cwd \S*packages\/web build\)/);
      expect(lines.join('\n')).toMatch(/built the analysis library build/);
      expect(missingBuilds(root)).toEqual([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('a build that fails stops start at once with its output and the command to run', async () => {
    const root = fakeRepo(true);
    try {
      const errors: string[] = [];
      expect(await buildMissing(missingBuilds(root), { log: () => {}, error: (l) => errors.push(l) })).toBe(false);
      expect(errors).toHaveLength(1); // stops at the first
      expect(errors[0]).toContain('vite: command not found');
      expect(errors[0]).toContain('bun run setup');
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('the real checkout, built by setup, needs nothing', () => {
    expect(missingBuilds(join(import.meta.dir, '..'))).toEqual([]);
  });
});
