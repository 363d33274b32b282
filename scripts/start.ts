/**
 * `bun run start`: the system on its embedded default — a live simulated classroom and the
 * daemon mirroring it into one SQLite file — as separate processes, restarted with backoff if
 * they crash, stopped cleanly on Ctrl-C (the daemon finishes its tick). With LMDASH_SOURCE_URL
 * set, it runs against that deployment instead, after checking it answers as the contract says.
 * The API and the dashboard are not built yet; until then it says how to look at the data.
 */
import { ConfigError, loadConfigFromDisk } from '@lmdash/core';
import { SourceClient } from '@lmdash/daemon';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const USAGE = `usage: bun run start [--data DIR] [--students N]

Starts a live simulated classroom (unless LMDASH_SOURCE_URL is set) and the daemon, writing
DIR/lmdash.sqlite (default: LMDASH_DATA_DIR, "data"). Ctrl-C stops everything.`;

const root = resolve(import.meta.dir, '..');
const { values: args } = parseArgs({ args: process.argv.slice(2), options: { data: { type: 'string' }, students: { type: 'string' }, help: { type: 'boolean', short: 'h' } } });
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

let config;
try {
  config = loadConfigFromDisk();
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(2);
  }
  throw e;
}
const dataDir = resolve(args.data ?? config.dataDir);
mkdirSync(dataDir, { recursive: true });
const db = resolve(dataDir, 'lmdash.sqlite');

type Child = { name: string; proc: ReturnType<typeof Bun.spawn> | null; restarts: number };
let stopping = false;

/** Runs `args` as a child, prefixing its lines, and restarts it with backoff if it dies. */
function supervise(name: string, cmd: string[], env: Record<string, string | undefined>, onLine?: (line: string) => void): Child {
  const child: Child = { name, proc: null, restarts: 0 };
  const launch = () => {
    const proc = Bun.spawn(cmd, { cwd: root, env, stdout: 'pipe', stderr: 'pipe' });
    child.proc = proc;
    for (const stream of [proc.stdout, proc.stderr]) {
      (async () => {
        let buf = '';
        for await (const chunk of stream as ReadableStream<Uint8Array>) {
          buf += new TextDecoder().decode(chunk);
          let i;
          while ((i = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, i);
            buf = buf.slice(i + 1);
            console.log(`[${name}] ${line}`);
            onLine?.(line);
          }
        }
      })();
    }
    proc.exited.then((code) => {
      if (stopping) return;
      const delay = Math.min(30_000, 1000 * 2 ** child.restarts++);
      console.log(`[start] ${name} exited (${code}); restarting in ${delay / 1000} s`);
      setTimeout(() => !stopping && launch(), delay);
    });
  };
  launch();
  return child;
}

let sourceUrl = config.sourceUrl;
const children: Child[] = [];
if (!sourceUrl) {
  const listening = Promise.withResolvers<string>();
  children.push(
    supervise('sim', ['bun', 'scripts/lmdash.ts', 'sim', '--live', '--students', args.students ?? '30', '--port', '0', '--quiet'], process.env, (line) => {
      const m = /listening on (http:\/\/\S+)/.exec(line);
      if (m) listening.resolve(m[1]);
    }),
  );
  sourceUrl = await listening.promise;
} else {
  // Real production: say clearly what is wrong before the daemon starts.
  const client = new SourceClient({ baseUrl: sourceUrl, user: config.sourceUser, password: config.sourcePassword, token: config.sourceToken, pageSize: config.pageSize, log: () => {} });
  const check = await client.check();
  if (!check.ok) {
    console.error(`[start] the source at ${sourceUrl} is not usable: ${check.problem} — ${check.detail}`);
    process.exit(1);
  }
  console.log(`[start] source ${sourceUrl}: ok (${check.students} students on the roster)`);
}

children.push(supervise('daemon', ['bun', 'scripts/lmdash.ts', 'daemon', '--db', db, '--source', sourceUrl, '--track-all'], process.env));
console.log(`[start] LM Dashboard: source ${sourceUrl}, data ${db}`);
console.log('[start] the API and the dashboard are not built yet; meanwhile: bun run lmdash dump --db ' + db);

const stop = async () => {
  if (stopping) return;
  stopping = true;
  console.log('[start] stopping (the daemon finishes its tick)…');
  for (const c of children) c.proc?.kill(c.name === 'daemon' ? 'SIGINT' : 'SIGTERM');
  await Promise.all(children.map((c) => c.proc?.exited));
  console.log('[start] stopped');
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
