/**
 * O(T·(K+M)) to sample T steps; O(1) per PRNG draw.
 *
 * Seeded sampling from an HMM, for tests, fixtures and simulation studies in notebooks. The
 * PRNG is mulberry32: tiny, fast, 32-bit state, and identical in every JS engine, so a seed
 * reproduces the same data everywhere (it is not cryptographic).
 */
import { HmmError, validateModel } from './model.ts';
import type { HmmModel } from './model.ts';

/** A source of uniform numbers in [0, 1). */
export type Rng = () => number;

/**
 * A seeded PRNG returning uniform numbers in [0, 1) (multiples of 2^-32).
 * @example const rng = mulberry32(42); rng() // same value on every run
 */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type SampleOptions = {
  /** Probability that each observation is replaced by MISSING (-1). Default 0. */
  missingRate?: number;
};

/** A sampled hidden path and its observations (same length). */
export type HmmSample = { states: number[]; obs: number[] };

/**
 * Draws `length` steps from `model` using `rng`.
 * @example sampleHmm(defaultModel, 20, mulberry32(1)).obs
 */
export function sampleHmm(model: HmmModel, length: number, rng: Rng, opts: SampleOptions = {}): HmmSample {
  validateModel(model);
  if (!Number.isInteger(length) || length < 0) throw new HmmError('BAD_OPTION', `length must be an integer ≥ 0 (got ${length})`);
  const missingRate = opts.missingRate ?? 0;
  if (!(missingRate >= 0 && missingRate <= 1)) {
    throw new HmmError('BAD_OPTION', `missingRate must be in [0, 1] (got ${missingRate})`);
  }
  const states = new Array<number>(length);
  const obs = new Array<number>(length);
  let s = 0;
  for (let t = 0; t < length; t++) {
    s = t === 0 ? draw(model.startProb, rng) : draw(model.transProb[s], rng);
    states[t] = s;
    const o = draw(model.emitProb[s], rng);
    // Draw the missing flag after the symbol so the sampled path does not depend on missingRate.
    obs[t] = missingRate > 0 && rng() < missingRate ? -1 : o;
  }
  return { states, obs };
}

/** Index drawn from a probability row (the last positive entry absorbs rounding). */
function draw(p: readonly number[], rng: Rng): number {
  let u = rng();
  let last = 0;
  for (let i = 0; i < p.length; i++) {
    if (p[i] <= 0) continue;
    last = i;
    if (u < p[i]) return i;
    u -= p[i];
  }
  return last;
}

/**
 * A random model with K states and M symbols, each row drawn uniformly from the simplex
 * (flat Dirichlet). Handy for random restarts of `fitBaumWelch` and for property tests.
 * States are named `s0..s{K-1}`.
 */
export function randomModel(K: number, M: number, rng: Rng): HmmModel {
  if (!Number.isInteger(K) || K < 1 || !Number.isInteger(M) || M < 1) {
    throw new HmmError('BAD_OPTION', `randomModel needs integers K ≥ 1 and M ≥ 1 (got K=${K}, M=${M})`);
  }
  const row = (n: number): number[] => {
    // -log(u) is Exp(1); normalised exponentials are uniform on the simplex.
    const r = Array.from({ length: n }, () => -Math.log(1 - rng()));
    const sum = r.reduce((a, b) => a + b, 0);
    return r.map((x) => x / sum);
  };
  return {
    states: Array.from({ length: K }, (_, k) => `s${k}`),
    startProb: row(K),
    transProb: Array.from({ length: K }, () => row(K)),
    emitProb: Array.from({ length: K }, () => row(M)),
  };
}
