/**
 * A writer in its own process, standing in for the daemon: reads one JSON `WriteOp` per line on
 * stdin, applies it to the SQLite file given as argv[2], and prints `ok <epoch>:<version>[ <id>]`
 * per line (or `error <message>`). Tests use it to write while the API reads, as in production.
 */
import { openDatabase } from '@lmdash/core';
import { applyWrite, type WriteOp } from './daemonWrites.ts';

const { sqlite, close } = openDatabase(process.argv[2]!);
console.log('ready');
let buffer = '';
for await (const chunk of Bun.stdin.stream()) {
  buffer += new TextDecoder().decode(chunk);
  let nl: number;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, nl).trim();
    buffer = buffer.slice(nl + 1);
    if (!line) continue;
    try {
      const r = applyWrite(sqlite, JSON.parse(line) as WriteOp);
      console.log(`ok ${r.epoch}:${r.version}${r.id === undefined ? '' : ` ${r.id}`}`);
    } catch (e) {
      console.log(`error ${(e as Error).message}`);
    }
  }
}
close();
