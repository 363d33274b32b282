/**
 * SLOW (about 70 s, on purpose; the only test of its kind): a stream left quiet for more than a
 * minute stays open. Bun's default idle timeout would cut it at 10 s; `lmdash api` serves with
 * `idleTimeout: 0` and pings every PING_MS. After the quiet minute, a write of another process
 * still arrives on the same connection.
 */
import { afterAll, expect, test } from 'bun:test';
import { PING_MS } from '../src/stream/hub.ts';
import { seedClass, tempDb } from './daemonWrites.ts';
import { SseClient, spawnApi, spawnWriter } from './helpers.ts';

const QUIET_MS = 65_000;
const db = tempDb();
seedClass(db.sqlite);
afterAll(() => db.cleanup());

test('SLOW: the stream survives a quiet minute (pings only), then still delivers a delta', async () => {
  const api = await spawnApi(['--db', db.path, '--port', '0']);
  const writer = await spawnWriter(db.path);
  const stream = new SseClient(`${api.url}/api/stream`);
  try {
    await stream.next((f) => f.event === 'snapshot', 30_000);
    const before = stream.frames.length;
    await Bun.sleep(QUIET_MS);
    const quiet = stream.frames.slice(before);
    // Nothing but pings (and the periodic health frame) while quiet.
    expect(quiet.filter((f) => f.event !== undefined && f.event !== 'health')).toEqual([]);
    expect(quiet.filter((f) => f.comment === 'ping').length).toBeGreaterThanOrEqual(Math.floor(QUIET_MS / PING_MS) - 2);
    const w = await writer.write({ op: 'bump' });
    await stream.next((f) => f.event === 'delta' && f.id === `0:${w.version}`, 15_000, before);
  } finally {
    stream.close();
    await writer.stop();
    expect(await api.stop()).toBe(0);
  }
}, 120_000);
