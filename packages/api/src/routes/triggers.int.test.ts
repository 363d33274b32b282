import { afterEach, describe, expect, test } from 'bun:test';
import { TriggerRow } from '@lmdash/core/wire';
import { applyWrite } from '../../test/daemonWrites.ts';
import { T0, makeApi, type TestApi } from '../../test/unit.ts';

let api: TestApi;
afterEach(() => api.cleanup());

const version = (api: TestApi) => (api.db.sqlite.query('SELECT version FROM meta').get() as { version: number }).version;

function threeAlerts(api: TestApi): number[] {
  const a = applyWrite(api.db.sqlite, { op: 'trigger', studentId: 's-1', kind: 'wheelspin', at: T0 }).id!;
  const b = applyWrite(api.db.sqlite, { op: 'trigger', studentId: 's-2', kind: 'inactive', at: T0 }).id!;
  const c = applyWrite(api.db.sqlite, { op: 'trigger', studentId: 's-2', kind: 'big_rewrite', at: T0 }).id!;
  applyWrite(api.db.sqlite, { op: 'resolve', id: c, at: T0 + 1 });
  return [a, b, c];
}

describe('GET /api/triggers', () => {
  test('by status, newest first; all without a status', async () => {
    api = makeApi();
    const [a, b, c] = threeAlerts(api);
    const open = TriggerRow.array().parse(await (await api.request('/api/triggers?status=open')).json());
    expect(open.map((t) => t.id)).toEqual([b, a]);
    const resolved = (await (await api.request('/api/triggers?status=resolved')).json()) as TriggerRow[];
    expect(resolved.map((t) => [t.id, t.kind, t.resolvedAt])).toEqual([[c, 'big_rewrite', T0 + 1]]);
    expect(((await (await api.request('/api/triggers')).json()) as TriggerRow[]).map((t) => t.id)).toEqual([c, b, a]);
    expect(((await (await api.request('/api/triggers?limit=1')).json()) as TriggerRow[]).map((t) => t.id)).toEqual([c]);
  });

  test('400 with the reason for a bad status or limit', async () => {
    api = makeApi();
    const res = await api.request('/api/triggers?status=closed');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toStartWith('invalid query: status: ');
    const lim = await api.request('/api/triggers?limit=0');
    expect(lim.status).toBe(400);
    expect(((await lim.json()) as { error: string }).error).toContain('limit');
  });
});

describe('POST /api/triggers/:id/ack', () => {
  test('acks with a note, stamps the row with a new meta.version', async () => {
    api = makeApi();
    const [a] = threeAlerts(api);
    const before = version(api);
    const res = await api.post(`/api/triggers/${a}/ack`, { note: 'talked to her' });
    expect(res.status).toBe(200);
    const row = TriggerRow.parse(await res.json());
    expect(row).toMatchObject({ id: a, status: 'acked', ackedAt: api.clock.now, ackNote: 'talked to her', version: before + 1 });
    expect(version(api)).toBe(before + 1);
  });

  test('an empty body acks without a note; acking again changes nothing', async () => {
    api = makeApi();
    const [a] = threeAlerts(api);
    const res = await api.request(`/api/triggers/${a}/ack`, { method: 'POST' });
    expect(res.status).toBe(200);
    const v = version(api);
    expect(((await res.json()) as TriggerRow).ackNote).toBeNull();
    expect((await api.post(`/api/triggers/${a}/ack`, {})).status).toBe(200);
    expect(version(api)).toBe(v);
    // A note added later is a change.
    expect(((await (await api.post(`/api/triggers/${a}/ack`, { note: 'later' })).json()) as TriggerRow).ackNote).toBe('later');
    expect(version(api)).toBe(v + 1);
  });

  test('404 for an unknown id, 400 for a bad id or body, 409 for a resolved alert', async () => {
    api = makeApi();
    const [, , c] = threeAlerts(api);
    const missing = await api.post('/api/triggers/9999/ack', {});
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'no trigger 9999' });
    const bad = await api.post('/api/triggers/abc/ack', {});
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toStartWith('invalid trigger id');
    const long = await api.post(`/api/triggers/${c}/ack`, { note: 'x'.repeat(3000) });
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: string }).error).toStartWith('invalid body: note: ');
    const notJson = await api.post(`/api/triggers/${c}/ack`, '{note:');
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toEqual({ error: 'body is not valid JSON' });
    const resolved = await api.post(`/api/triggers/${c}/ack`, {});
    expect(resolved.status).toBe(409);
  });
});
