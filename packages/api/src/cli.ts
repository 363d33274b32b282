/** `bun run lmdash api`: serve the API and the dashboard until SIGINT/SIGTERM. */
import { databaseTarget, isPostgresTarget, loadConfigFromDisk, redactUrl, untilStopSignal } from '@lmdash/core';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AuthConfigError } from './auth/auth.ts';
import { runHashPassword } from './auth/hashPassword.ts';
import { UsersFileError } from './auth/users.ts';
import { authority, serveApi, type ApiServer } from './server.ts';

export const API_USAGE = `usage: bun run lmdash api [--db FILE|URL] [--port N] [--host H] [--simulated]
       bun run lmdash api --hash-password USER < password

The read side of LM Dashboard: REST, the live event stream, /publish for programs on this
machine, /metrics, and the built dashboard at /. Prints "listening on http://HOST:PORT" once it
serves; Ctrl-C (SIGINT/SIGTERM) stops it.
  --db FILE|URL  the store the daemon writes: a SQLite file or a postgres:// URL (default:
              LMDASH_DATABASE_URL, else LMDASH_DATA_DIR/lmdash.sqlite); on PostgreSQL several
              API processes can serve one database
  --port N    default LMDASH_API_PORT (8447); 0 picks a free port
  --host H    default LMDASH_API_HOST (127.0.0.1); anything else requires LMDASH_API_TOKEN,
              and a login (the token, or a user of LMDASH_API_USERS_FILE) for every read
  --simulated the daemon mirrors a simulated classroom (lmdash start passes it without
              LMDASH_SOURCE_URL): /api/health says so and the dashboard shows a banner
  --hash-password USER  print the USER:HASH line of LMDASH_API_USERS_FILE for the password
              read from stdin (argon2id), and exit
Settings: docs/config.md.`;

function fail(message: string): number {
  console.error(`lmdash: ${message}\n\n${API_USAGE}`);
  return 2;
}

export async function runApi(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, simulated: { type: 'boolean' }, 'hash-password': { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (e) {
    return fail((e as Error).message);
  }
  if (args.help) return console.log(API_USAGE), 0;
  if (args['hash-password'] !== undefined) return runHashPassword(args['hash-password']);
  if (args.port !== undefined && !/^\d{1,5}$/.test(args.port)) return fail(`--port must be a number 0..65535 (got ${JSON.stringify(args.port)})`);
  if (args.host !== undefined && args.host.trim() === '') return fail('--host must not be empty');
  // The flags go through the config's own checks (a non-loopback host without a token is refused there).
  const c = loadConfigFromDisk({
    ...process.env,
    ...(args.port !== undefined ? { LMDASH_API_PORT: args.port } : {}),
    ...(args.host !== undefined ? { LMDASH_API_HOST: args.host } : {}),
  });
  const dbPath = databaseTarget(c, args.db);
  if (args.db !== undefined && !isPostgresTarget(dbPath) && !existsSync(dbPath)) console.error(`lmdash api: ${redactUrl(dbPath)} does not exist yet: created empty (start the daemon on it)`);
  let s: ApiServer;
  try {
    s = serveApi({ db: dbPath, config: c, simulated: args.simulated === true });
  } catch (e) {
    // An unreachable or refusing PostgreSQL: say which (password hidden), without a stack.
    if (isPostgresTarget(dbPath) && (e as Error).name === 'PostgresError') return console.error(`lmdash api: cannot open ${redactUrl(dbPath)}: ${(e as Error).message}`), 1;
    if (!(e instanceof UsersFileError || e instanceof AuthConfigError)) throw e;
    console.error(`lmdash api: ${e.message}`);
    return 2;
  }
  console.log(`listening on http://${authority(s.host, s.port)}`);
  await untilStopSignal();
  await s.stop();
  console.log('lmdash api: stopped');
  return 0;
}
