/**
 * What, beside the log, determines the projection: the model, the episode gap and the program
 * size bounds, from the config. The daemon and `lmdash rebuild` both take them from here, so a
 * rebuild replays the log under the same rules as the daemon that built it.
 */
import type { Config } from '@lmdash/core';
import { DEFAULT_PROGRAM_LIMITS, type ProgramLimits, type StrategyModel } from '@lmdash/inference';
import type { ProjectionOptions } from './projectStudent.ts';

/** The program bounds of a config (LMDASH_MAX_PROGRAM_BYTES / _NODES / _DEPTH). */
export function programLimits(config: Config): ProgramLimits {
  return { maxBytes: config.maxProgramBytes, maxNodes: config.maxProgramNodes, maxDepth: config.maxProgramDepth };
}

export function projectionOptions(config: Config, model: StrategyModel): Omit<ProjectionOptions, 'cache' | 'astCache'> {
  return { model, episodeGapMs: config.episodeGap * 1000, limits: programLimits(config) };
}

/**
 * The identity recorded in `meta.model_hash` (and printed by `lmdash dump`): the model's hash,
 * plus the program bounds when they are not the defaults — two projections of one log under
 * different bounds can differ, and their dumps then say why. Default bounds add nothing, so
 * existing dumps keep their bytes.
 */
export function projectionIdentity(modelHash: string, limits: ProgramLimits): string {
  const d = DEFAULT_PROGRAM_LIMITS;
  if (limits.maxBytes === d.maxBytes && limits.maxNodes === d.maxNodes && limits.maxDepth === d.maxDepth) return modelHash;
  return `${modelHash} limits:bytes=${limits.maxBytes},nodes=${limits.maxNodes},depth=${limits.maxDepth}`;
}
