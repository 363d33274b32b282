import { afterEach, describe, expect, test } from 'bun:test';
import { applyWrite } from '../../test/daemonWrites.ts';
import { FrameReader, T0, makeApi, type TestApi } from '../../test/unit.ts';

let api: TestApi;
afterEach(() => api.cleanup());

const promtool = Bun.which('promtool');
if (!promtool) console.warn('\n!!! promtool not found on PATH: the "/metrics parses with promtool" assertion is SKIPPED.\n');

/** `name{labels} value` lines as a map. */
function samples(body: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of body.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    m.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return m;
}

async function scrape(api: TestApi): Promise<{ body: string; s: Map<string, number>; type: string | null }> {
  const res = await api.request('/metrics');
  expect(res.status).toBe(200);
  const body = await res.text();
  return { body, s: samples(body), type: res.headers.get('content-type') };
}

describe('GET /metrics', () => {
  test('the daemon, the alerts, the streams and the producers, from the database and this process', async () => {
    api = makeApi();
    const sqlite = api.db.sqlite;
    sqlite.run(`INSERT INTO vex_log (source_event_id, student_id, type, ts, data, ingested_at) VALUES ('1', 's-1', 'runProject', 0, '{}', 0), ('2', 's-1', 'runProject', 0, '{}', 0)`);
    sqlite.query(`UPDATE meta SET tick_count = 42, last_tick_ms = 125, caught_up_at = ?, health = 'healthy', heartbeat_at = ? WHERE id = 1`).run(api.clock.now - 4000, api.clock.now - 1000);
    applyWrite(sqlite, { op: 'trigger', studentId: 's-1', kind: 'wheelspin', at: T0 });
    applyWrite(sqlite, { op: 'trigger', studentId: 's-2', kind: 'wheelspin', at: T0 });
    const id = applyWrite(sqlite, { op: 'trigger', studentId: 's-2', kind: 'inactive', at: T0 }).id!;
    await api.post(`/api/triggers/${id}/ack`, {});
    const stream = new FrameReader(await api.request('/api/stream'));
    await stream.until((f) => f.event === 'snapshot');
    for (const type of ['metric', 'metric', 'note', 'my model\n"x"']) await api.request('/publish', { method: 'POST', body: JSON.stringify({ type, name: 'n', value: 1, text: 't' }) });

    const { body, s, type } = await scrape(api);
    expect(type).toStartWith('text/plain; version=0.0.4');
    expect(s.get('lmdash_events_ingested_total')).toBe(2);
    expect(s.get('lmdash_tick_duration_seconds')).toBe(0.125);
    expect(s.get('lmdash_ticks_total')).toBe(42);
    expect(s.get('lmdash_daemon_healthy')).toBe(1);
    expect(s.get('lmdash_daemon_heartbeat_stale')).toBe(0);
    expect(s.get('lmdash_source_lag_seconds')).toBe(4);
    expect(s.get('lmdash_open_triggers{kind="wheelspin"}')).toBe(2);
    expect(s.get('lmdash_open_triggers{kind="inactive"}')).toBe(0);
    expect(s.get('lmdash_open_triggers{kind="big_rewrite"}')).toBe(0);
    expect(s.get('lmdash_tracked_students')).toBe(3);
    expect(s.get('lmdash_stream_clients')).toBe(1);
    expect(s.get('lmdash_published_events_total{type="metric"}')).toBe(2);
    expect(s.get('lmdash_published_events_total{type="note"}')).toBe(1);
    expect(s.get('lmdash_published_events_total{type="my_model__x_"}')).toBe(1);
    for (const name of ['lmdash_events_ingested_total', 'lmdash_daemon_healthy', 'lmdash_open_triggers']) {
      expect(body).toContain(`# HELP ${name} `);
      expect(body).toContain(`# TYPE ${name} `);
    }
    // No student ids anywhere.
    expect(body).not.toMatch(/s-\d/);
    await stream.cancel();
  });

  test('a stale heartbeat is unhealthy whatever meta.health says; the event counter survives a reset', async () => {
    api = makeApi();
    api.db.sqlite.run(`INSERT INTO vex_log (source_event_id, student_id, type, ts, data, ingested_at) VALUES ('1', 's-1', 'x', 0, '{}', 0)`);
    api.db.sqlite.query(`UPDATE meta SET health = 'healthy', heartbeat_at = ? WHERE id = 1`).run(api.clock.now - 31_000);
    await api.post('/api/reset', { confirm: 'RESET' });
    const { s } = await scrape(api);
    expect(s.get('lmdash_daemon_healthy')).toBe(0);
    expect(s.get('lmdash_daemon_heartbeat_stale')).toBe(1);
    expect(s.get('lmdash_events_ingested_total')).toBe(1);
  });

  test('producer-chosen types are capped at 32 label values', async () => {
    api = makeApi();
    for (let i = 0; i < 40; i++) await api.request('/publish', { method: 'POST', body: JSON.stringify({ type: `t${i}` }) });
    const { s } = await scrape(api);
    const labels = [...s.keys()].filter((k) => k.startsWith('lmdash_published_events_total'));
    expect(labels).toHaveLength(33);
    expect(s.get('lmdash_published_events_total{type="other"}')).toBe(8);
  });

  test.skipIf(!promtool)('parses as Prometheus text (promtool check metrics)', async () => {
    api = makeApi();
    api.db.sqlite.query(`UPDATE meta SET tick_count = 3, last_tick_ms = 12.5, caught_up_at = ?, health = 'unhealthy', last_error = 'HTTP 500' WHERE id = 1`).run(api.clock.now);
    await api.request('/publish', { method: 'POST', body: JSON.stringify({ type: 'metric', name: 'x', value: 1 }) });
    const { body } = await scrape(api);
    const r = Bun.spawnSync([promtool!, 'check', 'metrics'], { stdin: new TextEncoder().encode(body) });
    expect({ code: r.exitCode, out: r.stdout.toString() + r.stderr.toString() }).toEqual({ code: 0, out: '' });
  });

  test.skipIf(!promtool)('promtool rejects a broken exposition (the check has teeth)', () => {
    const r = Bun.spawnSync([promtool!, 'check', 'metrics'], { stdin: new TextEncoder().encode('# TYPE x gauge\nx{a="1} 1\n') });
    expect(r.exitCode).not.toBe(0);
  });
});
