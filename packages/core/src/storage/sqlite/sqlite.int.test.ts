/** The storage port's contract on the SQLite adapter: in memory, and on a file (WAL, as the processes open it). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../db/open.ts';
import { describeStoragePort } from '../contract.ts';

describeStoragePort('SQLite in memory', () => {
  const o = openDatabase(':memory:');
  return { storage: o.storage, close: o.close };
});

describeStoragePort('SQLite file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lmdash-storage-'));
  const o = openDatabase(join(dir, 'lmdash.sqlite'));
  return {
    storage: o.storage,
    close: () => {
      o.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
