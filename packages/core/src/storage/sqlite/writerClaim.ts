/**
 * The single-writer claim on SQLite: a lock file `FILE.writer` created exclusively (`wx`) and
 * holding the claimant's pid. A file whose pid is no longer alive (a crash, kill -9) is taken
 * over; the file is removed when the connection closes or the process exits. An in-memory
 * database has no other process to share it: its claim always holds.
 */
import type { Database } from 'bun:sqlite';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Whether a process with this pid exists (EPERM: it does, under another user). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

const holder = (path: string): number | null => {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
};

/** `claimWriter` for one connection; releasing is tied to the connection's `close`. */
export function sqliteWriterClaim(sqlite: Database): () => boolean {
  const file = sqlite.filename;
  if (file === '' || file === ':memory:') return () => true;
  const lock = `${resolve(file)}.writer`;
  let held = false;

  const release = (): void => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    // Only our own file: never one a successor wrote after taking over.
    if (holder(lock) === process.pid) unlinkSync(lock);
  };

  return () => {
    if (held) return true;
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        writeFileSync(lock, String(process.pid), { flag: 'wx' });
        held = true;
        process.on('exit', release);
        // The connection's close releases the claim (openDatabase's close calls it).
        const close = sqlite.close.bind(sqlite);
        sqlite.close = (...args: Parameters<Database['close']>) => {
          release();
          return close(...args);
        };
        return true;
      } catch (e) {
        if ((e as { code?: string }).code !== 'EEXIST') throw e;
        const pid = holder(lock);
        // A file being written has no pid yet: its writer is alive.
        if (pid === null || alive(pid)) return false;
        try {
          unlinkSync(lock); // a dead claimant's: take it over
        } catch {
          // another process took it over first; the next attempt sees its file
        }
      }
    }
    return false;
  };
}
