/**
 * `bun run test:chaos`: the reliability suite as a report. Each scenario runs the real
 * processes (simulator, daemon) against the committed classroom log, does its damage, lets
 * the daemon catch up, then compares the mirror with the source: events missing, events
 * stored twice, the projection against a rebuild, malformed programs flagged. Prints what it
 * tried and what it found; exits 1 if anything was lost, duplicated or inconsistent.
 */
import { Database } from 'bun:sqlite';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { interruptDaemon, seededDelays } from '../test/interrupt.ts';
import { REPO_ROOT, spawnSim } from '../test/spawnSim.ts';

const LOG = resolve(REPO_ROOT, 'fixtures/logs/classroom.jsonl');
const source = readFileSync(LOG, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number; type: string });
const malformed = readFileSync(resolve(REPO_ROOT, 'fixtures/logs/classroom.truth.jsonl'), 'utf8').trim().split('\n').filter((l) => (JSON.parse(l) as { malformed?: string }).malformed).length;
const FAULTS = ['--fault-500', '0.08', '--fault-429-retry-after', '0.04', '--retry-after', '0', '--fault-bad-body', '0.06', '--fault-drop', '0.04', '--fault-duplicate', '0.1'];

type Finding = { scenario: string; tried: string; missing: number; twice: number; rebuildEqual: boolean; flagged: string };

const cli = (args: string[], env?: Record<string, string | undefined>) => Bun.spawnSync(['bun', 'scripts/lmdash.ts', ...args], { cwd: REPO_ROOT, env: env ?? process.env });

function inspect(db: string): { missing: number; twice: number; rebuildEqual: boolean; flagged: number; runs: number } {
  const file = new Database(db, { readonly: true });
  const stored = (file.query('SELECT source_event_id AS id FROM vex_log').all() as { id: string }[]).map((r) => r.id);
  const flagged = (file.query('SELECT count(*) AS n FROM run WHERE parse_error IS NOT NULL').get() as { n: number }).n;
  const runs = (file.query('SELECT count(*) AS n FROM run').get() as { n: number }).n;
  file.close();
  const want = new Set(source.map((e) => String(e.id)));
  const seen = new Map<string, number>();
  for (const id of stored) seen.set(id, (seen.get(id) ?? 0) + 1);
  const missing = [...want].filter((id) => !seen.has(id)).length;
  const twice = [...seen.values()].filter((n) => n > 1).length + [...seen.keys()].filter((id) => !want.has(id)).length;
  const before = cli(['dump', '--db', db]).stdout.toString();
  cli(['rebuild', '--db', db]);
  const after = cli(['dump', '--db', db]).stdout.toString();
  return { missing, twice, rebuildEqual: before === after && before.length > 0, flagged, runs };
}

async function scenario(name: string, tried: string, simArgs: string[], damage: (db: string, url: string, env: Record<string, string | undefined>) => Promise<void>): Promise<Finding> {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-chaos-'));
  const db = join(dir, 'lmdash.sqlite');
  const sim = await spawnSim(['--quiet', '--log', LOG, ...simArgs]);
  // Small pages make every drain many requests long, so damage lands mid-drain.
  const env = { ...process.env, PIPELINE_IDLE_MAX: '0.5', LMDASH_PAGE_SIZE: '20' };
  try {
    process.stdout.write(`${name}: ${tried} ... `);
    await damage(db, sim.url, env);
    // Catch up without interruption (the source still faulty), then look.
    for (let i = 0; i < 4; i++) cli(['daemon', '--db', db, '--source', sim.url, '--track-all', '--once'], env);
    const r = inspect(db);
    console.log(r.missing === 0 && r.twice === 0 && r.rebuildEqual ? 'nothing lost' : 'FOUND PROBLEMS');
    return { scenario: name, tried, missing: r.missing, twice: r.twice, rebuildEqual: r.rebuildEqual, flagged: `${r.flagged} of ${r.runs} runs (${malformed} malformed at the source)` };
  } finally {
    sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const findings: Finding[] = [];

findings.push(
  await scenario('crashes', 'SIGKILL the daemon 20 times at random moments while 90 minutes of class replay in ~11 s with faults and late commits', ['--speed', '500', '--late-ms', '1500', '--seed', '5', ...FAULTS], async (db, url, env) => {
    await interruptDaemon({ db, source: url, env, delays: seededDelays(20, 7, 150, 700), signal: 'SIGKILL' });
    await Bun.sleep(12_000); // the replay ends and its late commits land
  }),
);

findings.push(
  await scenario('faults', 'a running daemon against a source failing 30 % of requests (500, 429, bad bodies, dropped connections, duplicated pages, slow answers)', ['--speed', '500', '--late-ms', '1500', '--seed', '9', '--fault-rate', '0.3', '--slow-ms', '300', '--timeout-ms', '2000', '--retry-after', '0'], async (db, url, env) => {
    const daemon = Bun.spawn(['bun', 'scripts/lmdash.ts', 'daemon', '--db', db, '--source', url, '--track-all'], { cwd: REPO_ROOT, env, stdout: 'ignore', stderr: 'ignore' });
    await Bun.sleep(15_000);
    daemon.kill('SIGTERM');
    await daemon.exited;
  }),
);

findings.push(
  await scenario('stops', 'SIGTERM (finish the tick, then exit) 10 times while the class replays', ['--speed', '500', '--seed', '11'], async (db, url, env) => {
    await interruptDaemon({ db, source: url, env, delays: seededDelays(10, 3, 300, 900), signal: 'SIGTERM' });
    await Bun.sleep(11_000);
  }),
);

console.log('\n| scenario | what it tried | events missing | stored twice | projection = rebuild | malformed programs flagged |');
console.log('|---|---|---|---|---|---|');
for (const f of findings) console.log(`| ${f.scenario} | ${f.tried} | ${f.missing} | ${f.twice} | ${f.rebuildEqual ? 'yes' : 'NO'} | ${f.flagged} |`);
console.log(`\nsource: ${source.length} events of ${new Set(source.map((e) => e.type)).size} types (fixtures/logs/classroom.jsonl)`);
const bad = findings.filter((f) => f.missing > 0 || f.twice > 0 || !f.rebuildEqual);
console.log(bad.length === 0 ? 'chaos: nothing lost, nothing duplicated, every projection equals its rebuild' : `chaos: PROBLEMS in ${bad.map((f) => f.scenario).join(', ')}`);
process.exit(bad.length === 0 ? 0 : 1);
