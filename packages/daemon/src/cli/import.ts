/**
 * `lmdash import --progsnap2 DIR --out FILE.jsonl`: a ProgSnap2 data set to a source log and its
 * roster (`FILE.roster.json` beside it), which `lmdash sim --log FILE.jsonl` replays.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ImportError, importProgsnap2, type ImportSummary } from '../research/progsnap2/importLog.ts';

export const IMPORT_USAGE = `usage: bun run lmdash import --progsnap2 DIR --out FILE.jsonl [--session-gap MINUTES] [--force]

Reads a ProgSnap2 data set and writes a source log (one event per line, as the source API
serves them) and its roster FILE.roster.json, for \`bun run lmdash sim --log FILE.jsonl\`.
An LM Dashboard export comes back exactly (the analysis columns are left: the replay computes
them again). Another data set is mapped as well as it allows (docs/research-data.md): runs from
Run.Program and Submit, sessions fabricated at gaps when it has none, code that is not a block
program carried as text and flagged.
  --progsnap2 DIR         the data set (MainTable.csv, code states, DatasetMetadata.csv if any)
  --out FILE.jsonl        the log to write
  --session-gap MINUTES   gap that ends a fabricated session (default 30)
  --force                 overwrite FILE.jsonl and its roster`;

function fail(message: string): number {
  console.error(`lmdash import: ${message}\n\n${IMPORT_USAGE}`);
  return 2;
}

/** The summary as lines. */
export function formatImport(s: ImportSummary): string {
  const types = Object.entries(s.byType)
    .sort((a, b) => b[1] - a[1])
    .map(([t, n]) => `${t} ${n.toLocaleString('en')}`)
    .join(', ');
  return [
    `${s.ours ? 'an LM Dashboard export' : 'a ProgSnap2 data set'}: ${s.rows.toLocaleString('en')} rows, ${s.subjects} subjects -> ${s.events.toLocaleString('en')} events (${types})`,
    ...(s.skipped > 0 ? [`  ${s.skipped.toLocaleString('en')} analysis rows (X-Alert.*) left out: the replay raises its own alerts`] : []),
    `  ${s.codeStates.carried.toLocaleString('en')} code states carried${s.codeStates.notBlocks > 0 ? `, ${s.codeStates.notBlocks.toLocaleString('en')} of them not block programs (carried as text, flagged codeFormat "text"; the daemon records those runs as parse errors)` : ''}${s.codeStates.unresolved > 0 ? `; ${s.codeStates.unresolved.toLocaleString('en')} rows with a CodeStateID not found (empty programs)` : ''}`,
    ...(s.fabricatedSessions > 0 ? [`  ${s.fabricatedSessions.toLocaleString('en')} sessions fabricated (data.fabricated) for subjects without Session.Start rows`] : []),
    ...(s.assumedUtc > 0 ? [`  ${s.assumedUtc.toLocaleString('en')} timestamps had no time zone: read as UTC`] : []),
  ].join('\n');
}

export function runImport(argv: string[]): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: { progsnap2: { type: 'string' }, out: { type: 'string' }, 'session-gap': { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    }).values;
  } catch (e) {
    return fail((e as Error).message);
  }
  if (args.help) return console.log(IMPORT_USAGE), 0;
  if (!args.progsnap2) return fail('--progsnap2 DIR is required');
  if (!args.out || !args.out.endsWith('.jsonl')) return fail('--out FILE.jsonl is required (the roster goes beside it as FILE.roster.json)');
  const gap = args['session-gap'] === undefined ? 30 : Number(args['session-gap']);
  if (!Number.isFinite(gap) || gap <= 0) return fail(`--session-gap: expected minutes > 0, got ${JSON.stringify(args['session-gap'])}`);
  const out = resolve(args.out);
  const rosterPath = out.replace(/\.jsonl$/, '.roster.json');
  if (!args.force) for (const p of [out, rosterPath]) if (existsSync(p)) return fail(`${p} exists (--force to overwrite)`);
  try {
    const { events, roster, summary } = importProgsnap2(resolve(args.progsnap2), { sessionGapMinutes: gap });
    writeFileSync(out, events.map((e) => JSON.stringify(e) + '\n').join(''));
    writeFileSync(rosterPath, JSON.stringify(roster, null, 2) + '\n');
    console.log(formatImport(summary));
    console.log(`wrote ${out} and ${rosterPath}; replay it with: bun run lmdash sim --log ${args.out}`);
    return 0;
  } catch (e) {
    if (e instanceof ImportError) {
      console.error(`lmdash import: ${e.message}`);
      return 1;
    }
    throw e;
  }
}
