import { describe, expect, test } from 'bun:test';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '../../test/shared.ts';
import { extractAst } from '../blocks/index.ts';
import { parseBracket } from '../tree/tree.ts';
import { MAX_LISTED_STATES, buildPlaygroundPrompt, renderPseudocode, summarizeStates } from './index.ts';

const tree = parseBracket(
  '{program{script{v5_events_when_started}{v5_control_forever{SUBSTACK{v5_motion_set_motor_velocity{MOTOR=leftMotor}{UNITS=pct}{VELOCITY{v5_sensing_position_of_controller{CONTROLLER=Controller1}{AXIS=Axis3}}}}{v5_motion_spin{MOTOR=leftMotor}{DIRECTION=fwd}}}}}}',
);

describe('buildPlaygroundPrompt', () => {
  test('the whole prompt for a small program', () => {
    const text = buildPlaygroundPrompt({
      tree,
      platform: 'V5',
      devices: [
        { name: 'leftMotor', type: 'Motor' },
        { name: 'Controller1', type: 'Controller' },
      ],
      recentStates: [0, 0, 1, 2, 'stuck'],
    });
    expect(text).toBe(
      [
        "You are helping a teacher discuss a student's work in a VEXcode-style block-coding class.",
        'The student builds programs from blocks; below is their current program, written out as pseudocode.',
        '',
        'Platform: VEX V5 (VEXcode V5 blocks)',
        'Devices configured: leftMotor (Motor), Controller1 (Controller)',
        '',
        'Program (one block per line; values plugged into a block appear inline in ( ) or < >;',
        'indented lines run inside the block above them; blank lines separate scripts):',
        '',
        'when started:',
        '  forever:',
        '    set leftMotor velocity to (Controller1.Axis3 position) pct',
        '    spin leftMotor fwd',
        '',
        'Recent runs, oldest to newest: iterator -> iterator -> explorer -> stuck -> stuck [totals: iterator 2, explorer 1, stuck 2].',
        'States: iterator = small incremental tweaks between runs; explorer = big restructures;',
        'stuck = re-running unchanged or flipping a value back and forth.',
        '',
        'Please:',
        '1. Explain in plain words what this program does.',
        '2. Point out likely bugs or surprises (for example unreachable blocks, loops that never end, values that fight each other).',
        '3. Suggest one next step the student could try, phrased as questions to the student, not as answers.',
        'Keep it short, neutral and encouraging, and do not write code for the student.',
        '',
      ].join('\n'),
    );
  });

  test('is deterministic', () => {
    const input = { tree, platform: 'IQ', devices: [{ name: 'claw', type: 'Motor' }], recentStates: [1, 2] as (0 | 1 | 2)[] };
    expect(buildPlaygroundPrompt(input)).toBe(buildPlaygroundPrompt(structuredClone(input)));
  });

  test('missing platform, devices and states are said plainly', () => {
    const text = buildPlaygroundPrompt({ tree });
    expect(text).toContain('Platform: not specified\n');
    expect(text).toContain('Devices configured: none listed\n');
    expect(text).toContain('Recent runs: no strategy states recorded yet.\n');
    expect(buildPlaygroundPrompt({ tree, platform: null, devices: [], recentStates: [] })).toBe(text);
  });

  test('unknown platforms are passed through; VR and Scratch are named', () => {
    expect(buildPlaygroundPrompt({ tree, platform: 'PG' })).toContain('Platform: VEXcode VR');
    expect(buildPlaygroundPrompt({ tree, platform: 'Scratch' })).toContain('Platform: Scratch 3\n');
    expect(buildPlaygroundPrompt({ tree, platform: 'CTE' })).toContain('Platform: CTE\n');
  });

  test('contains the pseudocode verbatim', () => {
    expect(buildPlaygroundPrompt({ tree })).toContain(renderPseudocode(tree));
  });

  test('from the pseudocode already rendered, the same prompt as from the tree; from neither, an error', () => {
    const input = { platform: 'IQ', devices: [{ name: 'Arm', type: 'Motor' }], recentStates: [0, 2, 2] as const };
    expect(buildPlaygroundPrompt({ ...input, recentStates: [...input.recentStates], pseudocode: renderPseudocode(tree) })).toBe(buildPlaygroundPrompt({ ...input, recentStates: [...input.recentStates], tree }));
    expect(() => buildPlaygroundPrompt({ platform: 'IQ' })).toThrow('needs the program');
  });
});

describe('summarizeStates', () => {
  test('long histories list only the last states but count all', () => {
    const states = Array.from({ length: 40 }, (_, i) => (i % 3) as 0 | 1 | 2);
    const line = summarizeStates(states);
    expect(line).toContain(`(last ${MAX_LISTED_STATES} of 40)`);
    expect(line.split(' -> ').length).toBe(MAX_LISTED_STATES);
    expect(line).toContain('[totals: iterator 14, explorer 13, stuck 13]');
  });

  test('names and numbers mean the same', () => {
    expect(summarizeStates([0, 1, 2])).toBe(summarizeStates(['iterator', 'explorer', 'stuck']));
  });
});

const dataDir = sharedPath('data/blocks');

describe.skipIf(dataDir === null)('buildPlaygroundPrompt on real programs', () => {
  test('builds for a sample of real VEXcode files, with their platform and devices', () => {
    const dirs = ['laivexrepo__CWU-MET-code', 'spedymonke__robotics', 'SamarthArun1__2.1.5-thingy'];
    let built = 0;
    for (const d of dirs) {
      const dir = join(dataDir!, d);
      for (const f of readdirSync(dir).filter((x) => /blocks$/.test(x)).slice(0, 5)) {
        const r = extractAst(readFileSync(join(dir, f), 'utf8'));
        const text = buildPlaygroundPrompt({ tree: r.tree, platform: r.meta.platform, devices: r.meta.devices, recentStates: [0, 1] });
        expect(text).toContain(renderPseudocode(r.tree));
        for (const dev of r.meta.devices) expect(text).toContain(dev.name);
        built++;
      }
    }
    expect(built).toBeGreaterThan(5);
  });
});
