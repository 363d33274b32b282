/**
 * Two `lmdash api` processes on one PostgreSQL database (a scratch one), with this test process
 * writing as the daemon does, through the storage port:
 *
 * - either process serves any browser, woken by the version notices (`/api/health` and
 *   `/metrics` say `listening`);
 * - a stream on A, A killed with SIGKILL, the tab resumes on B with its `Last-Event-ID`: only the
 *   delta since then (no snapshot), the stored published events again, then live deltas — and
 *   across both processes every version arrives once, in order, without a gap;
 * - tiny writes (ack, track, untrack, reset) taken by both at once: every one answered 200 (a
 *   busy store is a 503, never a 500), each bumping the version once, no two the same version, the
 *   last ack note of each alert the one of its highest version (no lost update), and a stream on
 *   each process following all of it;
 * - producer events published to either process reach the streams of both, live, each once, in
 *   seq order;
 * - a write that waits on a lock held past `lock_timeout` is a 503 that says to try again.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { createScratchPostgres, openStorage, postgresTestsOff, type ScratchPostgres, type Storage } from '@lmdash/core';
import { DeltaEvent, Health, PublishedEvent, SnapshotEvent, TriggerRow } from '@lmdash/core/wire';
import { SQL } from 'bun';
import { SseClient, json, spawnApi, until, type ApiProcess, type Frame } from './helpers.ts';
import { addRun, openAlert, seedRoster } from './portWrites.ts';

const { LMDASH_API_TOKEN: _t, LMDASH_API_HOST: _h, LMDASH_API_PORT: _p, LMDASH_DATABASE_URL: _d, ...cleanEnv } = process.env;

let pg: ScratchPostgres;
let daemon: { storage: Storage; close: () => void };
const procs: ApiProcess[] = [];
const runs = new Map<string, number>();

const spawn = async () => {
  const p = await spawnApi(['--db', pg.url, '--port', '0'], cleanEnv as Record<string, string>);
  procs.push(p);
  return p;
};
/** A new run for a student, as a daemon tick writes it. */
const write = (id: string) => {
  const n = (runs.get(id) ?? 0) + 1;
  runs.set(id, n);
  return addRun(daemon.storage, id, n).version;
};
const post = (base: string, path: string, body: unknown) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const deltas = (c: SseClient) => c.events('delta').map((f) => DeltaEvent.parse(json(f)));
const listening = async (p: ApiProcess) => Health.parse(await (await fetch(`${p.url}/api/health`)).json()).versionNotices === 'listening';

/** Every delta continues from where the previous one ended, from `from` to `to`. */
function expectChain(ds: DeltaEvent[], from: number, to: number): void {
  let at = from;
  for (const d of ds) {
    expect({ fromVersion: d.fromVersion, after: at }).toEqual({ fromVersion: at, after: at });
    expect(d.version).toBeGreaterThan(at);
    at = d.version;
  }
  expect(at).toBe(to);
}

beforeAll(() => {
  if (postgresTestsOff()) return;
  pg = createScratchPostgres();
  daemon = openStorage(pg.url);
  seedRoster(daemon.storage, 6);
}, 60_000);

afterAll(async () => {
  for (const p of procs) await p.stop('SIGKILL');
  daemon?.close();
  pg?.drop();
});

