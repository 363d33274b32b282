/**
 * `bun run start`: will start the whole system (simulated classroom, daemon, API, dashboard).
 * Only the inference package is built so far; until the daemon, API and dashboard exist this
 * says so, and shows the analysis working on a small example.
 */
import { buildPlaygroundPrompt, computeStrategyStates, extractAst, STATE_NAMES } from '@lmdash/inference';

const program = (distance: number, turn: number) =>
  `<xml xmlns="https://developers.google.com/blockly/xml"><block type="iq_events_when_started"><next>` +
  `<block type="iq_drivetrain_drive_for"><field name="DIRECTION">fwd</field><field name="UNITS">mm</field><value name="DISTANCE"><shadow type="math_number"><field name="NUM">${distance}</field></shadow></value><next>` +
  `<block type="iq_drivetrain_turn_for"><field name="TURNDIRECTION">right</field><value name="ANGLE"><shadow type="math_number"><field name="NUM">${turn}</field></shadow></value></block></next></block></next></block></xml>`;

const runs = [
  program(200, 90), program(200, 90), program(200, 90), program(300, 90), program(300, 45), program(350, 45),
].map((project, i) => ({ timestamp: Date.UTC(2026, 10, 22, 10, i), project, projectName: 'Square' }));

console.log('LM Dashboard: the daemon, the API and the dashboard are not built yet (see the issues).');
console.log('The analysis package @lmdash/inference is; here it is on a made-up student:\n');
const { rows, latest } = computeStrategyStates(runs);
for (const r of rows) {
  console.log(`  run ${r.index + 1}: ast ${r.astSize} nodes, distance ${r.distance ?? '-'}, state ${STATE_NAMES[r.state]}`);
}
if (latest) {
  console.log('\nPlayground prompt for the latest program:\n');
  const { meta } = extractAst(runs[latest.index].project);
  console.log(buildPlaygroundPrompt({ tree: latest.tree, platform: meta.platform, devices: meta.devices, recentStates: rows.map((r) => r.state) }));
}
