import { describe, expect, test } from 'bun:test';
import { MAX_QUEUED_BYTES, eventId, frame, openSse, parseEventId, retryLine } from './sse.ts';
import { Hub } from './hub.ts';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('frames', () => {
  test('event, id, one data line of JSON, a blank line', () => {
    expect(text(frame('delta', { a: 'line\nbreak' }, eventId(2, 17)))).toBe('event: delta\nid: 2:17\ndata: {"a":"line\\nbreak"}\n\n');
    expect(text(frame('publish', { seq: 1 }))).toBe('event: publish\ndata: {"seq":1}\n\n');
    expect(text(retryLine(2000))).toBe('retry: 2000\n\n');
  });

  test('Last-Event-ID parses only as <epoch>:<version>', () => {
    expect(parseEventId('3:140')).toEqual({ epoch: 3, version: 140 });
    expect(parseEventId(' 0:0 ')).toEqual({ epoch: 0, version: 0 });
    for (const bad of [undefined, null, '', '3', '3:', ':4', '-1:2', '1:2:3', 'a:b', '1.5:2']) expect(parseEventId(bad)).toBeNull();
  });
});

describe('clients', () => {
  test('a client that stops reading is dropped once too far behind, and leaves the hub', () => {
    const hub = new Hub(60_000);
    const { client } = openSse((c) => hub.remove(c));
    hub.add(client);
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    while (hub.broadcast(chunk) === 1) sent++;
    expect(sent).toBeGreaterThanOrEqual(MAX_QUEUED_BYTES / chunk.length - 1);
    expect(client.closed).toBe(true);
    expect(hub.size).toBe(0);
  });

  test('the body carries what was sent; close ends it', async () => {
    const { response, client } = openSse(() => {});
    client.send(frame('reset', { epoch: 1 }));
    client.close();
    expect(client.send(frame('reset', { epoch: 2 }))).toBe(false);
    expect(await response.text()).toBe('event: reset\ndata: {"epoch":1}\n\n');
    expect(response.headers.get('cache-control')).toContain('no-cache');
  });
  test('write waits for the reader: a replay never queues more than one frame past the high-water mark', async () => {
    const { response, client } = openSse(() => {});
    const big = new Uint8Array(200 * 1024).fill(0x61);
    let resolved = false;
    const first = client.write(big).then((ok) => ((resolved = true), ok));
    await Bun.sleep(20);
    expect(resolved).toBe(false);
    const reader = response.body!.getReader();
    expect((await reader.read()).value!.byteLength).toBe(big.byteLength);
    expect(await first).toBe(true);
    client.close();
    await reader.cancel();
  });

  test('held live frames follow the replay in order; a client gone mid-write resolves false', async () => {
    const { response, client } = openSse(() => {});
    client.hold();
    expect(client.send(frame('reset', { epoch: 2 }))).toBe(true);
    expect(await client.write(frame('reset', { epoch: 1 }))).toBe(true);
    client.release();
    client.close();
    expect(await response.text()).toBe('event: reset\ndata: {"epoch":1}\n\nevent: reset\ndata: {"epoch":2}\n\n');
    const other = openSse(() => {});
    const pending = other.client.write(new Uint8Array(100 * 1024));
    other.client.close();
    expect(await pending).toBe(false);
  });

  test('while held, a client whose held frames pass the bound is dropped', () => {
    const hub = new Hub(60_000);
    const { client } = openSse((c) => hub.remove(c));
    hub.add(client);
    client.hold();
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    while (hub.broadcast(chunk) === 1) sent++;
    expect(sent).toBeGreaterThanOrEqual(MAX_QUEUED_BYTES / chunk.length - 1);
    expect(client.closed).toBe(true);
    expect(hub.size).toBe(0);
  });
});
