import { expect, test } from 'bun:test';
import { openStream, reopenDelay, type StreamStatus } from './connection.ts';

/** A stand-in for the browser's EventSource, driven by the test. */
class FakeSource {
  static all: FakeSource[] = [];
  readyState = 0;
  onopen: (() => void) | null = null;
  onerror: (() => void) | null = null;
  listeners = new Map<string, (e: { data: string; lastEventId: string }) => void>();
  closed = false;
  constructor(readonly url: string) {
    FakeSource.all.push(this);
  }
  addEventListener(name: string, fn: (e: { data: string; lastEventId: string }) => void) {
    this.listeners.set(name, fn);
  }
  close() {
    this.closed = true;
    this.readyState = 2;
  }
  emit(name: string, data: string, id = '') {
    this.listeners.get(name)?.({ data, lastEventId: id });
  }
}

function setup(resumeId: string | null = null) {
  FakeSource.all = [];
  const statuses: StreamStatus[] = [];
  const frames: [string, unknown, string][] = [];
  const handle = openStream({
    url: '/api/stream',
    onFrame: (name, data, id) => frames.push([name, data, id]),
    onStatus: (s) => statuses.push(s),
    offlineAfterMs: 30,
    resumeId: () => resumeId,
    create: (url) => new FakeSource(url) as unknown as EventSource,
  });
  return { handle, statuses, frames };
}

test('frames are parsed and passed on with their ids; bad JSON is skipped', () => {
  const { handle, frames, statuses } = setup();
  const es = FakeSource.all[0]!;
  es.onopen!();
  es.emit('delta', '{"version":3}', '1:3');
  es.emit('delta', 'not json');
  expect(frames).toEqual([['delta', { version: 3 }, '1:3']]);
  expect(statuses).toEqual(['live']);
  handle.close();
});

test('reconnecting while the browser retries, offline after a while, live again on open', async () => {
  const { handle, statuses } = setup();
  const es = FakeSource.all[0]!;
  es.onopen!();
  es.readyState = 0; // CONNECTING: the browser retries by itself
  es.onerror!();
  expect(statuses.at(-1)).toBe('reconnecting');
  await Bun.sleep(60);
  expect(statuses.at(-1)).toBe('offline');
  es.readyState = 1;
  es.onopen!();
  expect(statuses.at(-1)).toBe('live');
  expect(FakeSource.all.length).toBe(1);
  handle.close();
});

test('when the browser gives up, a new EventSource is opened after a backoff, resuming from what we hold', async () => {
  const { handle } = setup('3:41');
  const es = FakeSource.all[0]!;
  expect(es.url).toBe('/api/stream');
  es.readyState = 2;
  es.onerror!();
  expect(es.closed).toBe(true);
  await Bun.sleep(reopenDelay(0) + 100);
  expect(FakeSource.all.length).toBe(2);
  expect(FakeSource.all[1]!.url).toBe('/api/stream?lastEventId=3%3A41');
  handle.close();
});

test('resync replaces the connection with a fresh one (a snapshot); close stops everything', () => {
  const { handle } = setup('3:41');
  handle.resync();
  expect(FakeSource.all.length).toBe(2);
  expect(FakeSource.all[1]!.url).toBe('/api/stream');
  expect(FakeSource.all[0]!.closed).toBe(true);
  handle.close();
  expect(FakeSource.all[1]!.closed).toBe(true);
});

test('reopen backoff doubles up to 15 s', () => {
  expect([0, 1, 2, 3, 4, 5].map(reopenDelay)).toEqual([1000, 2000, 4000, 8000, 15000, 15000]);
});
