/**
 * A plain-text prompt a researcher can paste into an LLM to discuss a student's current
 * program: context, the program as pseudocode, recent strategy states, and a neutral task.
 * Deterministic (no timestamps, no randomness) and it takes no student identity at all.
 */
import type { Tree } from '../tree/tree.ts';
import { STATE_NAMES } from '../strategy/states.ts';
import { renderPseudocode } from './pseudocode.ts';

/** A decoded strategy state: 0 iterator, 1 explorer, 2 stuck (as in the HMM), or its name. */
export type StrategyState = 0 | 1 | 2 | 'iterator' | 'explorer' | 'stuck';

export type PlaygroundPromptInput = {
  /** The current program's tree; or, instead, `pseudocode`. */
  tree?: Tree;
  /** The program already rendered (`renderPseudocode(tree)`), so a caller that has it need not keep the tree. */
  pseudocode?: string;
  platform?: string | null;
  devices?: { name: string; type: string }[];
  recentStates?: StrategyState[];
};

/** How many recent states the summary line lists one by one. */
export const MAX_LISTED_STATES = 12;


const PLATFORM_NAMES: Record<string, string> = {
  V5: 'VEX V5 (VEXcode V5 blocks)',
  IQ: 'VEX IQ (VEXcode IQ blocks)',
  EXP: 'VEX EXP (VEXcode EXP blocks)',
  PG: 'VEXcode VR (a virtual robot in a simulated playground)',
  Scratch: 'Scratch 3',
};

function stateName(s: StrategyState): (typeof STATE_NAMES)[number] | 'unknown' {
  const name = typeof s === 'number' ? STATE_NAMES[s] : s;
  // Untyped callers may pass anything; say so rather than print "undefined".
  return (STATE_NAMES as readonly string[]).includes(name) ? name : 'unknown';
}

function describePlatform(platform: string | null | undefined): string {
  if (platform === null || platform === undefined || platform.trim() === '') return 'not specified';
  return PLATFORM_NAMES[platform] ?? platform;
}

function describeDevices(devices: { name: string; type: string }[] | undefined): string {
  if (!devices || devices.length === 0) return 'none listed';
  return devices.map((d) => (d.type ? `${d.name} (${d.type})` : d.name)).join(', ');
}

/** One line: the recent states, oldest to newest, with counts. */
export function summarizeStates(states: StrategyState[] | undefined): string {
  if (!states || states.length === 0) return 'Recent runs: no strategy states recorded yet.';
  const names = states.map(stateName);
  const counts = { iterator: 0, explorer: 0, stuck: 0, unknown: 0 };
  for (const n of names) counts[n]++;
  const shown = names.slice(-MAX_LISTED_STATES);
  const window = names.length > shown.length ? ` (last ${shown.length} of ${names.length})` : '';
  return (
    `Recent runs, oldest to newest${window}: ${shown.join(' -> ')}` +
    ` [totals: iterator ${counts.iterator}, explorer ${counts.explorer}, stuck ${counts.stuck}` +
    (counts.unknown > 0 ? `, unknown ${counts.unknown}` : '') +
    '].'
  );
}

/** Builds the prompt text. Same input, same text. */
export function buildPlaygroundPrompt({ tree, pseudocode, platform, devices, recentStates }: PlaygroundPromptInput): string {
  if (pseudocode === undefined && tree === undefined) throw new TypeError('buildPlaygroundPrompt needs the program: its tree or its pseudocode');
  const program = (pseudocode ?? renderPseudocode(tree!)).trimEnd();
  const lines = [
    'You are helping a teacher discuss a student\'s work in a VEXcode-style block-coding class.',
    'The student builds programs from blocks; below is their current program, written out as pseudocode.',
    '',
    `Platform: ${describePlatform(platform)}`,
    `Devices configured: ${describeDevices(devices)}`,
    '',
    'Program (one block per line; values plugged into a block appear inline in ( ) or < >;',
    'indented lines run inside the block above them; blank lines separate scripts):',
    '',
    program,
    '',
    summarizeStates(recentStates),
    'States: iterator = small incremental tweaks between runs; explorer = big restructures;',
    'stuck = re-running unchanged or flipping a value back and forth.',
    '',
    'Please:',
    '1. Explain in plain words what this program does.',
    '2. Point out likely bugs or surprises (for example unreachable blocks, loops that never end, values that fight each other).',
    '3. Suggest one next step the student could try, phrased as questions to the student, not as answers.',
    'Keep it short, neutral and encouraging, and do not write code for the student.',
  ];
  return lines.join('\n') + '\n';
}
