/**
 * `lmdash model`: the model lab on a mirrored log. `fit` refits a strategy model to the class
 * (Baum-Welch MAP, the starting model as the prior) and writes it as JSON for LMDASH_MODEL;
 * `compare` judges two models on the same log. Both only read the SQLite file.
 */
import { isPostgresTarget, openStorage } from '@lmdash/core';
import { defaultStrategyModel, isFeatureModel, type StrategyModel } from '@lmdash/inference';
import { existsSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { loadModel, modelHash } from '../daemon.ts';
import { compareModels, formatComparison } from '../model/compare.ts';
import { DEFAULT_PRIOR_WEIGHT, featuresOf, fitStrategyModel } from '../model/fit.ts';
import { modelJson } from '../model/json.ts';
import type { LogFilter } from '../model/log.ts';
import { observeLog, selectFeatures } from '../model/observe.ts';
import { readTruth } from '../model/truth.ts';

export const MODEL_USAGE = `usage: bun run lmdash model fit --db FILE|URL [--students A,B] [--from ISO] [--to ISO] [--init MODEL.json]
                                  [--prior-weight W] [--name NAME] --out MODEL.json
       bun run lmdash model compare A.json B.json --db FILE|URL [--truth FILE] [--folds K]
                                  [--students A,B] [--from ISO] [--to ISO] [--json]

The model lab (docs/model.md). Reads the mirrored log (vex_log) of FILE (SQLite) or URL
(postgres://); never writes to it.

fit       Baum-Welch (MAP) on each student's runs, from the starting model and with it as the
          prior, which counts for W observations per probability row (default ${DEFAULT_PRIOR_WEIGHT}).
          Writes a model LMDASH_MODEL accepts; a progress line goes to stderr.
  --init MODEL.json   the starting model and prior (default: the default model); a
                      bucket-only model is fitted over the change feature alone
  --name NAME         the model's name, shown on the dashboard (default: the --out file's name)
compare   Held-out log-likelihood per run (students split into K folds, default 5, each model
          refitted on the others), the share of runs both decode the same, per-state
          occupancy, and with --truth (a ground-truth file of \`lmdash gen\`) the agreement
          of each with the hidden states. 'default' names the default model.
  --json              the figures as JSON instead of a table

Both: --students limits to these students (comma-separated); --from / --to to events at or
after / before these times (ISO-8601).`;

/** Where output goes; tests pass their own. */
export type ModelIo = { stdout: (s: string) => void; stderr: (s: string) => void; isTty: boolean };

const defaultIo: ModelIo = { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), isTty: process.stderr.isTTY === true };

class UsageError extends Error {}

function time(name: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = Date.parse(text);
  if (!Number.isFinite(t)) throw new UsageError(`--${name} must be an ISO-8601 time, got '${text}'`);
  return t;
}

function filterOf(v: { students?: string; from?: string; to?: string }): LogFilter {
  const f: LogFilter = { from: time('from', v.from), to: time('to', v.to) };
  if (v.students !== undefined) f.students = v.students.split(',').map((s) => s.trim()).filter(Boolean);
  return f;
}

/** 'default' or a path given to LMDASH_MODEL's loader. */
function modelAt(spec: string): StrategyModel {
  if (spec === 'default') return defaultStrategyModel;
  if (!existsSync(spec)) throw new UsageError(`no such model file: ${spec}`);
  return loadModel(spec);
}

/**
 * A progress line on stderr: rewritten in place on a terminal; elsewhere (a log file) the first
 * step, every `every`-th and the last of each stage, one line each.
 */
function progress(io: ModelIo) {
  let last = '';
  let shown = true;
  let stage = '';
  return {
    update(s: string, line: string, step = 1, every = 1) {
      if (io.isTty) io.stderr(`\r\x1b[K${line}`);
      else {
        if (s !== stage && !shown) io.stderr(`${last}\n`);
        shown = step === 1 || step % every === 0;
        if (shown) io.stderr(`${line}\n`);
      }
      stage = s;
      last = line;
    },
    done() {
      if (io.isTty && last) io.stderr('\n');
      else if (!io.isTty && !shown) io.stderr(`${last}\n`);
      shown = true;
    },
  };
}

const COMMON = { db: { type: 'string' }, students: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, help: { type: 'boolean', short: 'h' } } as const;

function openDb(path: string | undefined) {
  if (!path) throw new UsageError('--db FILE|URL is required');
  if (!isPostgresTarget(path) && !existsSync(path)) throw new UsageError(`no such database: ${path}`);
  return openStorage(path);
}

