import { afterEach, describe, expect, test } from 'bun:test';
import { RosterEntry } from '@lmdash/core/wire';
import { makeApi, type TestApi } from '../../test/unit.ts';

let api: TestApi;
afterEach(() => api.cleanup());

const search = async (api: TestApi, query: string) => RosterEntry.array().parse(await (await api.request(`/api/roster${query}`)).json());

describe('GET /api/roster', () => {
  test('searches names and ids case-insensitively, with tracked and backfilled flags', async () => {
    api = makeApi();
    expect(await search(api, '?q=ada')).toEqual([{ studentId: 's-1', displayName: 'Ada L.', classroom: 'Period 3', tracked: true, backfilled: true }]);
    // s-3 is tracked, its backfill not done yet.
    expect(await search(api, '?q=CLEO')).toEqual([{ studentId: 's-3', displayName: 'Cleo M.', classroom: 'Period 3', tracked: true, backfilled: false }]);
    expect((await search(api, '?q=s-1')).map((r) => r.studentId)).toEqual(['s-1', 's-10']);
    expect(await search(api, '?q=hana')).toEqual([{ studentId: 's-8', displayName: 'Hana U.', classroom: 'Period 3', tracked: false, backfilled: false }]);
  });

  test('everyone by name without a query, up to the limit; % and _ are literal', async () => {
    api = makeApi();
    expect((await search(api, '')).map((r) => r.displayName)).toHaveLength(10);
    expect((await search(api, '?limit=2')).map((r) => r.displayName)).toEqual(['Ada L.', 'Ben K.']);
    expect(await search(api, '?q=%25')).toEqual([]);
    expect(await search(api, '?q=_')).toEqual([]);
  });

  test('400 for a bad limit', async () => {
    api = makeApi();
    const res = await api.request('/api/roster?limit=-3');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toStartWith('invalid query: limit');
  });
});
