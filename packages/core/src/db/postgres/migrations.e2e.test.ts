/** The committed PostgreSQL migrations are what drizzle-kit generates from the pg-core schema: nothing is pending. */
import { expect, test } from 'bun:test';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const pkg = resolve(import.meta.dir, '../../..');

test('drizzle-kit finds no PostgreSQL schema change to generate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-pg-migrations-'));
  try {
    cpSync(join(pkg, 'drizzle/postgres'), join(dir, 'drizzle'), { recursive: true });
    const config = join(dir, 'drizzle.config.ts');
    writeFileSync(config, `export default { dialect: 'postgresql', schema: ${JSON.stringify(join(pkg, 'src/db/postgres/schema.ts'))}, out: './drizzle' };\n`);
    const kit = resolve(pkg, 'node_modules/.bin/drizzle-kit');
    const r = Bun.spawnSync([kit, 'generate', '--config', config], { cwd: dir });
    expect(r.stdout.toString() + r.stderr.toString()).toContain('No schema changes');
    const sql = (d: string) => readdirSync(d).filter((f) => f.endsWith('.sql'));
    expect(sql(join(dir, 'drizzle'))).toEqual(sql(join(pkg, 'drizzle/postgres')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 60_000);
