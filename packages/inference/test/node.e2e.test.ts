/**
 * The built package (tsc → dist/) must import and run unchanged under Node >= 20, as notebook
 * kernels and tools use it. Builds the current source into a temporary folder, so the test
 * never passes on a stale dist/.
 */
import { describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const pkg = resolve(import.meta.dir, '..');
const node = Bun.which('node');
if (!node) console.warn('\n!!! node not found on PATH: the Node 20 import test is SKIPPED.\n');

describe.skipIf(!node)('the built package under Node', () => {
  test('imports from dist/ and computes a distance, a parse, a decode and a prompt', () => {
    const version = Bun.spawnSync([node!, '--version']).stdout.toString().trim();
    expect(Number(version.slice(1).split('.')[0])).toBeGreaterThanOrEqual(20);

    const out = mkdtempSync(join(tmpdir(), 'lmdash-inference-'));
    try {
      const tsc = resolve(pkg, '../../node_modules/typescript/bin/tsc');
      const build = Bun.spawnSync([node!, tsc, '-p', join(pkg, 'tsconfig.build.json'), '--outDir', join(out, 'dist')], { cwd: pkg });
      expect(build.stdout.toString() + build.stderr.toString()).toBe('');
      expect(build.exitCode).toBe(0);
      writeFileSync(join(out, 'package.json'), JSON.stringify({ type: 'module' }));
      writeFileSync(
        join(out, 'check.mjs'),
        `import * as inf from './dist/index.js';
const xml = '<xml xmlns="https://developers.google.com/blockly/xml"><block type="iq_events_when_started"><next><block type="iq_drivetrain_drive_for"><field name="DIRECTION">fwd</field><value name="DISTANCE"><shadow type="math_number"><field name="NUM">200</field></shadow></value></block></next></block></xml>';
const a = inf.extractAst(xml);
const b = inf.extractAst(xml.replace('200', '250'));
const rows = inf.computeStrategyStates([{ timestamp: 0, project: xml }, { timestamp: 1, project: xml.replace('200', '250') }]).rows;
console.log(JSON.stringify({
  ted: inf.ted(inf.parseBracket('{f{a}{e{c{b}}{d}}}'), inf.parseBracket('{f{a}{c{e{b}{d}}}}')),
  change: inf.changeScore(a.tree, b.tree).distance,
  states: inf.defaultModel.states,
  rows: rows.map((r) => r.bucket),
  prompt: inf.buildPlaygroundPrompt({ tree: b.tree, platform: b.meta.platform }).length > 0,
}));`,
      );
      const run = Bun.spawnSync([node!, join(out, 'check.mjs')]);
      expect(run.stderr.toString()).toBe('');
      expect(JSON.parse(run.stdout.toString())).toEqual({
        ted: 2,
        change: 1,
        states: ['iterator', 'explorer', 'stuck'],
        rows: [null, 1],
        prompt: true,
      });
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);
});
