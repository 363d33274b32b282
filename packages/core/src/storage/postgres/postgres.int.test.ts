/**
 * The storage port's contract on the PostgreSQL adapter, in a scratch database of its own
 * (LMDASH_TEST_POSTGRES_URL; LMDASH_TEST_POSTGRES=off skips it, an unreachable server fails it).
 * Each test opens its own connection on the migrated database and empties the tables.
 */
import { afterAll, describe, test } from 'bun:test';
import { describeStoragePort, type OpenedStore } from '../contract.ts';
import { openPostgresStorage } from './index.ts';
import { createScratchPostgres, emptyPostgresStore, postgresTestsOff } from './scratch.ts';

if (postgresTestsOff()) {
  describe.skip('storage port contract: PostgreSQL (LMDASH_TEST_POSTGRES=off)', () => test('skipped', () => {}));
} else {
  const pg = createScratchPostgres();
  afterAll(() => pg.drop());
  const connect = (): OpenedStore => {
    const o = openPostgresStorage(pg.url, { applicationName: 'lmdash-contract' });
    return { storage: o.storage, close: o.close, openAnother: connect };
  };
  describeStoragePort('PostgreSQL', () => {
    const o = openPostgresStorage(pg.url, { applicationName: 'lmdash-contract' });
    emptyPostgresStore(o.connection);
    return { storage: o.storage, close: o.close, openAnother: connect };
  });
}
