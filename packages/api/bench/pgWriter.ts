/**
 * The benchmark's daemon on PostgreSQL, in its own process (so its synchronous writes never hold
 * up the client that times the streams): reads `<student> <from> <to>` lines on stdin, writes that
 * student's card and runs from…to-1 through the storage port (one tick, one version bump, its
 * notice), and prints `ok <epoch>:<version> <commit time, epoch ms>` per line.
 */
import { openStorage } from '@lmdash/core';
import { addRuns, seedRoster } from '../test/portWrites.ts';

const { storage, close } = openStorage(process.argv[2]!);
seedRoster(storage, Number(process.argv[3] ?? 3));
console.log('ready');
let buffer = '';
for await (const chunk of Bun.stdin.stream()) {
  buffer += new TextDecoder().decode(chunk);
  let nl: number;
  while ((nl = buffer.indexOf('\n')) >= 0) {
    const [student, from, to] = buffer.slice(0, nl).trim().split(' ');
    buffer = buffer.slice(nl + 1);
    if (!student) continue;
    try {
      const v = addRuns(storage, student, Number(from), Number(to));
      console.log(`ok ${v.epoch}:${v.version} ${performance.timeOrigin + performance.now()}`);
    } catch (e) {
      console.log(`error ${(e as Error).message}`);
    }
  }
}
close();
