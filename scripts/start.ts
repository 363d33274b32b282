/**
 * `bun run start` / `bun run lmdash start`: the whole system in one command. On its embedded
 * default, a live simulated classroom; with LMDASH_SOURCE_URL set, a real deployment, checked
 * first. Then the daemon (tracking the whole class) and the API serving the dashboard, each its
 * own OS process, restarted with backoff if it dies; one SQLite file in the data folder; Ctrl-C
 * stops everything cleanly (the daemon finishes its tick).
 */
import { ConfigError, loadConfigFromDisk, type Config } from '@lmdash/core';
import { SourceClient } from '@lmdash/daemon';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { supervise, type Child } from './supervise.ts';

export const START_USAGE = `usage: bun run lmdash start [--port N] [--data DIR] [--students N]

Starts LM Dashboard: a live simulated classroom (unless LMDASH_SOURCE_URL is set: then that
deployment, checked first), the daemon and the API, as separate processes, and prints the
dashboard's address once it answers. Ctrl-C stops everything.
  --port N       port of the API and dashboard (default: LMDASH_API_PORT, 8447)
  --data DIR     folder of the SQLite file, created if missing (default: LMDASH_DATA_DIR, "data")
  --students N   size of the simulated class (default 30; ignored with a real source)`;

const root = resolve(import.meta.dir, '..');

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

export async function runStart(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { port: { type: 'string' }, data: { type: 'string' }, students: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (e) {
    console.error(`lmdash start: ${(e as Error).message}\n\n${START_USAGE}`);
    return 2;
  }
  if (args.help) return console.log(START_USAGE), 0;
  if (args.port !== undefined && !/^\d+$/.test(args.port)) return console.error(`lmdash start: --port must be a number, got ${JSON.stringify(args.port)}\n\n${START_USAGE}`), 2;
  if (args.students !== undefined && !/^[1-9]\d*$/.test(args.students)) return console.error(`lmdash start: --students must be a positive number\n\n${START_USAGE}`), 2;

  let config: Config;
  try {
    config = loadConfigFromDisk({ ...process.env, ...(args.port ? { LMDASH_API_PORT: args.port } : {}) });
  } catch (e) {
    if (e instanceof ConfigError) return console.error(e.message), 2;
    throw e;
  }
  const dataDir = resolve(args.data ?? config.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const db = resolve(dataDir, 'lmdash.sqlite');

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
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let sourceUrl = config.sourceUrl;
  if (!sourceUrl) {
    const sim = firstMatch(/listening on (http:\/\/\S+)/);
    children.push(supervise({ name: 'sim', cmd: ['bun', 'scripts/lmdash.ts', 'sim', '--live', '--students', args.students ?? '30', '--port', '0', '--quiet'], cwd: root, signal: stopping.signal, onLine: sim.onLine }));
    const url = await Promise.race([sim.value, done.promise.then(() => null)]);
    if (url === null) return 0; // stopped before the simulator was up
    sourceUrl = url;
  } else if (!(await checkSource({ ...config, sourceUrl }))) {
    return 1;
  }

  // The daemon and the API share nothing but the file; the daemon is the only writer of the log.
  children.push(supervise({ name: 'daemon', cmd: ['bun', 'scripts/lmdash.ts', 'daemon', '--db', db, '--source', sourceUrl, '--track-all'], cwd: root, signal: stopping.signal, stopWith: 'SIGINT' }));
  const api = firstMatch(/listening on (http:\/\/\S+)/);
  children.push(supervise({ name: 'api', cmd: ['bun', 'scripts/lmdash.ts', 'api', '--db', db, '--port', String(config.apiPort), '--host', config.apiHost], cwd: root, signal: stopping.signal, onLine: api.onLine }));
  console.log(`[start] source ${sourceUrl}${config.sourceUrl ? '' : ' (simulated classroom)'}, data ${db}`);

  const apiUrl = await Promise.race([api.value, done.promise.then(() => null)]);
  if (apiUrl && (await answers(`${apiUrl}/`, stopping.signal))) console.log(`dashboard: ${apiUrl.replace('0.0.0.0', '127.0.0.1')}/`);
  await done.promise;
  return 0;
}
