/**
 * Fits the default strategy model (`packages/inference/src/strategy/strategy-model.json`) and
 * writes it: Baum-Welch MAP over generated classes of every size profile on the training seeds
 * (the decoding benchmark judges it on other seeds), starting from, and regularised towards, a
 * prior written below from what the research says about each feature (HMM.md). The generator's
 * hidden states are never read here; its parameters are not copied.
 *
 *   bun scripts/fit-default-model.ts            # fit and write the JSON (about two minutes)
 *   bun scripts/fit-default-model.ts --check    # fit, and fail if the committed JSON differs
 */
import { DistanceCache, fitFeatureBaumWelch, labelStrategyStates, observeRuns, runsFromEvents, validateStrategyModel, type FeatureModel } from '@lmdash/inference';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { EVAL_PROFILES, TRAIN_SEEDS, generatedClass } from '../packages/daemon/bench/classes.ts';
import { modelJson } from '../packages/daemon/src/model/json.ts';

const OUT = resolve(import.meta.dir, '../packages/inference/src/strategy/strategy-model.json');
export const TRAIN = { students: 40, minutes: 90 } as const;
/** How many observations the prior counts for, per row of the model. */
export const PRIOR_WEIGHT = 10;

/**
 * The prior: states and transitions of the bucket-only default model (HMM.md), and for each
 * feature what the literature leads one to expect (HMM.md, "The strategy features").
 */
export const PRIOR: FeatureModel = {
  states: ['iterator', 'explorer', 'stuck'],
  startProb: [0.7, 0.2, 0.1],
  transProb: [
    [0.85, 0.08, 0.07],
    [0.15, 0.8, 0.05],
    [0.08, 0.07, 0.85],
  ],
  features: [
    // Tree edit distance 0 | 1 | 2-3 | 4-9 | 10-29 | 30+: iterators make small edits, explorers
    // large ones, stuck students none or one value.
    { name: 'edit', symbols: ['0', '1', '2-3', '4-9', '10-29', '30+'], emitProb: [[0.05, 0.3, 0.3, 0.25, 0.08, 0.02], [0.02, 0.03, 0.05, 0.2, 0.35, 0.35], [0.55, 0.35, 0.06, 0.02, 0.01, 0.01]] },
    // Back to an earlier version: trial and error loops.
    { name: 'revert', symbols: ['new', 'earlier'], emitProb: [[0.95, 0.05], [0.95, 0.05], [0.4, 0.6]] },
    // error | stopped | none: repeated errors mark struggling students.
    { name: 'stop', symbols: ['error', 'stopped', 'none'], emitProb: [[0.15, 0.75, 0.1], [0.25, 0.65, 0.1], [0.4, 0.5, 0.1]] },
    // Time to the run against the student's own median: fast re-runs when stuck, long ones when exploring.
    { name: 'pace', symbols: ['much faster', 'faster', 'usual', 'slower', 'much slower'], emitProb: [[0.15, 0.2, 0.3, 0.2, 0.15], [0.05, 0.1, 0.2, 0.3, 0.35], [0.4, 0.3, 0.2, 0.07, 0.03]] },
    // Another project within the session: trying something else.
    { name: 'switch', symbols: ['same', 'other'], emitProb: [[0.97, 0.03], [0.9, 0.1], [0.98, 0.02]] },
    // The control structure (loops, ifs, My Blocks, scripts) same | reshaped | more scripts |
    // fewer scripts: exploring changes how the program is organised, iterating its values and
    // simple statements, being stuck neither.
    { name: 'structure', symbols: ['same', 'reshaped', 'more scripts', 'fewer scripts'], emitProb: [[0.9, 0.06, 0.02, 0.02], [0.4, 0.3, 0.2, 0.1], [0.97, 0.01, 0.01, 0.01]] },
  ],
};

/** Rounds each row to 6 decimals and puts the rounding error on its largest entry, so it still sums to 1. */
function roundRow(row: readonly number[]): number[] {
  const r = row.map((x) => Math.round(x * 1e6) / 1e6);
  const top = r.indexOf(Math.max(...r));
  r[top] = Math.round((r[top] + 1 - r.reduce((a, b) => a + b, 0)) * 1e6) / 1e6;
  return r;
}

export function fitDefaultModel(log: (line: string) => void = () => {}): FeatureModel {
  const names = PRIOR.features.map((f) => f.name);
  const sequences: number[][][] = [];
  for (const profile of EVAL_PROFILES) {
    for (const seed of TRAIN_SEEDS) {
      const cls = generatedClass({ profile, seed, ...TRAIN });
      for (const s of cls.students) {
        const runs = runsFromEvents(s.events, (e) => e.sourceEventId);
        sequences.push(observeRuns(runs, names, { cache: new DistanceCache() }).obs);
      }
      log(`observed ${profile} seed ${seed}: ${cls.students.length} students`);
    }
  }
  const fit = fitFeatureBaumWelch(sequences, PRIOR, { prior: PRIOR, priorWeight: PRIOR_WEIGHT, maxIter: 1000, tol: 1e-9 });
  const { model, permutation } = labelStrategyStates(fit.model);
  if (permutation.join() !== '0,1,2') throw new Error(`the fitted states changed meaning (permutation ${permutation.join()}); check the prior`);
  const runs = sequences.reduce((n, s) => n + s.length, 0);
  log(`Baum-Welch: ${fit.iterations} iterations, log-likelihood ${fit.logLikelihood.toFixed(1)} over ${runs} runs`);
  const out: FeatureModel = {
    name: 'default',
    // Each run's most probable state rather than the most probable path (HMM.md, "Decoding").
    decode: 'posterior',
    states: model.states,
    startProb: roundRow(model.startProb),
    transProb: model.transProb.map(roundRow),
    features: model.features.map((f) => ({ name: f.name, symbols: f.symbols, emitProb: f.emitProb.map(roundRow) })),
    about: {
      fittedBy: 'scripts/fit-default-model.ts',
      method: `Baum-Welch MAP from the prior in the script (weight ${PRIOR_WEIGHT} observations per row), ${fit.iterations} iterations`,
      data: `generated classes (fixtures), profiles ${EVAL_PROFILES.join(', ')} × seeds ${TRAIN_SEEDS.join(', ')}, ${TRAIN.students} students × ${TRAIN.minutes} minutes: ${sequences.length} students, ${runs} runs; hidden states not used`,
      logLikelihoodPerRun: Math.round((fit.logLikelihood / runs) * 1e4) / 1e4,
    },
  };
  validateStrategyModel(out);
  return out;
}

if (import.meta.main) {
  const text = modelJson(fitDefaultModel((line) => console.error(line)));
  if (process.argv.includes('--check')) {
    if (readFileSync(OUT, 'utf8') !== text) {
      console.error(`${OUT} differs from a fresh fit`);
      process.exit(1);
    }
    console.log(`${OUT} is what the script fits`);
  } else {
    writeFileSync(OUT, text);
    console.log(`wrote ${OUT}`);
  }
}
