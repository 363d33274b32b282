import { expect, test } from 'bun:test';
import { healthRow } from '../../test/rows.ts';
import { daemonIndicator, lastUpdate, modelLabel, stateCounts, streamIndicator } from './health.ts';

test('daemon health: stale heartbeat wins over the reported state', () => {
  expect(daemonIndicator(healthRow()).label).toBe('daemon healthy');
  expect(daemonIndicator(healthRow({ daemon: 'unhealthy', lastError: 'HTTP 503' }))).toMatchObject({ label: 'daemon unhealthy', tone: 'bad', detail: 'Last error: HTTP 503' });
  expect(daemonIndicator(healthRow({ heartbeatStale: true })).label).toBe('heartbeat stale');
  expect(daemonIndicator(null).tone).toBe('quiet');
});

test('stream status words', () => {
  expect(streamIndicator('live').label).toBe('live');
  expect(streamIndicator('reconnecting').tone).toBe('warn');
  expect(streamIndicator('offline').tone).toBe('bad');
});

test('last update: newest of the last frame and the heartbeat, on the browser clock', () => {
  const h = healthRow({ now: 10_000, heartbeatAt: 9_000 });
  // The API clock is 5 s ahead: its heartbeat at 9 000 is 4 000 here.
  expect(lastUpdate(3_000, h, 5_000)).toBe(4_000);
  expect(lastUpdate(4_500, h, 5_000)).toBe(4_500);
  expect(lastUpdate(null, null, null)).toBeNull();
  expect(lastUpdate(1_000, healthRow({ heartbeatStale: true }), 5_000)).toBe(1_000);
});

test('state counts', () => {
  expect(stateCounts([{ state: 0 }, { state: 2 }, { state: 2 }, { state: null }])).toEqual({ iterator: 1, explorer: 0, stuck: 2, none: 1 });
});

test('model: the name from meta.model_hash, the hash and any bounds in the detail', () => {
  expect(modelLabel(healthRow({ modelHash: 'default@fed913d9' }))).toEqual({ label: 'default model', detail: expect.stringContaining('default, hash fed913d9') });
  expect(modelLabel(healthRow({ modelHash: 'period-3@0a1b2c3d limits:bytes=1048576,nodes=40,depth=256' }))).toEqual({
    label: 'model: period-3',
    detail: expect.stringContaining('period-3, hash 0a1b2c3d; limits:bytes=1048576,nodes=40,depth=256'),
  });
  expect(modelLabel(healthRow({ modelHash: '4ce6c811' }))?.label).toBe('model 4ce6c811');
  expect(modelLabel(healthRow({ modelHash: null }))).toBeNull();
  expect(modelLabel(null)).toBeNull();
});
