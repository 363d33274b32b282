/**
 * `bun run start` / `bun run lmdash start`: the whole system in one command. On its embedded
 * default, a live simulated classroom; with LMDASH_SOURCE_URL set, a real deployment, checked
 * first. Then the daemon (tracking the whole class) and the API serving the dashboard, each its
 * own OS process, restarted with backoff if it dies; one SQLite file in the data folder; Ctrl-C
 * stops everything cleanly (the daemon finishes its tick).
 */
import { ConfigError, SQLITE_FILE, loadConfigFromDisk, onStopSignal, redactUrl, type Config } from '@lmdash/core';
import { SourceClient } from '@lmdash/daemon';
import { existsSync, mkdirSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { CLASS_FILE, DEFAULT_HISTORY_MINUTES, SimClassError, describeClass, simArgs, simulatedClass, type ClassRequest } from '../fixtures/src/sim/classFile.ts';
import { PROFILES, isProfile } from '../fixtures/src/generate/profiles.ts';
import { supervise, type Child } from './supervise.ts';

export const START_USAGE = `usage: bun run lmdash start [--port N] [--data DIR] [--students N] [--seed S] [--profile P]

Starts LM Dashboard: a live simulated classroom (unless LMDASH_SOURCE_URL is set: then that
deployment, checked first), the daemon and the API, as separate processes, and prints the
dashboard's address once it answers. Ctrl-C stops everything. Builds what is missing first
(the dashboard bundle, packages/inference/dist).

The simulated class is a class period already under way: it began ${DEFAULT_HISTORY_MINUTES} minutes before the
first start, so the dashboard opens on its history and then follows it live. The class is
recorded in DIR/${CLASS_FILE} (seed, size, profile, start): the same seed gives the same class,
and a restart on the same folder continues it.
  --port N       port of the API and dashboard (default: LMDASH_API_PORT, 8447)
  --data DIR     folder of the SQLite file, created if missing (default: LMDASH_DATA_DIR, "data")
  --students N   size of the simulated class (default 30)
  --seed S       seed of the simulated class (default 1)
  --profile P    program sizes: mixed (default), novice, course, team or classic (see lmdash sim)
  --history-minutes M
                 how long the class has been going at the first start (default ${DEFAULT_HISTORY_MINUTES})
The class options apply to a new data folder; on a folder that holds another class, start
says so and stops. They are ignored with a real source.`;

const root = resolve(import.meta.dir, '..');

/** A free loopback port (the simulator keeps it across restarts, so the daemon's --source stays right). */
function freePort(): number {
  const s = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } });
  const port = s.port;
  s.stop(true);
  return port;
}

/** A build `start` needs: what it makes, the file that shows it is there, how to make it. */
export type Build = { what: string; marker: string; cwd: string; cmd: string[] };

/**
 * The builds missing under `repo`: the dashboard bundle (without it the API serves a page that
 * says it is not built) and `packages/inference/dist` (what Node programs and notebooks import).
 * `bun run start` builds both through `setup`; `bun run lmdash start` did not.
 */
export function missingBuilds(repo: string): Build[] {
  const builds: Build[] = [
    { what: 'the dashboard bundle (packages/web/dist)', marker: resolve(repo, 'packages/web/dist/index.html'), cwd: resolve(repo, 'packages/web'), cmd: ['bun', 'run', 'build'] },
    { what: 'the analysis library build (packages/inference/dist)', marker: resolve(repo, 'packages/inference/dist/index.js'), cwd: resolve(repo, 'packages/inference'), cmd: ['bun', 'run', 'build'] },
  ];
  return builds.filter((b) => !existsSync(b.marker));
}

