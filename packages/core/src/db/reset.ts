/**
 * A researcher's reset (the API's `POST /reset`), for callers holding the drizzle database: the
 * storage port's `actions.reset` (see `storage/sqlite/actions.ts`).
 */
import { resetAll } from '../storage/sqlite/actions.ts';
import type { Db } from './open.ts';

export function resetLocalData(db: Db, now: number): { epoch: number; version: number } {
  return resetAll(db.$client, now);
}
