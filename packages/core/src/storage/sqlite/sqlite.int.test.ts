/** The storage port's contract on the SQLite adapter: in memory, and on a file (WAL, as the processes open it). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../db/open.ts';
import { describeStoragePort, type OpenedStore } from '../contract.ts';

describeStoragePort('SQLite in memory', () => {
  const o = openDatabase(':memory:');
  return { storage: o.storage, close: o.close };
});

describeStoragePort('SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-storage-'));
  const file = join(dir, 'lmdash.sqlite');
  // The folder goes with the last connection closed.
  let open = 0;
  const connect = (): OpenedStore => {
    const o = openDatabase(file);
    open++;
    return {
      storage: o.storage,
      close: () => {
        o.close();
        if (--open === 0) rmSync(dir, { recursive: true, force: true });
      },
      openAnother: connect,
    };
  };
  return connect();
});
