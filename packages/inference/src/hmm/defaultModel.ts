/**
 * O(1): validated once at import.
 *
 * The default strategy model, shipped as `default-model.json` (the source of truth, also
 * exported as `@lmdash/inference/default-model.json` for other languages). Each row is
 * justified in HMM.md. It is deep-frozen because it is shared: use `cloneModel` to edit it.
 */
import data from './default-model.json' with { type: 'json' };
import { HmmError, validateModel } from './model.ts';
import type { HmmModel } from './model.ts';

function load(raw: unknown): HmmModel {
  validateModel(raw);
  const m = raw;
  if (m.states.join() !== 'iterator,explorer,stuck' || m.emitProb[0].length !== 5) {
    throw new HmmError('BAD_SHAPE', 'default-model.json: states must be iterator, explorer, stuck over the 5 change symbols');
  }
  for (const r of [m.transProb, m.emitProb]) for (const row of r) Object.freeze(row);
  for (const a of [m.states, m.startProb, m.transProb, m.emitProb]) Object.freeze(a);
  if (m.symbols) Object.freeze(m.symbols);
  return Object.freeze(m);
}

/** States iterator (0), explorer (1), stuck (2) over the change alphabet; deep-frozen. */
export const defaultModel: HmmModel = load(data);
