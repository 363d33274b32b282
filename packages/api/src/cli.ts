/** `bun run lmdash api`: serve the API and the dashboard until SIGINT/SIGTERM. */
import { loadConfigFromDisk, untilStopSignal } from '@lmdash/core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { authority, serveApi } from './server.ts';

export const API_USAGE = `usage: bun run lmdash api [--db FILE] [--port N] [--host H] [--simulated]

The read side of LM Dashboard: REST, the live event stream, /publish for programs on this
machine, /metrics, and the built dashboard at /. Prints "listening on http://HOST:PORT" once it
serves; Ctrl-C (SIGINT/SIGTERM) stops it.
  --db FILE   the SQLite file the daemon writes (default: LMDASH_DATA_DIR/lmdash.sqlite)
  --port N    default LMDASH_API_PORT (8447); 0 picks a free port
  --host H    default LMDASH_API_HOST (127.0.0.1); anything else requires LMDASH_API_TOKEN
  --simulated the daemon mirrors a simulated classroom (lmdash start passes it without
              LMDASH_SOURCE_URL): /api/health says so and the dashboard shows a banner
Settings: docs/config.md.`;

function fail(message: string): number {
  console.error(`lmdash: ${message}\n\n${API_USAGE}`);
  return 2;
}

export async function runApi(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({ args: argv, options: { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, simulated: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }).values;
  } catch (e) {
    return fail((e as Error).message);
  }
  if (args.help) return console.log(API_USAGE), 0;
  if (args.port !== undefined && !/^\d{1,5}$/.test(args.port)) return fail(`--port must be a number 0..65535 (got ${JSON.stringify(args.port)})`);
  if (args.host !== undefined && args.host.trim() === '') return fail('--host must not be empty');
  // The flags go through the config's own checks (a non-loopback host without a token is refused there).
  const c = loadConfigFromDisk({
    ...process.env,
    ...(args.port !== undefined ? { LMDASH_API_PORT: args.port } : {}),
    ...(args.host !== undefined ? { LMDASH_API_HOST: args.host } : {}),
  });
  const dbPath = resolve(args.db ?? resolve(c.dataDir, 'lmdash.sqlite'));
  if (args.db !== undefined && !existsSync(dbPath)) console.error(`lmdash api: ${dbPath} does not exist yet: created empty (start the daemon on it)`);
  const s = serveApi({ db: dbPath, config: c, simulated: args.simulated === true });
  console.log(`listening on http://${authority(s.host, s.port)}`);
  await untilStopSignal();
  await s.stop();
  console.log('lmdash api: stopped');
  return 0;
}
