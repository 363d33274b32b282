// `lmdash model fit` and `compare` on the committed small classroom log, mirrored into SQLite.
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { openDatabase } from '@lmdash/core';
import { readEventLog } from '@lmdash/fixtures';
import { computeStrategyStates, defaultModel, defaultStrategyModel, isFeatureModel, runsFromEvents, type FeatureModel } from '@lmdash/inference';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadModel } from '../daemon.ts';
import { studentEvents, loggedStudents } from '../model/log.ts';
import { readTruth } from '../model/truth.ts';
import { runModel } from './model.ts';
import type { Comparison } from '../model/compare.ts';

const logs = resolve(import.meta.dir, '../../../../fixtures/logs');
let dir: string;
let db: string;

/** Runs `lmdash model ...` in process; returns the exit code and what it printed. */
function lab(...argv: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const code = runModel(argv, { stdout: (s) => (out += s), stderr: (s) => (err += s), isTty: false });
  return { code, out, err };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lmdash-model-'));
  db = join(dir, 'small.sqlite');
  const opened = openDatabase(db);
  opened.storage.log.append(readEventLog(resolve(logs, 'small.jsonl')), null, 0);
  opened.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('lmdash model fit', () => {
  test('writes a model LMDASH_MODEL loads, the same bytes every time, that explains the class at least as well as where it started', () => {
    const out = join(dir, 'class.json');
    const r = lab('fit', '--db', db, '--out', out);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^fitted 'class' on 10 students, 111 runs: \d+ iterations, log-likelihood per run -\d+\.\d{4}; wrote /);
    expect(r.err).toContain('model fit: reading the log: 10/10 students, 111 runs');
    expect(r.err).toMatch(/model fit: Baum-Welch iteration \d+, log-posterior per run/);
    const text = readFileSync(out, 'utf8');
    const model = loadModel(out) as FeatureModel;
    expect(isFeatureModel(model)).toBe(true);
    expect(model.name).toBe('class');
    expect(model.states).toEqual(['iterator', 'explorer', 'stuck']);
    expect(model.features.map((f) => f.name)).toEqual(defaultStrategyModel.features.map((f) => f.name));
    expect(model.about).toMatchObject({ fittedBy: 'lmdash model fit', init: 'default', priorWeight: 10, data: 'small.sqlite: 10 students, 111 runs' });
    expect(lab('fit', '--db', db, '--out', out).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(text);
    // The prior is centred on the starting model, so the fit can only pay for moving away from it with likelihood.
    const perRun = Number(/log-likelihood per run (-\d+\.\d+)/.exec(r.out)![1]);
    const c = JSON.parse(lab('compare', 'default', out, '--db', db, '--json').out) as Comparison;
    expect(c.b.logLikelihood).toBeCloseTo(perRun, 4);
    expect(c.b.logLikelihood).toBeGreaterThanOrEqual(c.a.logLikelihood);
  });

  test('--students and --from/--to fit on part of the log only', () => {
    const some = join(dir, 'some.json');
    expect(lab('fit', '--db', db, '--students', 's-0001,s-0003,nobody', '--out', some, '--name', 'two').code).toBe(0);
    const runsOf = (students: string[]) => students.reduce((n, s) => n + readEventLog(resolve(logs, 'small.jsonl')).filter((e) => e.student === s && e.type === 'runProject').length, 0);
    expect((loadModel(some) as FeatureModel).about).toMatchObject({ data: `small.sqlite: 2 students, ${runsOf(['s-0001', 's-0003'])} runs (--students)` });
    expect((loadModel(some) as FeatureModel).name).toBe('two');
    const from = '2026-11-02T09:20:00.000Z';
    const to = '2026-11-02T09:40:00.000Z';
    const inWindow = readEventLog(resolve(logs, 'small.jsonl')).filter((e) => e.type === 'runProject' && e.timestamp >= from && e.timestamp < to);
    const r = lab('fit', '--db', db, '--from', from, '--to', to, '--out', join(dir, 'window.json'));
    expect(r.out).toContain(`on ${new Set(inWindow.map((e) => e.student)).size} students, ${inWindow.length} runs`);
  });

  test('starts from a bucket-only model when asked, and fits it over the change feature', () => {
    const init = join(dir, 'buckets.json');
    writeFileSync(init, JSON.stringify(defaultModel));
    expect(lab('fit', '--db', db, '--init', init, '--out', join(dir, 'b2.json')).code).toBe(0);
    expect((loadModel(join(dir, 'b2.json')) as FeatureModel).features.map((f) => f.name)).toEqual(['change']);
  });

  test('usage errors exit 2 and say what is wrong; an empty selection exits 1', () => {
    expect(lab('fit', '--out', join(dir, 'x.json'))).toMatchObject({ code: 2, err: expect.stringContaining('--db FILE|URL is required') });
    expect(lab('fit', '--db', db)).toMatchObject({ code: 2, err: expect.stringContaining('--out MODEL.json is required') });
    expect(lab('fit', '--db', join(dir, 'none.sqlite'), '--out', 'x')).toMatchObject({ code: 2, err: expect.stringContaining('no such database') });
    expect(lab('fit', '--db', db, '--from', 'monday', '--out', 'x')).toMatchObject({ code: 2, err: expect.stringContaining('--from must be an ISO-8601 time') });
    expect(lab('fit', '--db', db, '--bogus')).toMatchObject({ code: 2 });
    expect(lab('frobnicate')).toMatchObject({ code: 2, err: expect.stringContaining("unknown model command 'frobnicate'") });
    expect(lab('fit', '--db', db, '--students', 'nobody', '--out', join(dir, 'n.json'))).toMatchObject({ code: 1, err: expect.stringContaining('no runs') });
    expect(lab('--help')).toMatchObject({ code: 0, out: expect.stringContaining('usage: bun run lmdash model') });
  });
});

describe('lmdash model compare', () => {
  test('a model against itself: every run decoded the same, identical figures on both sides', () => {
    const c = JSON.parse(lab('compare', 'default', 'default', '--db', db, '--json').out) as Comparison;
    expect(c).toMatchObject({ students: 10, runs: 111, folds: 5, same: 1 });
    expect(c.a).toEqual(c.b);
    expect(c.a.occupancy.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 12);
  });

  test('agreement with the truth file is that of the daemon decoding the log; the figures repeat exactly', () => {
    const bucketFile = join(dir, 'old-default.json');
    writeFileSync(bucketFile, JSON.stringify(defaultModel));
    const args = ['compare', 'default', bucketFile, '--db', db, '--truth', resolve(logs, 'small.truth.jsonl'), '--json'];
    const first = lab(...args);
    expect(first.code).toBe(0);
    expect(lab(...args).out).toBe(first.out);
    const c = JSON.parse(first.out) as Comparison;
    // Independently: each student's runs from the log, decoded by computeStrategyStates with each model.
    const truth = readTruth(resolve(logs, 'small.truth.jsonl'));
    const opened = openDatabase(db);
    try {
      for (const [summary, model] of [[c.a, defaultStrategyModel], [c.b, defaultModel]] as const) {
        const right = [0, 0, 0];
        const total = [0, 0, 0];
        let same = 0;
        for (const s of loggedStudents(opened.storage)) {
          const runs = runsFromEvents(studentEvents(opened.storage, s), (e) => e.sourceEventId);
          const rows = computeStrategyStates(runs, { model }).rows;
          const other = computeStrategyStates(runs, { model: model === defaultModel ? defaultStrategyModel : defaultModel }).rows;
          rows.forEach((r, i) => {
            same += r.state === other[i].state ? 1 : 0;
            const h = truth.get(runs[i].key!);
            if (h === undefined) return;
            total[h]++;
            if (r.state === h) right[h]++;
          });
        }
        expect(summary.truth!.perState).toEqual(right.map((x, k) => x / total[k]) as [number, number, number]);
        expect(c.same).toBeCloseTo(same / 111, 12);
      }
    } finally {
      opened.close();
    }
    // The two observe different features: the report says their likelihoods do not compare.
    expect(c.shared).toEqual([]);
    expect(lab(...args.slice(0, -1)).out).toContain('observe no feature in common');
  });

  test('asks for two models and a readable truth file', () => {
    expect(lab('compare', 'default', '--db', db)).toMatchObject({ code: 2, err: expect.stringContaining('compare takes two models') });
    expect(lab('compare', 'default', join(dir, 'missing.json'), '--db', db)).toMatchObject({ code: 2, err: expect.stringContaining('no such model file') });
    expect(lab('compare', 'default', 'default', '--db', db, '--truth', join(dir, 'nope.jsonl'))).toMatchObject({ code: 2, err: expect.stringContaining('no such truth file') });
    expect(lab('compare', 'default', 'default', '--db', db, '--folds', '1')).toMatchObject({ code: 2, err: expect.stringContaining('--folds must be an integer >= 2') });
  });
});
