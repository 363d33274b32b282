/** The `lmdash` command line, spawned as a user would run it from the repository root. */
import { describe, expect, test } from 'bun:test';
import { resolve } from 'node:path';

const root = resolve(import.meta.dir, '..');
const lmdash = (args: string[], env: Record<string, string> = {}) => {
  const r = Bun.spawnSync(['bun', 'scripts/lmdash.ts', ...args], { cwd: root, env: { ...process.env, ...env } });
  return { code: r.exitCode, out: r.stdout.toString(), err: r.stderr.toString() };
};

describe('bun run lmdash', () => {
  test('--help lists the commands; no command is a usage error', () => {
    const help = lmdash(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['gen', 'sim', 'daemon', 'rebuild', 'dump', 'model', 'config']) expect(help.out).toContain(`  ${c}`);
    expect(lmdash([]).code).toBe(2);
  });

  test('an unknown command says so and exits 2', () => {
    const r = lmdash(['frobnicate']);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown command 'frobnicate'");
  });

  test('every command answers --help', () => {
    for (const c of ['gen', 'sim', 'daemon', 'rebuild', 'dump', 'model', 'config']) {
      const r = lmdash([c, '--help']);
      expect({ c, code: r.code }).toEqual({ c, code: 0 });
      expect(r.out).toContain('usage: bun run lmdash ' + c);
    }
  });

  test('config prints the effective settings with secrets redacted, and names a bad variable', () => {
    const ok = lmdash(['config'], { LMDASH_SOURCE_PASSWORD: 'hunter2', LMDASH_API_PORT: '9001' });
    expect(ok.code).toBe(0);
    const shown = JSON.parse(ok.out);
    expect(shown.LMDASH_API_PORT).toBe(9001);
    expect(shown.LMDASH_SOURCE_PASSWORD).toBe('***');
    expect(ok.out).not.toContain('hunter2');
    const bad = lmdash(['config'], { LMDASH_API_PORT: 'eighty' });
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('LMDASH_API_PORT');
  });
});
