/**
 * docs/notebooks.md shows a worked example; this runs it, unchanged, under Node (against the
 * built dist/, as a Node kernel would) and under Deno, and checks the page still shows it.
 */
import { describe, expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPO_ROOT } from './spawnSim.ts';

const example = readFileSync(resolve(REPO_ROOT, 'docs/examples/notebook.mjs'), 'utf8');
const node = Bun.which('node');
const deno = Bun.which('deno', { PATH: `${resolve(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}` });
if (!node) console.warn('\n!!! node not found on PATH: the notebook example under Node is SKIPPED.\n');
if (!deno) console.warn('\n!!! deno not found (root devDependency): the notebook example under Deno is SKIPPED.\n');

// What the example must find, counted here independently of @lmdash/inference.
const events = readFileSync(resolve(REPO_ROOT, 'fixtures/logs/small.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string });
const malformed = readFileSync(resolve(REPO_ROOT, 'fixtures/logs/small.truth.jsonl'), 'utf8').trim().split('\n').filter((l) => (JSON.parse(l) as { malformed?: string }).malformed).length;
const parsedRuns = events.filter((e) => e.type === 'runProject').length - malformed;

function check(stdout: string) {
  const perState = /runs per state \(default model\): \{ iterator: (\d+), explorer: (\d+), stuck: (\d+) \}/.exec(stdout);
  expect(perState).not.toBeNull();
  expect(Number(perState![1]) + Number(perState![2]) + Number(perState![3])).toBe(parsedRuns);
  expect(Number(/Baum-Welch: (\d+) iterations/.exec(stdout)?.[1])).toBeGreaterThan(0);
  expect(stdout).toMatch(/s-\d{4}: \d+ episodes/);
  expect(stdout).toContain('Program (one block per line');
  expect(stdout).toContain('when started');
}

describe('docs/notebooks.md', () => {
  test('shows docs/examples/notebook.mjs exactly', () => {
    expect(readFileSync(resolve(REPO_ROOT, 'docs/notebooks.md'), 'utf8')).toContain('```js\n' + example + '```');
  });

  test.skipIf(!node)('the example runs under Node against the built package', () => {
    const r = Bun.spawnSync([node!, 'docs/examples/notebook.mjs'], { cwd: REPO_ROOT });
    expect(r.stderr.toString()).toBe('');
    expect(r.exitCode).toBe(0);
    check(r.stdout.toString());
  }, 60_000);

  test.skipIf(!deno)('the example runs under Deno', () => {
    const r = Bun.spawnSync([deno!, 'run', '--allow-read', '--allow-net', 'docs/examples/notebook.mjs'], { cwd: REPO_ROOT, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
    expect(r.exitCode).toBe(0);
    check(r.stdout.toString());
  }, 120_000);
});

// The fit-and-compare example (docs/notebooks.md, "Fit and compare models").
const lab = readFileSync(resolve(REPO_ROOT, 'docs/examples/model-lab.mjs'), 'utf8');
const pct = String.raw`(\d+\.\d) %`;

function checkLab(stdout: string) {
  const ll = /held-out log-likelihood per run: default (-\d+\.\d{3}), refitted (-\d+\.\d{3})/.exec(stdout);
  expect(ll).not.toBeNull();
  expect(Number(/decode the same state on (\d+\.\d) % of runs/.exec(stdout)?.[1])).toBeGreaterThan(50);
  for (const name of ['default', 'refitted']) {
    // Node quotes the strings with ', Deno with ".
    const m = new RegExp(`${name}: agreement with the hidden states \\{ iterator: ['"]${pct}['"], explorer: ['"]${pct}['"], stuck: ['"]${pct}['"] \\}`).exec(stdout);
    expect(m).not.toBeNull();
    for (const x of m!.slice(1)) expect(Number(x)).toBeGreaterThan(50);
  }
}

describe('docs/notebooks.md: fit and compare', () => {
  test('shows docs/examples/model-lab.mjs exactly', () => {
    expect(readFileSync(resolve(REPO_ROOT, 'docs/notebooks.md'), 'utf8')).toContain('```js\n' + lab + '```');
  });

  test.skipIf(!node)('the example runs under Node against the built package', () => {
    const r = Bun.spawnSync([node!, 'docs/examples/model-lab.mjs'], { cwd: REPO_ROOT });
    expect(r.stderr.toString()).toBe('');
    expect(r.exitCode).toBe(0);
    checkLab(r.stdout.toString());
  }, 60_000);

  test.skipIf(!deno)('the example runs under Deno', () => {
    const r = Bun.spawnSync([deno!, 'run', '--allow-read', 'docs/examples/model-lab.mjs'], { cwd: REPO_ROOT, env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
    expect(r.exitCode).toBe(0);
    checkLab(r.stdout.toString());
  }, 120_000);
});
