import { startSim } from '@lmdash/fixtures';
import type { FaultOptions, SimServer } from '@lmdash/fixtures';
import { afterAll, describe, expect, test } from 'bun:test';
import { SourceClient } from './client.ts';
import { SourceError } from './errors.ts';
import { SMALL_LOG, collect, fakeSleep, idsOf, tally } from '../../test/sourceHelpers.ts';

describe('over a real socket', () => {
  const servers: SimServer[] = [];
  const serve = (seed: number, faults: FaultOptions) => {
    const server = startSim({ events: SMALL_LOG, allVisible: true, port: 0, summaryMs: 0, seed, faults });
    servers.push(server);
    return server;
  };
  const client = (server: SimServer) => {
    const lines: string[] = [];
    const { sleep, delays } = fakeSleep();
    const c = new SourceClient({ baseUrl: server.url, user: 'demo', password: 'demo', pageSize: 25, requestTimeoutMs: 150, sleep, log: (l) => lines.push(l) });
    return { client: c, lines, delays };
  };
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  test('hung requests time out and dropped connections fail; both are retried, nothing is lost', async () => {
    const server = serve(2, { timeout: 0.2, drop: 0.2 });
    const { client: c, lines, delays } = client(server);
    const pages = await collect(c.eventsSince(new Date(0)));
    expect(tally(pages).ids).toEqual(idsOf(SMALL_LOG));
    const { timeout = 0, drop = 0 } = server.sim.log.totals.faults;
    expect(timeout).toBeGreaterThan(0);
    expect(lines.filter((l) => l.startsWith('source: timeout: '))).toHaveLength(timeout);
    // Bun's fetch silently retries a GET whose reused keep-alive connection is reset, so the
    // client sees at most as many drops as the simulator made.
    const network = lines.filter((l) => l.startsWith('source: network: ')).length;
    expect(network).toBeLessThanOrEqual(drop);
    expect(delays).toHaveLength(timeout + network);
  });

  test('a connection dropped every time surfaces as a network SourceError', async () => {
    const server = serve(1, { drop: 1 });
    const error = await client(server).client.eventsPage({ dateFrom: new Date(0) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SourceError);
    expect((error as SourceError).kind).toBe('network');
  });
});
