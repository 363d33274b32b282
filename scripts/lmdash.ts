/**
 * `bun run lmdash <command>`: the LM Dashboard command line. Each command lives with its
 * package; this file only dispatches. `--help` works on every command.
 */
import { ConfigError, loadConfigFromDisk, redactConfig, renderConfigDocs, runCopy, runMigrate } from '@lmdash/core';
import { runDaemon, runDump, runExport, runImport, runModel, runRebuild } from '@lmdash/daemon';
import { runGen, runSim } from '@lmdash/fixtures';
import { writeFileSync } from 'node:fs';
import { runStart } from './start.ts';
import { resolve } from 'node:path';

type Command = { summary: string; run: (argv: string[]) => Promise<number> | number };

const COMMANDS: Record<string, Command> = {
  gen: { summary: 'generate a synthetic classroom event log (JSONL) with its ground truth', run: runGen },
  sim: { summary: 'serve the production source API over a fixture log, or a live classroom', run: runSim },
  daemon: { summary: 'mirror the source into the store (SQLite or PostgreSQL), analyse each student, raise alerts', run: runDaemon },
  rebuild: { summary: 'delete the projection and replay the log into it', run: runRebuild },
  dump: { summary: 'print the projection as canonical JSON', run: runDump },
  migrate: { summary: 'apply the migrations to the SQLite file or the PostgreSQL database, and exit', run: runMigrate },
  copy: { summary: 'copy a whole mirror into a new store (e.g. from SQLite to PostgreSQL)', run: runCopy },
  export: { summary: 'write the mirror as a ProgSnap2 data set (pseudonyms by default), or check one (docs/research-data.md)', run: runExport },
  import: { summary: 'a ProgSnap2 data set to a source log that sim --log replays', run: runImport },
  model: { summary: 'fit a strategy model to the mirrored log, or compare two models on it (docs/model.md)', run: (argv) => runModel(argv) },
  api: { summary: 'serve the API, the live stream, /publish and the built dashboard', run: async (argv) => (await import('@lmdash/api')).runApi(argv) },
  start: { summary: 'the whole system: simulated classroom (or LMDASH_SOURCE_URL), daemon and API', run: runStart },
  config: { summary: 'print the effective configuration (secrets redacted); --docs rewrites docs/config.md', run: runConfig },
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'usage: bun run lmdash <command> [options]',
    '',
    'commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Each command takes --help. Settings come from the environment and lmdash.config.json: see docs/config.md.',
  ].join('\n');
}

function runConfig(argv: string[]): number {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: bun run lmdash config [--docs]\n\nPrints the effective configuration as JSON, secrets as ***.\n  --docs  rewrite docs/config.md from the settings table');
    return 0;
  }
  if (argv.includes('--docs')) {
    const path = resolve(import.meta.dir, '../docs/config.md');
    writeFileSync(path, renderConfigDocs());
    console.log(`wrote ${path}`);
    return 0;
  }
  console.log(JSON.stringify(redactConfig(loadConfigFromDisk()), null, 2));
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    console.error(`lmdash: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
}

process.exitCode = await main(process.argv.slice(2));