/** Runs each build, saying what it does; false (with the command to run by hand) as soon as one fails. */
export async function buildMissing(builds: Build[], io: { log: (line: string) => void; error: (line: string) => void }): Promise<boolean> {
  for (const b of builds) {
    const by = `bun run --cwd ${relative(process.cwd(), b.cwd) || '.'} build`;
    io.log(`${b.what} is missing: building it (${by})…`);
    const t0 = performance.now();
    const proc = Bun.spawn(b.cmd, { cwd: b.cwd, stdin: 'ignore', stdout: 'pipe', stderr: 'pipe' });
    const [out, err, code] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text(), proc.exited]);
    if (code !== 0 || !existsSync(b.marker)) {
      const tail = `${out}\n${err}`.trim().split('\n').slice(-15).join('\n');
      io.error(`building ${b.what} failed (exit ${code}):\n${tail}\nRun \`bun run setup\` from the repository root (it installs the dependencies and builds), then start again.`);
      return false;
    }
    io.log(`built ${b.what} in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return true;
}

/** Polls `url` until it answers 200 (the API serves the built dashboard at /). */
async function answers(url: string, signal: AbortSignal): Promise<boolean> {
  while (!signal.aborted) {
    try {
      const r = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (r.ok) return true;
    } catch {
      // not up yet
    }
    await Bun.sleep(200);
  }
  return false;
}

/** The first line of a child's output that matches, e.g. the address a server listens on. */
function firstMatch(pattern: RegExp): { onLine: (line: string) => void; value: Promise<string> } {
  const found = Promise.withResolvers<string>();
  return {
    value: found.promise,
    onLine: (line) => {
      const m = pattern.exec(line);
      if (m) found.resolve(m[1]);
    },
  };
}

async function checkSource(config: Config & { sourceUrl: string }): Promise<boolean> {
  const client = new SourceClient({ baseUrl: config.sourceUrl, user: config.sourceUser, password: config.sourcePassword, token: config.sourceToken, pageSize: config.pageSize, log: () => {} });
  const check = await client.check();
  if (!check.ok) {
    const hint = {
      unreachable: 'is LMDASH_SOURCE_URL right, and is the deployment up?',
      'bad-credentials': 'check LMDASH_SOURCE_USER / LMDASH_SOURCE_PASSWORD (or LMDASH_SOURCE_TOKEN)',
      contract: 'the deployment answers, but not as docs/source-api.md says: is this the right URL and version?',
    }[check.problem];
    console.error(`[start] the source at ${config.sourceUrl} is not usable: ${check.problem} — ${check.detail}\n[start] ${hint}`);
    return false;
  }
  console.log(`[start] source ${config.sourceUrl}: ok (${check.students} students on the roster, ${check.events} events in the last 24 h)`);
  return true;
}

/** The class options of the command line, checked (undefined: not given). */
function parseClassRequest(args: { students?: string; seed?: string; profile?: string; 'history-minutes'?: string }): ClassRequest {
  const req: ClassRequest = {};
  if (args.students !== undefined) req.students = Number(args.students);
  if (args.seed !== undefined) {
    if (!/^\d+$/.test(args.seed) || Number(args.seed) > 2 ** 32 - 1) throw new SimClassError(`--seed must be an integer 0..4294967295, got ${JSON.stringify(args.seed)}`);
    req.seed = Number(args.seed);
  }
  if (args.profile !== undefined) {
    if (!isProfile(args.profile)) throw new SimClassError(`--profile must be one of ${PROFILES.join(', ')}, got ${JSON.stringify(args.profile)}`);
    req.profile = args.profile;
  }
  if (args['history-minutes'] !== undefined) {
    const m = Number(args['history-minutes']);
    if (!/^\d+(\.\d+)?$/.test(args['history-minutes']) || m > 24 * 60) throw new SimClassError(`--history-minutes must be a number of minutes 0..1440, got ${JSON.stringify(args['history-minutes'])}`);
    req.historyMinutes = m;
  }
  return req;
}

export async function runStart(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        data: { type: 'string' },
        students: { type: 'string' },
        seed: { type: 'string' },
        profile: { type: 'string' },
        'history-minutes': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    console.error(`lmdash start: ${(e as Error).message}\n\n${START_USAGE}`);
    return 2;
  }
  if (args.help) return console.log(START_USAGE), 0;
  if (args.port !== undefined && !/^\d+$/.test(args.port)) return console.error(`lmdash start: --port must be a number, got ${JSON.stringify(args.port)}\n\n${START_USAGE}`), 2;
  if (args.students !== undefined && !/^[1-9]\d*$/.test(args.students)) return console.error(`lmdash start: --students must be a positive number\n\n${START_USAGE}`), 2;
  let request: ClassRequest;
  try {
    request = parseClassRequest(args);
  } catch (e) {
    if (!(e instanceof SimClassError)) throw e;
    return console.error(`lmdash start: ${e.message}\n\n${START_USAGE}`), 2;
  }

  let config: Config;
  try {
    config = loadConfigFromDisk({ ...process.env, ...(args.port ? { LMDASH_API_PORT: args.port } : {}) });
  } catch (e) {
    if (e instanceof ConfigError) return console.error(e.message), 2;
    throw e;
  }
  const dataDir = resolve(args.data ?? config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  // The SQLite file in the data folder, or LMDASH_DATABASE_URL (the simulated class's record stays in the folder).
  const db = config.databaseUrl ?? resolve(dataDir, SQLITE_FILE);
  // A URL is not put on a command line (it may hold a password): the children read it from the same settings.
  const dbArgs = config.databaseUrl ? [] : ['--db', db];

  // Build what a fresh checkout lacks rather than serve a page that says it is not built.
  if (!(await buildMissing(missingBuilds(root), { log: (line) => console.log(`[start] ${line}`), error: (line) => console.error(`[start] ${line}`) }))) return 1;

  const stopping = new AbortController();
  const children: Child[] = [];
  const stop = async () => {
    if (stopping.signal.aborted) return;
    stopping.abort();
    console.log('[start] stopping (the daemon finishes its tick)…');
    await Promise.all(children.map((c) => c.stop()));
    console.log('[start] stopped');
  };
  const done = Promise.withResolvers<void>();
  const onSignal = () => void stop().then(() => done.resolve());
  onStopSignal(onSignal);

  let sourceUrl = config.sourceUrl;
  if (!sourceUrl) {
    let klass;
    try {
      const hadLog = existsSync(db);
      const found = simulatedClass(dataDir, request, Date.now());
      klass = found.klass;
      if (found.created && hadLog) console.log(`[start] ${db} exists but ${CLASS_FILE} does not: a new simulated class is added to it (an empty --data folder gives a clean one)`);
      console.log(`[start] ${found.created ? 'a new' : 'continuing the'} simulated class: ${describeClass(klass, Date.now())} (${resolve(dataDir, CLASS_FILE)})`);
      const hours = (Date.now() - Date.parse(klass.classStart)) / 3_600_000;
      if (hours > 12) console.log(`[start] this class began ${hours.toFixed(0)} h ago: the simulator regenerates all of it first (a few seconds per class-hour); for a fresh class use an empty --data folder`);
    } catch (e) {
      if (!(e instanceof SimClassError)) throw e;
      return console.error(`lmdash start: ${e.message}`), 2;
    }
    const sim = firstMatch(/listening on (http:\/\/\S+)/);
    children.push(supervise({ name: 'sim', cmd: ['bun', 'scripts/lmdash.ts', 'sim', ...simArgs(klass), '--port', String(freePort()), '--quiet'], cwd: root, signal: stopping.signal, onLine: sim.onLine }));
    const url = await Promise.race([sim.value, done.promise.then(() => null)]);
    if (url === null) return 0; // stopped before the simulator was up
    sourceUrl = url;
  } else if (!(await checkSource({ ...config, sourceUrl }))) {
    return 1;
  }

  // The daemon and the API share nothing but the store; the daemon is the only writer of the log.
  children.push(supervise({ name: 'daemon', cmd: ['bun', 'scripts/lmdash.ts', 'daemon', ...dbArgs, '--source', sourceUrl, '--track-all'], cwd: root, signal: stopping.signal, stopWith: 'SIGINT' }));
  const api = firstMatch(/listening on (http:\/\/\S+)/);
  const simulated = config.sourceUrl ? [] : ['--simulated'];
  children.push(supervise({ name: 'api', cmd: ['bun', 'scripts/lmdash.ts', 'api', ...dbArgs, '--port', String(config.apiPort), '--host', config.apiHost, ...simulated], cwd: root, signal: stopping.signal, onLine: api.onLine }));
  console.log(`[start] source ${sourceUrl}${config.sourceUrl ? '' : ' (simulated classroom)'}, data ${redactUrl(db)}`);

  const apiUrl = await Promise.race([api.value, done.promise.then(() => null)]);
  if (apiUrl && (await answers(`${apiUrl}/`, stopping.signal))) console.log(`dashboard: ${apiUrl.replace('0.0.0.0', '127.0.0.1')}/`);
  await done.promise;
  return 0;
}
