/**
 * `lmdash export`: the mirror as a ProgSnap2 data set for research (pseudonymous by default), and
 * `lmdash export --check DIR`, the checker of any ProgSnap2 folder. docs/research-data.md.
 */
import { databaseTarget, isPostgresTarget, loadConfigFromDisk, openStorage } from '@lmdash/core';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { checkProgsnap2, type CheckResult } from '../research/progsnap2/check.ts';
import { exportProgsnap2, type ExportProgress } from '../research/progsnap2/exportStore.ts';
import { exportSecret, realIdsRefusal } from '../research/progsnap2/pseudonyms.ts';

export const EXPORT_USAGE = `usage: bun run lmdash export [--db FILE|URL] --format progsnap2 --out DIR [options]
       bun run lmdash export --check DIR

Writes the mirror as a ProgSnap2 data set (MainTable.csv, DatasetMetadata.csv,
CodeStates/CodeStates.csv, README.md) with the analysis in documented X- columns
(docs/research-data.md). Students are pseudonyms unless --real-ids: a keyed hash of their id
under the secret in LMDASH_DATA_DIR/export-secret (made once, mode 0600), the same in every
export of this mirror; their ids and names are replaced in every text that leaves, and names
never leave.
  --db FILE|URL    the SQLite file or a postgres:// URL (default: LMDASH_DATABASE_URL, else
                   LMDASH_DATA_DIR/lmdash.sqlite)
  --format F       progsnap2 (the only format)
  --out DIR        a new (or empty) folder
  --from ISO       events at or after this time
  --to ISO         events before this time
  --cohort C       students of this roster classroom only
  --students IDS   these students only (comma-separated ids)
  --notes          include the text of acknowledgement notes (free text: it can name anyone)
  --real-ids       SubjectIDs are the real student ids; refused unless the mirror stays on this
                   machine (API on loopback, local store) or LMDASH_API_TOKEN is set
  --quiet          no progress lines
  --check DIR      validate a ProgSnap2 folder (files, columns, types, Order, CodeStateIDs);
                   exit 1 when it is not valid`;

function fail(message: string): number {
  console.error(`lmdash export: ${message}\n\n${EXPORT_USAGE}`);
  return 2;
}

/** The checker's verdict as lines. */
export function formatCheck(dir: string, r: CheckResult): string {
  const head = r.ok
    ? `${dir}: a valid ProgSnap2 data set (${r.rows.toLocaleString('en')} rows, ${r.subjects.toLocaleString('en')} subjects, ${r.codeStates.toLocaleString('en')} code states)`
    : `${dir}: NOT a valid ProgSnap2 data set: ${r.errorCount.toLocaleString('en')} problem${r.errorCount === 1 ? '' : 's'}`;
  const more = r.errorCount > r.errors.length ? [`  … and ${(r.errorCount - r.errors.length).toLocaleString('en')} more`] : [];
  return [head, ...r.errors.map((e) => `  ${e}`), ...more].join('\n');
}

function time(flag: string, text: string | undefined): number | undefined | string {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? `--${flag}: not an ISO-8601 time: ${JSON.stringify(text)}` : ms;
}

export function runExport(argv: string[]): number {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        db: { type: 'string' },
        format: { type: 'string' },
        out: { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        cohort: { type: 'string' },
        students: { type: 'string' },
        notes: { type: 'boolean' },
        'real-ids': { type: 'boolean' },
        quiet: { type: 'boolean' },
        check: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (e) {
    return fail((e as Error).message);
  }
  if (args.help) return console.log(EXPORT_USAGE), 0;
  if (args.check !== undefined) {
    const r = checkProgsnap2(resolve(args.check));
    console.log(formatCheck(args.check, r));
    return r.ok ? 0 : 1;
  }
  if (args.format !== 'progsnap2') return fail(args.format === undefined ? '--format progsnap2 is required' : `unknown format ${JSON.stringify(args.format)} (progsnap2 is the only one)`);
  if (!args.out) return fail('--out DIR is required');
  const from = time('from', args.from);
  const to = time('to', args.to);
  if (typeof from === 'string') return fail(from);
  if (typeof to === 'string') return fail(to);
  if (from !== undefined && to !== undefined && from >= to) return fail('--from must be before --to');

  const config = loadConfigFromDisk(process.env);
  const target = databaseTarget(config, args.db);
  if (!isPostgresTarget(target) && !existsSync(target)) return fail(`no such database: ${target}`);
  let secret: Buffer | null = null;
  if (args['real-ids']) {
    const refusal = realIdsRefusal(config, target);
    if (refusal) {
      console.error(`lmdash export: --real-ids refused: ${refusal}. Export pseudonyms (the default), or set LMDASH_API_TOKEN.`);
      return 1;
    }
    console.error('lmdash export: --real-ids: SubjectIDs are the real student ids; treat the folder as identifying data');
  } else {
    const s = exportSecret(resolve(config.dataDir));
    if (s.created) console.error(`lmdash export: made the export secret ${s.path} (keep it: the same pseudonyms in every export of this mirror)`);
    secret = s.secret;
  }

  const opened = openStorage(target);
  const out = resolve(args.out);
  const started = performance.now();
  let lastLine = 0;
  const progress = (p: ExportProgress, final = false) => {
    const now = performance.now();
    if (args.quiet || (!final && now - lastLine < 2000)) return;
    lastLine = now;
    console.error(
      `export: ${p.students.toLocaleString('en')}/${p.totalStudents.toLocaleString('en')} students, ${p.events.toLocaleString('en')} events, ${p.rows.toLocaleString('en')} rows, ${p.codeStates.toLocaleString('en')} code states, ${((now - started) / 1000).toFixed(1)} s`,
    );
  };
  try {
    const r = exportProgsnap2(opened.storage, {
      out,
      window: { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) },
      ...(args.cohort === undefined ? {} : { cohort: args.cohort }),
      ...(args.students === undefined ? {} : { students: args.students.split(',').map((s) => s.trim()).filter(Boolean) }),
      secret,
      notes: args.notes ?? false,
      onProgress: (p) => progress(p),
    });
    progress(r, true);
    if (r.unknownStudents.length > 0) console.error(`lmdash export: ${r.unknownStudents.length} of the students asked for have no events in the window`);
    if (r.totalStudents === 0) console.error('lmdash export: no student matched: the data set is empty');
    console.log(`wrote ${out}: ${r.rows.toLocaleString('en')} rows (${r.events.toLocaleString('en')} events, ${r.alerts.toLocaleString('en')} alert rows) of ${r.students.toLocaleString('en')} students, ${r.codeStates.toLocaleString('en')} code states, ${(r.bytes / 1e6).toFixed(1)} MB; check it with: bun run lmdash export --check ${args.out}`);
    return 0;
  } catch (e) {
    console.error(`lmdash export: ${(e as Error).message}`);
    return 1;
  } finally {
    opened.close();
  }
}
