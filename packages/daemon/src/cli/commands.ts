/**
 * The daemon's commands: `lmdash daemon`, `lmdash rebuild`, `lmdash dump`.
 */
import { databaseTarget, isPostgresTarget, loadConfigFromDisk, onStopSignal, openStorage, type Config } from '@lmdash/core';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { distanceResolver, loadModel, modelHash, openDaemonOn, programSummaries } from '../daemon.ts';
import { waitForWriterClaim } from '../tick/writerClaim.ts';
import { runLoop } from '../tick/loop.ts';
import type { Tracking } from '../tick/context.ts';
import { dumpWithProvisional } from '../rebuild/dumpProjection.ts';
import { rebuildProjection } from '../rebuild/rebuildProjection.ts';
import { programLimits, projectionIdentity, projectionOptions } from '../projection/options.ts';

export const DAEMON_USAGE = `usage: bun run lmdash daemon [--db FILE|URL] --source URL [--track-all | --track ID,...] [--once]

The write side of LM Dashboard: mirrors the source's events for tracked students into the store,
analyses them and raises alerts, one tick at a time, until Ctrl-C (the current tick finishes).
One daemon writes a store: a second one waits until the first stops, then takes over.
  --db FILE|URL   the SQLite file (created if missing) or a postgres:// URL (migrated at start);
                  default: LMDASH_DATABASE_URL, else LMDASH_DATA_DIR/lmdash.sqlite
  --source URL    the source API (default: LMDASH_SOURCE_URL)
  --track-all     track the whole roster when nothing is tracked (a new file, a reset),
                  then every student who joins it; untracked students stay untracked
  --track IDS     track these students (comma-separated), in addition to those already tracked
  --once          run one tick and exit
Credentials: LMDASH_SOURCE_USER / LMDASH_SOURCE_PASSWORD, or LMDASH_SOURCE_TOKEN (docs/config.md).`;

export const REBUILD_USAGE = `usage: bun run lmdash rebuild [--db FILE|URL]

Deletes the projection (student_state, run, episode) and replays vex_log into it. Refused while
a daemon writes the store: stop it first. --db as for the daemon (default: LMDASH_DATABASE_URL,
else LMDASH_DATA_DIR/lmdash.sqlite).`;

export const DUMP_USAGE = `usage: bun run lmdash dump [--db FILE|URL]

Prints the projection (student_state, run, episode) as canonical JSON: sorted, without versions,
with what made it ("model": the model's hash, and the program bounds when not the defaults).`;

const config = (env: NodeJS.ProcessEnv): Config => loadConfigFromDisk(env);

function fail(message: string, usage: string): number {
  console.error(`lmdash: ${message}\n\n${usage}`);
  return 2;
}

export async function runDaemon(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { db: { type: 'string' }, source: { type: 'string' }, 'track-all': { type: 'boolean' }, track: { type: 'string' }, once: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (e) {
    return fail((e as Error).message, DAEMON_USAGE);
  }
  if (args.help) return console.log(DAEMON_USAGE), 0;
  if (args['track-all'] && args.track) return fail('--track-all and --track exclude each other', DAEMON_USAGE);
  const c = config({ ...process.env, ...(args.source ? { LMDASH_SOURCE_URL: args.source } : {}) });
  if (!c.sourceUrl) return fail('no source: pass --source URL or set LMDASH_SOURCE_URL', DAEMON_USAGE);
  const tracking: Tracking = args['track-all'] ? { mode: 'all' } : args.track ? { mode: 'list', students: args.track.split(',').map((s) => s.trim()).filter(Boolean) } : { mode: 'table' };
  const target = databaseTarget(c, args.db);
  // First signal: finish the current tick, then exit. Second: interrupt it too.
  const controller = new AbortController();
  const stopping = new AbortController();
  const stop = () => {
    if (stopping.signal.aborted) controller.abort();
    else {
      console.log('lmdash daemon: stopping after this tick (again to interrupt it)');
      stopping.abort();
    }
  };
  const offStopSignal = onStopSignal(stop);
  const ctx = openDaemonOn(target, { config: c, tracking, signal: controller.signal });
  console.log(`lmdash daemon: ${ctx.where} <- ${c.sourceUrl} (${tracking.mode === 'all' ? 'tracking the whole roster' : tracking.mode === 'list' ? `tracking ${tracking.students.length} students` : 'tracking the tracked_student table'})`);
  try {
    if (!(await waitForWriterClaim(ctx.storage, { where: ctx.where, stop: stopping.signal, log: console.log }))) return 0;
    await runLoop(ctx, { once: args.once, stop: stopping.signal });
  } finally {
    ctx.close();
    offStopSignal();
  }
  console.log('lmdash daemon: stopped');
  return 0;
}

function dbArg(argv: string[], usage: string): string | number {
  let args;
  try {
    args = parseArgs({ args: argv, options: { db: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (e) {
    return fail((e as Error).message, usage);
  }
  if (args.help) return console.log(usage), 0;
  const target = databaseTarget(config(process.env), args.db);
  // A file that is not there is a typo, not a new mirror to create.
  if (!isPostgresTarget(target) && !existsSync(target)) return fail(`no such database: ${target}`, usage);
  return target;
}

export async function runRebuild(argv: string[]): Promise<number> {
  const db = dbArg(argv, REBUILD_USAGE);
  if (typeof db === 'number') return db;
  const c = config(process.env);
  const opened = openStorage(db);
  if (!opened.storage.claimWriter()) {
    opened.close();
    console.error(`lmdash rebuild: a daemon is writing ${opened.where}: stop it first`);
    return 1;
  }
  // Known distances and parsed programs from the durable caches; the rest of the pairs on
  // LMDASH_DISTANCE_WORKERS threads.
  const distances = distanceResolver(opened.storage, c, (line) => console.error(line));
  try {
    // The same model and program bounds as the daemon's (LMDASH_MODEL, LMDASH_MAX_PROGRAM_*),
    // recorded as what made the projection.
    const model = loadModel(c.model);
    opened.storage.status.setModelHash(projectionIdentity(modelHash(model), programLimits(c)));
    const r = await rebuildProjection(opened.storage, projectionOptions(c, model), Date.now(), distances, programSummaries(opened.storage, c, (line) => console.error(line)));
    console.log(`rebuilt the projection of ${r.students} students (version ${r.version ?? 'unchanged'})`);
  } finally {
    distances.close();
    opened.close();
  }
  return 0;
}

export function runDump(argv: string[]): number {
  const db = dbArg(argv, DUMP_USAGE);
  if (typeof db === 'number') return db;
  const opened = openStorage(db);
  try {
    // One view: a daemon writing meanwhile cannot tear the dump.
    const { text, provisional } = opened.storage.consistent(() => dumpWithProvisional(opened.storage));
    process.stdout.write(text);
    // Said on stderr, so the dump's bytes stay the tables' own.
    if (provisional > 0) console.error(`lmdash dump: ${provisional} runs are provisional (their exact distance is still being computed): dump again once the daemon is idle to compare with a rebuild`);
  } finally {
    opened.close();
  }
  return 0;
}