describe.skipIf(postgresTestsOff())('two API processes on one PostgreSQL database', () => {
  test('a stream on A, A killed -9, resumed on B with Last-Event-ID: no version missed or doubled, the stored published events again', async () => {
    const [a, b] = await Promise.all([spawn(), spawn()]);
    await until(async () => (await listening(a)) && (await listening(b)), 15_000, 'both listening');
    const metrics = await (await fetch(`${b.url}/metrics`)).text();
    expect(metrics).toContain('lmdash_api_version_notices{state="listening"} 1');

    const onA = new SseClient(`${a.url}/api/stream`);
    const snapFrame = await onA.next((f) => f.event === 'snapshot');
    const snap = SnapshotEvent.parse(json(snapFrame));
    expect(snap.students.map((s) => s.studentId)).toEqual(['s-1', 's-2', 's-3', 's-4', 's-5', 's-6']);

    // Producers publish through A; the daemon writes; a researcher acks on B.
    const published = [
      { type: 'metric', name: 'accuracy', value: 0.83 },
      { type: 'metric', name: 'loss', value: 0.4 },
      { type: 'note', text: 'model v2 deployed', level: 'info' },
    ];
    for (const event of published) expect((await post(a.url, '/publish', event)).status).toBe(200);
    for (let i = 0; i < 5; i++) write(`s-${(i % 3) + 1}`);
    const alert = openAlert(daemon.storage, 's-4');
    const acked = TriggerRow.parse(await (await post(b.url, `/api/triggers/${alert}/ack`, { note: 'seen on B' })).json());
    await onA.next((f) => f.event === 'delta' && f.id === `0:${acked.version}`);
    await until(() => onA.events('publish').length === 3, 10_000, 'the three publish frames on A');
    const lastOnA = onA.events('delta').at(-1)!;

    // A dies without a word; the browser's stream breaks. Meanwhile the class goes on.
    expect(await a.stop('SIGKILL')).not.toBe(0);
    await onA.closed();
    for (let i = 0; i < 4; i++) write('s-5');
    const tracked = (await (await post(b.url, '/api/untrack', { studentIds: ['s-6'] })).json()) as { version: number };
    const whileDown = daemon.storage.status.version().version;
    expect(tracked.version).toBe(whileDown);

    // The EventSource reconnects (to B, behind the same address) with its Last-Event-ID.
    const onB = new SseClient(`${b.url}/api/stream`, { 'Last-Event-ID': lastOnA.id! });
    const first = await onB.next((f) => f.event === 'delta' || f.event === 'snapshot');
    expect(first.event).toBe('delta');
    expect(first.id).toBe(`0:${whileDown}`);
    const catchUp = DeltaEvent.parse(json(first));
    expect(catchUp.fromVersion).toBe(Number(lastOnA.id!.split(':')[1]));
    expect(catchUp.students.map((s) => s.studentId)).toEqual(['s-5']);
    expect(catchUp.runs.map((r) => `${r.studentId}/${r.runIndex}`)).toEqual(['s-5/0', 's-5/1', 's-5/2', 's-5/3']);
    expect(catchUp.removed).toEqual(['s-6']);
    await onB.next((f) => f.event === 'health');
    // The stored published events again (they carry no version; the page dedupes by seq).
    await until(() => onB.events('publish').length === 3, 10_000, 'the stored events replayed on B');
    const replayed = (c: SseClient) => c.events('publish').map((f) => PublishedEvent.parse(json(f)));
    expect(replayed(onB).map((p) => p.seq)).toEqual(replayed(onA).map((p) => p.seq));
    expect(replayed(onB).map((p) => p.seq)).toEqual(daemon.storage.published.seqs());
    expect(replayed(onB).map((p) => p.event)).toEqual(published);

    // Then live, on B.
    let last = 0;
    for (let i = 0; i < 5; i++) last = write('s-1');
    await onB.next((f) => f.event === 'delta' && f.id === `0:${last}`);
    expect(onB.events('snapshot')).toEqual([]);

    // Across both processes: every version once, in order, no gap; every run written arrived.
    const all = [...deltas(onA), ...deltas(onB)];
    expectChain(all, snap.version, last);
    const ids = [...onA.events('delta'), ...onB.events('delta')].map((f: Frame) => f.id!);
    expect(new Set(ids).size).toBe(ids.length);
    const got = new Set(all.flatMap((d) => d.runs.map((r) => `${r.studentId}/${r.runIndex}`)));
    for (const [id, n] of runs) for (let i = 0; i < n; i++) expect(got.has(`${id}/${i}`)).toBe(true);
    onB.close();
    await b.stop();
  }, 120_000);

  test('tiny writes taken by both processes at once: all answered, one version each, no lost update, both streams follow', async () => {
    const [a, b] = await Promise.all([spawn(), spawn()]);
    await until(async () => (await listening(a)) && (await listening(b)), 15_000, 'both listening');
    const alerts = Array.from({ length: 4 }, (_, i) => openAlert(daemon.storage, `s-${i + 1}`, 'wheelspin'));
    // Each tracker starts from its student tracked, so every request changes something.
    daemon.storage.actions.track(['s-5', 's-6'], Date.now());
    const streams = [new SseClient(`${a.url}/api/stream`), new SseClient(`${b.url}/api/stream`)];
    const from = streams.map((s) => s.next((f) => f.event === 'snapshot'));
    const start = (await Promise.all(from)).map((f) => SnapshotEvent.parse(json(f)).version);

    type Done = { proc: string; what: string; status: number; version?: number; alert?: number; note?: string };
    const done: Done[] = [];
    const ROUNDS = 40;
    // Two workers per process: acks with their own notes on shared alerts, and track/untrack of their own student.
    const acker = async (p: ApiProcess, name: string) => {
      for (let i = 0; i < ROUNDS; i++) {
        const alert = alerts[i % alerts.length]!;
        const note = `${name}-${i}`;
        const res = await post(p.url, `/api/triggers/${alert}/ack`, { note });
        const body = (await res.json()) as { version?: number };
        done.push({ proc: name, what: 'ack', status: res.status, version: body.version, alert, note });
      }
    };
    const tracker = async (p: ApiProcess, name: string, student: string) => {
      for (let i = 0; i < ROUNDS; i++) {
        const path = i % 2 === 0 ? '/api/untrack' : '/api/track';
        const res = await post(p.url, path, { studentIds: [student] });
        const body = (await res.json()) as { version?: number };
        done.push({ proc: name, what: path, status: res.status, version: body.version });
      }
    };
    const before = daemon.storage.status.version().version;
    await Promise.all([acker(a, 'A1'), acker(a, 'A2'), acker(b, 'B1'), acker(b, 'B2'), tracker(a, 'A', 's-5'), tracker(b, 'B', 's-6')]);
    const after = daemon.storage.status.version().version;

    expect([...new Set(done.map((d) => d.status))]).toEqual([200]);
    expect(done.length).toBe(6 * ROUNDS);
    // Each write bumped once, each to a version of its own: the writes were serialised.
    const versions = done.map((d) => d.version!).sort((x, y) => x - y);
    expect(new Set(versions).size).toBe(done.length);
    expect(versions[0]).toBe(before + 1);
    expect(versions.at(-1)).toBe(after);
    expect(after - before).toBe(done.length);
    // No lost update: each alert's note is the one written at its highest version.
    const rows = ((await (await fetch(`${b.url}/api/triggers?status=acked`)).json()) as unknown[]).map((r) => TriggerRow.parse(r));
    for (const id of alerts) {
      const mine = done.filter((d) => d.alert === id).sort((x, y) => x.version! - y.version!);
      const stored = rows.find((r) => r.id === id)!;
      expect({ id, note: stored.ackNote, version: stored.version }).toEqual({ id, note: mine.at(-1)!.note!, version: mine.at(-1)!.version! });
    }
    // Both streams follow every version to the end, without a gap.
    for (const [i, s] of streams.entries()) {
      await s.next((f) => f.event === 'delta' && f.id === `0:${after}`, 15_000);
      expectChain(deltas(s), start[i]!, after);
      s.close();
    }

    // Two resets at once: both taken, one epoch each.
    const resets = await Promise.all([post(a.url, '/api/reset', { confirm: 'RESET' }), post(b.url, '/api/reset', { confirm: 'RESET' })]);
    expect(resets.map((r) => r.status)).toEqual([200, 200]);
    const epochs = (await Promise.all(resets.map((r) => r.json() as Promise<{ epoch: number; version: number }>))).map((r) => r.epoch).sort();
    expect(epochs[1]).toBe(epochs[0]! + 1);
    expect(daemon.storage.status.version().epoch).toBe(epochs[1]!);
    await Promise.all([a.stop(), b.stop()]);
  }, 180_000);

  test('producer events published to either process reach the streams of both, live: each once, in seq order', async () => {
    const [a, b] = await Promise.all([spawn(), spawn()]);
    await until(async () => (await listening(a)) && (await listening(b)), 15_000, 'both listening');
    const streams = [new SseClient(`${a.url}/api/stream`), new SseClient(`${a.url}/api/stream`), new SseClient(`${b.url}/api/stream`), new SseClient(`${b.url}/api/stream`)];
    for (const s of streams) await s.next((f) => f.event === 'snapshot');
    // What is stored already was replayed to each on connect; count from here.
    await Bun.sleep(200);
    const before = streams.map((s) => s.events('publish').length);
    const N = 30;
    const sent: number[] = [];
    // Both processes take producer events at once (series points: all kept).
    await Promise.all(
      [a, b].map(async (p, k) => {
        for (let i = 0; i < N; i++) {
          const res = await post(p.url, '/publish', { type: 'series', name: `loss-${k}`, t: i, value: i / N });
          expect(res.status).toBe(200);
          expect(((await res.json()) as { delivered: number }).delivered).toBe(2);
        }
      }),
    );
    const stored = daemon.storage.published.seqs();
    sent.push(...stored.slice(-2 * N));
    for (const s of streams) {
      await until(() => s.events('publish').length >= before[streams.indexOf(s)]! + 2 * N, 10_000, 'every published event on every stream');
      await Bun.sleep(300);
      const got = s.events('publish').slice(before[streams.indexOf(s)]).map((f) => PublishedEvent.parse(json(f)).seq);
      expect(got).toEqual(sent);
    }
    // Events on A reach B's streams at A's announcement, not at B's next safety poll (1 s).
    const lags: number[] = [];
    for (let i = 0; i < 8; i++) {
      const n = streams[2]!.events('publish').length;
      const t = performance.now();
      expect((await post(a.url, '/publish', { type: 'metric', name: 'one-more', value: i })).status).toBe(200);
      await until(() => streams[2]!.events('publish').length > n, 5_000, 'the event on B');
      lags.push(performance.now() - t);
    }
    expect(lags.sort((x, y) => x - y)[6]!).toBeLessThan(200);
    for (const s of streams) s.close();
    await Promise.all([a.stop(), b.stop()]);
  }, 120_000);

  test('a write held up past lock_timeout by another writer is a 503 (try again), never a 500', async () => {
    const a = await spawn();
    seedRoster(daemon.storage, 2);
    const sql = new SQL(pg.url, { max: 1 });
    try {
      let res: Response | undefined;
      await sql.begin(async (tx) => {
        // Another writer holds the meta row, as a long write transaction would.
        await tx`SELECT version FROM meta WHERE id = 1 FOR UPDATE`;
        res = await post(a.url, '/api/untrack', { studentIds: ['s-1'] });
      });
      expect(res!.status).toBe(503);
      expect(await res!.json()).toEqual({ error: 'the database is busy: try again' });
      // Once it is released, the same write goes through.
      expect((await post(a.url, '/api/untrack', { studentIds: ['s-1'] })).status).toBe(200);
    } finally {
      await sql.close();
      await a.stop();
    }
    // Logged as busy, not as a failure with a stack.
    expect(await a.err()).toContain('database busy');
    expect(await a.err()).not.toContain('failed:');
  }, 60_000);
});
