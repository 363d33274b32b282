/**
 * The package runs unchanged under Deno: its TypeScript source type-checks with `deno check`
 * and runs with `deno run`, no permissions granted. Deno comes from the npm registry (root
 * devDependency `deno`).
 */
import { describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const pkg = resolve(import.meta.dir, '..');
const deno = Bun.which('deno', { PATH: `${resolve(pkg, '../../node_modules/.bin')}:${process.env.PATH ?? ''}` });
if (!deno) console.warn('\n!!! deno not found (root devDependency `deno`): the Deno tests are SKIPPED.\n');
const env = { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' };

describe.skipIf(!deno)('the package under Deno', () => {
  test('type-checks with deno check', () => {
    const r = Bun.spawnSync([deno!, 'check', join(pkg, 'src/index.ts')], { env });
    expect({ code: r.exitCode, err: r.exitCode === 0 ? '' : r.stderr.toString() }).toEqual({ code: 0, err: '' });
  }, 120_000);

  test('runs with no permissions: a distance, a parse, a decode', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lmdash-deno-'));
    try {
      const script = join(dir, 'check.ts');
      writeFileSync(
        script,
        `import * as inf from ${JSON.stringify(join(pkg, 'src/index.ts'))};
const xml = '<xml><block type="iq_events_when_started"><next><block type="iq_drivetrain_drive_for"><value name="DISTANCE"><shadow type="math_number"><field name="NUM">200</field></shadow></value></block></next></block></xml>';
const rows = inf.computeStrategyStates([{ timestamp: 0, project: xml }, { timestamp: 1, project: xml.replace('200', '300') }]).rows;
console.log(JSON.stringify({ ted: inf.ted(inf.parseBracket('{f{a}{e{c{b}}{d}}}'), inf.parseBracket('{f{a}{c{e{b}{d}}}}')), rows: rows.map((r) => r.distance), states: inf.defaultModel.states }));`,
      );
      const r = Bun.spawnSync([deno!, 'run', '--no-prompt', script], { env });
      expect(r.stderr.toString()).toBe('');
      expect(JSON.parse(r.stdout.toString())).toEqual({ ted: 2, rows: [null, 1], states: ['iterator', 'explorer', 'stuck'] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
