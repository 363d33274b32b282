/**
 * The stream on PostgreSQL in this process: `createApiApp({ db: 'postgres://…' })` wakes on the
 * version notices (deltas within milliseconds, not the 50 ms poll), and when the listening
 * session is terminated from outside it polls, reconnects, and every stream still gets every
 * version: the deltas chain without a gap from the snapshot to the last write.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createScratchPostgres, loadConfig, openStorage, postgresTestsOff, type ScratchPostgres, type Storage } from '@lmdash/core';
import { DeltaEvent, Health, SnapshotEvent } from '@lmdash/core/wire';
import { SQL } from 'bun';
import { createApiApp, type ApiApp } from '../app.ts';
import { json, until } from '../../test/helpers.ts';
import { addRun, seedRoster } from '../../test/portWrites.ts';
import { FrameReader } from '../../test/unit.ts';
import { NOTICES_APPLICATION_NAME } from './notices.ts';

let pg: ScratchPostgres;
let daemon: { storage: Storage; close: () => void };
let api: ApiApp;

beforeAll(() => {
  if (postgresTestsOff()) return;
  pg = createScratchPostgres();
  daemon = openStorage(pg.url);
  seedRoster(daemon.storage, 4);
  api = createApiApp({ db: pg.url, config: loadConfig({ env: {} }), webRoot: null, log: () => {} });
}, 60_000);

afterAll(async () => {
  api?.close();
  await api?.deps.watcher.notices.stop();
  daemon?.close();
  pg?.drop();
});

const request = (path: string, init?: RequestInit) => Promise.resolve(api.app.request(path, init, { requestIP: () => ({ address: '127.0.0.1', family: 'IPv4', port: 40000 }) }));
const health = async () => Health.parse(await (await request('/api/health')).json());
/** Ends the listening session from outside, as an operator or a failover would; how many. */
async function terminateListener(): Promise<number> {
  const sql = new SQL(pg.url, { max: 1 });
  try {
    const [r] = await sql`SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = ${NOTICES_APPLICATION_NAME}`;
    return r.n as number;
  } finally {
    await sql.close();
  }
}

describe.skipIf(postgresTestsOff())('the stream on PostgreSQL, woken by notices', () => {
  test('deltas follow commits within milliseconds; a dropped listener polls and reconnects; no version is missed', async () => {
    await until(() => api.deps.watcher.notices.state() === 'listening', 10_000, 'listening');
    expect((await health()).versionNotices).toBe('listening');
    const r = new FrameReader(await request('/api/stream'));
    const snap = SnapshotEvent.parse(json(await r.until((f) => f.event === 'snapshot', 10_000)));
    expect(snap.students.map((s) => s.studentId)).toEqual(['s-1', 's-2', 's-3', 's-4']);

    const runs = new Map<string, number>();
    const write = (id: string) => {
      const n = (runs.get(id) ?? 0) + 1;
      runs.set(id, n);
      return addRun(daemon.storage, id, n).version;
    };
    const waitDelta = (version: number) => r.until((f) => f.event === 'delta' && f.id === `0:${version}`, 10_000);

    // Listening: each commit reaches the stream well within one poll period.
    const lags: number[] = [];
    for (let i = 0; i < 20; i++) {
      const v = write(`s-${(i % 4) + 1}`);
      const t = performance.now(); // committed
      await waitDelta(v);
      lags.push(performance.now() - t);
    }
    lags.sort((a, b) => a - b);
    console.log(`commit → delta on the stream (in process): p50 ${lags[10]!.toFixed(1)} ms, max ${lags.at(-1)!.toFixed(1)} ms`);
    expect(lags[10]!).toBeLessThan(40);

    // The listener is terminated: polling, and every version still arrives.
    expect(await terminateListener()).toBe(1);
    await until(() => api.deps.watcher.notices.state() === 'polling', 5_000, 'polling');
    expect((await health()).versionNotices).toBe('polling');
    for (let i = 0; i < 5; i++) await waitDelta(write('s-2'));
    await until(() => api.deps.watcher.notices.state() === 'listening', 15_000, 'listening again');
    for (let i = 0; i < 5; i++) await waitDelta(write('s-3'));
    const last = daemon.storage.status.version().version;

    // The chain: from the snapshot's version to the last write, each delta starting where the previous ended.
    const deltas = r.frames.filter((f) => f.event === 'delta').map((f) => DeltaEvent.parse(json(f)));
    let at = snap.version;
    for (const d of deltas) {
      expect(d.fromVersion).toBe(at);
      expect(d.version).toBeGreaterThan(at);
      at = d.version;
    }
    expect(at).toBe(last);
    // Every run written reached the stream.
    const got = new Set(deltas.flatMap((d) => d.runs.map((x) => `${x.studentId}/${x.runIndex}`)));
    for (const [id, n] of runs) for (let i = 0; i < n; i++) expect(got.has(`${id}/${i}`)).toBe(true);

    const metrics = await (await request('/metrics')).text();
    expect(metrics).toContain('lmdash_api_version_notices{state="listening"} 1');
    expect(metrics).toContain('lmdash_api_version_notices{state="polling"} 0');
    expect(Number(/^lmdash_api_version_notice_drops_total (\d+)$/m.exec(metrics)![1])).toBeGreaterThanOrEqual(1);
    expect(Number(/^lmdash_api_version_notices_total (\d+)$/m.exec(metrics)![1])).toBeGreaterThanOrEqual(25);
    await r.cancel();
  }, 60_000);
});