function fit(argv: string[], io: ModelIo): number {
  const { values: v } = parseArgs({ args: argv, strict: true, options: { ...COMMON, init: { type: 'string' }, 'prior-weight': { type: 'string' }, name: { type: 'string' }, out: { type: 'string' } } });
  if (v.help) return io.stdout(`${MODEL_USAGE}\n`), 0;
  if (!v.out) throw new UsageError('--out MODEL.json is required');
  const weight = v['prior-weight'] === undefined ? DEFAULT_PRIOR_WEIGHT : Number(v['prior-weight']);
  if (!(weight >= 0) || !Number.isFinite(weight)) throw new UsageError(`--prior-weight must be a number >= 0, got '${v['prior-weight']}'`);
  const init = modelAt(v.init ?? 'default');
  const filter = filterOf(v);
  const opened = openDb(v.db);
  const line = progress(io);
  try {
    const features = featuresOf(init);
    const data = observeLog(opened.storage, features, filter, (done, total, runs) => line.update('read', `model fit: reading the log: ${done}/${total} students, ${runs} runs`, done, 50));
    if (data.runs === 0) {
      line.done();
      io.stderr('lmdash model fit: no runs in the log for these students and times\n');
      return 1;
    }
    const seqs = selectFeatures(data, features);
    const outcome = fitStrategyModel(seqs, init, { priorWeight: weight, onIteration: (i, objective) => line.update('fit', `model fit: Baum-Welch iteration ${i}, log-posterior per run ${(objective / data.runs).toFixed(4)}`, i, 25) });
    line.done();
    const { model, fit: result, relabelled } = outcome;
    const name = v.name ?? basename(v.out).replace(/\.json$/i, '');
    const out = {
      name,
      states: model.states,
      startProb: model.startProb,
      transProb: model.transProb,
      features: model.features,
      // The starting model's way of picking states (the default decodes by posterior).
      decode: isFeatureModel(init) ? init.decode : undefined,
      about: {
        fittedBy: 'lmdash model fit',
        init: v.init ? basename(v.init) : 'default',
        initHash: modelHash(init),
        priorWeight: weight,
        data: `${basename(v.db!)}: ${data.students.length} students, ${data.runs} runs${filter.students ? ' (--students)' : ''}${v.from ? ` from ${v.from}` : ''}${v.to ? ` to ${v.to}` : ''}`,
        iterations: result.iterations,
        converged: result.converged,
        logLikelihoodPerRun: Math.round((result.logLikelihood / data.runs) * 1e4) / 1e4,
      },
    };
    writeFileSync(v.out, modelJson(out));
    if (relabelled) io.stderr('lmdash model fit: the fitted states came out in another order; they were put back as iterator, explorer, stuck\n');
    io.stdout(
      `fitted '${name}' on ${data.students.length} students, ${data.runs} runs: ${result.iterations} iterations${result.converged ? '' : ' (not converged)'}, log-likelihood per run ${(result.logLikelihood / data.runs).toFixed(4)}; wrote ${v.out} (LMDASH_MODEL=${v.out})\n`,
    );
    return 0;
  } finally {
    opened.close();
  }
}

function compare(argv: string[], io: ModelIo): number {
  const { values: v, positionals } = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { ...COMMON, truth: { type: 'string' }, folds: { type: 'string' }, json: { type: 'boolean' } } });
  if (v.help) return io.stdout(`${MODEL_USAGE}\n`), 0;
  if (positionals.length !== 2) throw new UsageError('compare takes two models: A.json B.json (or default)');
  const folds = v.folds === undefined ? 5 : Number(v.folds);
  if (!Number.isInteger(folds) || folds < 2) throw new UsageError(`--folds must be an integer >= 2, got '${v.folds}'`);
  const [a, b] = positionals.map((p) => ({ name: p === 'default' ? 'default' : basename(p), model: modelAt(p) }));
  if (v.truth !== undefined && !existsSync(v.truth)) throw new UsageError(`no such truth file: ${v.truth}`);
  const truth = v.truth === undefined ? undefined : readTruth(v.truth);
  const opened = openDb(v.db);
  const line = progress(io);
  try {
    const features = [...new Set([...featuresOf(a.model), ...featuresOf(b.model)])];
    const data = observeLog(opened.storage, features, filterOf(v), (done, total, runs) => line.update('read', `model compare: reading the log: ${done}/${total} students, ${runs} runs`, done, 50));
    if (data.runs === 0) {
      line.done();
      io.stderr('lmdash model compare: no runs in the log for these students and times\n');
      return 1;
    }
    const c = compareModels(data, a, b, { folds, truth, onProgress: (l) => line.update('folds', `model compare: ${l}`) });
    line.done();
    io.stdout(v.json ? `${JSON.stringify(c, null, 1)}\n` : formatComparison(c));
    return 0;
  } finally {
    opened.close();
  }
}

/**
 * `lmdash model <fit|compare> ...`; exit 0, 1 (nothing to fit on), or 2 (usage).
 * @example await runModel(['compare', 'default', 'mine.json', '--db', 'data/lmdash.sqlite'])
 */
export function runModel(argv: string[], io: ModelIo = defaultIo): number {
  const [sub, ...rest] = argv;
  try {
    if (sub === 'fit') return fit(rest, io);
    if (sub === 'compare') return compare(rest, io);
    if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
      io.stdout(`${MODEL_USAGE}\n`);
      return sub === undefined ? 2 : 0;
    }
    throw new UsageError(`unknown model command '${sub}' (fit or compare)`);
  } catch (e) {
    if (e instanceof UsageError || (e instanceof TypeError && (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`lmdash model: ${e.message}\n\n${MODEL_USAGE}\n`);
      return 2;
    }
    throw e;
  }
}
