/**
 * The whole read path with the real processes: the simulator replaying the small classroom
 * (fast), `lmdash daemon` mirroring and analysing it, `lmdash api` serving it. A dashboard that
 * applies the snapshot and then every delta ends with exactly what a fresh read of the API
 * says: the delta protocol loses nothing.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { DeltaEvent, SnapshotEvent, type RunRow, type StudentCard, type TriggerRow } from '@lmdash/core/wire';
import type { Subprocess } from 'bun';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSim } from '../../../test/spawnSim.ts';
import { REPO_ROOT, SseClient, json, spawnApi, until, type ApiProcess } from './helpers.ts';

const EVENTS = 266;
let dir: string;
let sim: { url: string; stop: () => void };
let daemon: Subprocess;
let api: ApiProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lmdash-api-e2e-'));
  const db = join(dir, 'lmdash.sqlite');
  // The API first, on an empty file: everything then reaches it as deltas.
  api = await spawnApi(['--db', db, '--port', '0']);
  sim = await spawnSim(['--log', 'fixtures/logs/small.jsonl', '--speed', '240', '--quiet']);
  daemon = Bun.spawn(['bun', 'scripts/lmdash.ts', 'daemon', '--db', db, '--source', sim.url, '--track-all'], { cwd: REPO_ROOT, stdout: 'ignore', stderr: 'inherit', env: { ...process.env, PIPELINE_IDLE_MAX: '0.5' } });
}, 60_000);

afterAll(async () => {
  daemon?.kill('SIGTERM');
  await daemon?.exited;
  sim?.stop();
  await api?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A dashboard's state: the snapshot, then each delta applied. */
class Model {
  cards = new Map<string, StudentCard>();
  triggers = new Map<number, TriggerRow>();
  runs = new Map<string, RunRow>();
  version = -1;
  applied = 0;
  apply(event: string, data: unknown): void {
    if (event === 'snapshot') {
      const s = SnapshotEvent.parse(data);
      this.cards = new Map(s.students.map((c) => [c.studentId, c]));
      this.triggers = new Map(s.triggers.map((t) => [t.id, t]));
      this.runs.clear();
      this.version = s.version;
    } else if (event === 'delta') {
      const d = DeltaEvent.parse(data);
      expect(d.fromVersion).toBeLessThanOrEqual(this.version);
      for (const c of d.students) this.cards.set(c.studentId, c);
      for (const id of d.removed) this.cards.delete(id);
      for (const t of d.triggers) this.triggers.set(t.id, t);
      for (const r of d.runs) this.runs.set(`${r.studentId}/${r.runIndex}`, r);
      this.version = d.version;
    }
    this.applied++;
  }
}

describe('simulator → daemon → API → dashboard, all as processes', () => {
  test('snapshot + deltas reproduce the API’s own view once the daemon has caught up', async () => {
    const stream = new SseClient(`${api.url}/api/stream`);
    const model = new Model();
    let seen = 0;
    const pump = () => {
      for (; seen < stream.frames.length; seen++) {
        const f = stream.frames[seen]!;
        if (f.event === 'snapshot' || f.event === 'delta') model.apply(f.event, json(f));
      }
    };
    const metric = async (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(await (await fetch(`${api.url}/metrics`)).text())?.[1] ?? NaN);
    await until(async () => (await metric('lmdash_events_ingested_total')) >= EVENTS, 150_000, 'the daemon to mirror every event');
    // Quiet: the version stops moving for a few polls of the daemon.
    let last = -1;
    await until(
      async () => {
        const v = ((await (await fetch(`${api.url}/api/health`)).json()) as { version: number }).version;
        const settled = v === last && v > 0;
        last = v;
        return settled ? true : (await Bun.sleep(1500), false);
      },
      60_000,
      'the projection to settle',
    );
    await until(() => (pump(), model.version === last), 15_000, `the stream to reach version ${last}`);
    expect(model.applied).toBeGreaterThan(2);

    const cards = (await (await fetch(`${api.url}/api/students`)).json()) as StudentCard[];
    expect(cards).toHaveLength(10);
    expect(cards.reduce((n, c) => n + c.runCount, 0)).toBe(111);
    expect([...model.cards.values()].sort((a, b) => a.studentId.localeCompare(b.studentId))).toEqual(cards);

    const all = (await (await fetch(`${api.url}/api/triggers?limit=5000`)).json()) as TriggerRow[];
    for (const t of all) if (t.status !== 'resolved' || model.triggers.has(t.id)) expect(model.triggers.get(t.id)).toEqual(t);

    // Every run reached the dashboard through a delta, as the drill-down reads it.
    for (const c of cards) {
      const detail = (await (await fetch(`${api.url}/api/students/${c.studentId}`)).json()) as { runs: RunRow[] };
      expect(detail.runs.map((r) => model.runs.get(`${r.studentId}/${r.runIndex}`))).toEqual(detail.runs);
    }
    stream.close();
  }, 240_000);
});
