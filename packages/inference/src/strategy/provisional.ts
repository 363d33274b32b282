/**
 * O(F) per pair.
 *
 * Decoding before the exact distance is known. A run's distance enters the decode only through
 * a few classes of it: the change bucket (`bucket`, also stored on the row), and for a feature
 * model the distance class each feature reads (`StrategyFeature.distanceClass`: the edit class,
 * whether the distance is 0). Every one of them is non-decreasing in the distance for a fixed
 * program size, so when the exact bounds of a pair (`tedBounds`: lower <= distance <= upper)
 * fall in the same class for each of them, every distance in [lower, upper] — the exact one
 * included — gives the run the same observation vector as `lower` does. Decoding with `lower`
 * in its place then yields the states and posteriors the exact distance will yield, to the bit
 * (Viterbi and forward-backward read the observations only). The distance and the score are
 * another matter: they stay unknown until the exact distance arrives.
 */
import { bucket } from '../change/bucket.ts';
import { isFeatureModel } from '../hmm/featureModel.ts';
import type { StrategyModel } from './decode.ts';
import { STRATEGY_FEATURES, isStrategyFeature } from './features.ts';

/** A class of the distance, non-decreasing in `distance` for a fixed `size` (the larger program's nodes). */
export type DistanceClass = (distance: number, size: number) => number;

/** The change bucket of a distance, as a class: the row's `bucket`, and the categorical models' only observation. */
const bucketClass: DistanceClass = (d, size) => bucket(Math.min(1, d / size), d);

/**
 * The classes of the distance a decode with `model` reads, the change bucket always first (the
 * row keeps it even when the model does not observe it).
 */
export function distanceClasses(model: StrategyModel): DistanceClass[] {
  const out: DistanceClass[] = [bucketClass];
  if (!isFeatureModel(model)) return out;
  for (const f of model.features) {
    const c = isStrategyFeature(f.name) ? (STRATEGY_FEATURES[f.name] as { distanceClass?: DistanceClass }).distanceClass : undefined;
    if (c && !out.includes(c)) out.push(c);
  }
  return out;
}

/**
 * Whether exact bounds on a pair's distance decide everything a decode with these classes reads:
 * each class is the same at `lower` and at `upper` (hence, being monotone, on all of [lower, upper]).
 * @example decidedByBounds(distanceClasses(defaultStrategyModel), 31, 40, 1200) // true: edit 30+, local, not 0
 */
export function decidedByBounds(classes: readonly DistanceClass[], lower: number, upper: number, size: number): boolean {
  if (!(lower >= 0) || !(upper >= lower) || !(size >= 1)) {
    throw new RangeError(`decidedByBounds: need 0 <= lower <= upper and size >= 1 (got lower=${lower}, upper=${upper}, size=${size})`);
  }
  return classes.every((c) => c(lower, size) === c(upper, size));
}
