/**
 * The storage commands: `lmdash migrate` (bring a store's schema up to date) and `lmdash copy`
 * (move a mirror between stores, e.g. from the SQLite file to PostgreSQL).
 */
import { parseArgs } from 'node:util';
import { loadConfigFromDisk } from '../config/file.ts';
import { databaseTarget } from '../config/database.ts';
import { openStorage } from '../storage/open.ts';
import { CopyRefused, copyStore } from '../storage/copy/copyStore.ts';

export const MIGRATE_USAGE = `usage: bun run lmdash migrate [--db FILE|URL]

Applies the committed migrations to the store (the SQLite file, created if missing, or the
PostgreSQL database of a postgres:// URL) and exits. The daemon and the API also migrate at start;
this is for a deployment step (ops/postgres/lmdash-daemon.service runs it first).
  --db FILE|URL   default: LMDASH_DATABASE_URL, else LMDASH_DATA_DIR/lmdash.sqlite`;

export const COPY_USAGE = `usage: bun run lmdash copy --from FILE|sqlite:FILE|URL --to FILE|sqlite:FILE|URL

Copies a whole mirror (the log, the cursor, the roster, the tracked students, the projection,
the alerts, what producers published, the distance cache, and the version and epoch) into a new,
empty store: e.g. --from sqlite:data/lmdash.sqlite --to postgres://lmdash@db.example/lmdash.
\`lmdash dump\` prints the same bytes on both afterwards. Stop the daemon first; point the
daemon and the API at the new store (LMDASH_DATABASE_URL) after.`;

function parse(argv: string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>, usage: string): Record<string, string | boolean | undefined> | number {
  try {
    const v = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } } }).values as Record<string, string | boolean | undefined>;
    if (v.help) return console.log(usage), 0;
    return v;
  } catch (e) {
    console.error(`lmdash: ${(e as Error).message}\n\n${usage}`);
    return 2;
  }
}

export function runMigrate(argv: string[]): number {
  const v = parse(argv, { db: { type: 'string' } }, MIGRATE_USAGE);
  if (typeof v === 'number') return v;
  const opened = openStorage(databaseTarget(loadConfigFromDisk(process.env), v.db as string | undefined));
  try {
    const { version, epoch } = opened.storage.status.version();
    console.log(`lmdash migrate: ${opened.where} (${opened.engine}) is up to date; version ${version}, epoch ${epoch}`);
  } finally {
    opened.close();
  }
  return 0;
}

export async function runCopy(argv: string[]): Promise<number> {
  const v = parse(argv, { from: { type: 'string' }, to: { type: 'string' } }, COPY_USAGE);
  if (typeof v === 'number') return v;
  if (typeof v.from !== 'string' || typeof v.to !== 'string') {
    console.error(`lmdash: --from and --to are required\n\n${COPY_USAGE}`);
    return 2;
  }
  const started = performance.now();
  let last = 0;
  try {
    const r = await copyStore(v.from, v.to, {
      progress: (p) => {
        // One line a second at most, and the last page of each table.
        if (p.copied === p.total || performance.now() - last > 1000) {
          last = performance.now();
          console.error(`lmdash copy: ${p.table} ${p.copied}/${p.total}`);
        }
      },
    });
    const total = Object.values(r.rows).reduce((a, b) => a + b, 0);
    console.log(`lmdash copy: ${total} rows copied in ${((performance.now() - started) / 1000).toFixed(1)} s (version ${r.version}, epoch ${r.epoch})`);
    return 0;
  } catch (e) {
    if (e instanceof CopyRefused) {
      console.error(`lmdash copy: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
