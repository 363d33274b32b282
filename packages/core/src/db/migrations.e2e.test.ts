/** The committed migrations are what drizzle-kit generates from the schema: nothing is pending. */
import { expect, test } from 'bun:test';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const pkg = resolve(import.meta.dir, '../..');

test('drizzle-kit finds no schema change to generate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-migrations-'));
  try {
    cpSync(join(pkg, 'drizzle'), join(dir, 'drizzle'), { recursive: true });
    const config = join(dir, 'drizzle.config.ts');
    writeFileSync(config, `export default { dialect: 'sqlite', schema: ${JSON.stringify(join(pkg, 'src/db/schema.ts'))}, out: './drizzle' };\n`);
    // drizzle-kit reads `out` relative to the working folder.
    const kit = resolve(pkg, 'node_modules/.bin/drizzle-kit');
    const r = Bun.spawnSync([kit, 'generate', '--config', config], { cwd: dir });
    const out = r.stdout.toString() + r.stderr.toString();
    expect(out).toContain('No schema changes');
    expect(readdirSync(join(dir, 'drizzle')).filter((f) => f.endsWith('.sql'))).toEqual(readdirSync(join(pkg, 'drizzle')).filter((f) => f.endsWith('.sql')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
