/**
 * The typed producer client of @lmdash/core against the real server over HTTP, from Bun, from
 * Node (the file with its types stripped, as a notebook kernel would load a build) and from
 * Deno (the TypeScript file as it is). Each event shows up on an open dashboard stream.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { loadConfig, PublishError, Publisher } from '@lmdash/core';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { serveApi, type ApiServer } from '../src/server.ts';
import { tempDb, type TempDb } from './daemonWrites.ts';
import { REPO_ROOT, SseClient, json } from './helpers.ts';

const PUBLISHER_TS = resolve(REPO_ROOT, 'packages/core/src/publisher/publisher.ts');
const node = Bun.which('node');
const deno = Bun.which('deno', { PATH: `${resolve(REPO_ROOT, 'node_modules/.bin')}:${process.env.PATH ?? ''}` });
if (!node) console.warn('\n!!! node not found on PATH: the Publisher-under-Node test is SKIPPED.\n');
if (!deno) console.warn('\n!!! deno not found (root devDependency `deno`): the Publisher-under-Deno test is SKIPPED.\n');

let db: TempDb;
let server: ApiServer;
let stream: SseClient;
let dir: string;

beforeAll(async () => {
  db = tempDb();
  server = serveApi({ db: db.path, config: loadConfig({ env: {} }), port: 0, webRoot: null, log: () => {} });
  stream = new SseClient(`${server.url}/api/stream`);
  await stream.next((f) => f.event === 'snapshot');
  dir = mkdtempSync(join(tmpdir(), 'lmdash-publisher-'));
});

afterAll(async () => {
  stream?.close();
  await server?.stop();
  db?.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Waits for the publish frame carrying an event that matches. */
const received = (match: (e: Record<string, unknown>) => boolean) => stream.next((f) => f.event === 'publish' && match(json<{ event: Record<string, unknown> }>(f).event)).then((f) => json<{ seq: number; event: Record<string, unknown> }>(f));

describe('Publisher against the real API', () => {
  test('from Bun: publish resolves to { delivered }, the dashboard stream gets the event; refusals throw PublishError', async () => {
    const pub = new Publisher(server.url);
    expect(await pub.publish({ type: 'metric', name: 'val_loss', value: 0.31, unit: 'nats' })).toEqual({ delivered: 1 });
    expect((await received((e) => e.name === 'val_loss')).event).toEqual({ type: 'metric', name: 'val_loss', value: 0.31, unit: 'nats' });
    expect(await pub.publish({ type: 'table', name: 'confusion', columns: ['true', 'pred', 'n'], rows: [['stuck', 'stuck', 12], ['stuck', 'iterator', 3]] })).toEqual({ delivered: 1 });
    expect(await pub.publish({ type: 'attention-map', student: 'anonymous', weights: [0.1, 0.9] })).toEqual({ delivered: 1 });
    expect((await received((e) => e.type === 'attention-map')).event.weights).toEqual([0.1, 0.9]);

    const e = await pub.publish({ type: 'series', name: 'loss', t: 'yesterday' } as never).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(PublishError);
    expect(e).toMatchObject({ status: 400 });
    expect((e as PublishError).reason).toStartWith('invalid series event: ');
    expect(await pub.tryPublish({ type: 'note', text: '' } as never)).toMatchObject({ status: 400, error: expect.stringContaining('text') });
  }, 30_000);

  test.skipIf(!node)('from Node (types stripped): publish and tryPublish', async () => {
    const js = new Bun.Transpiler({ loader: 'ts' }).transformSync(readFileSync(PUBLISHER_TS, 'utf8'));
    writeFileSync(join(dir, 'publisher.mjs'), js);
    writeFileSync(
      join(dir, 'node-check.mjs'),
      `import { Publisher, PublishError } from './publisher.mjs';
const pub = new Publisher(${JSON.stringify(server.url)});
const ok = await pub.publish({ type: 'series', name: 'node-loss', t: 1, value: 0.5 });
const bad = await pub.tryPublish({ type: 'metric', name: 'x' });
let thrown = null;
try { await pub.publish({ type: 'metric', name: 'x' }); } catch (e) { thrown = { isPublishError: e instanceof PublishError, status: e.status }; }
console.log(JSON.stringify({ ok, bad: bad.status, thrown }));`,
    );
    const r = Bun.spawn([node!, join(dir, 'node-check.mjs')], { stdout: 'pipe', stderr: 'pipe' });
    const [out, err] = [await new Response(r.stdout).text(), await new Response(r.stderr).text()];
    expect({ code: await r.exited, err }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(out)).toEqual({ ok: { delivered: 1 }, bad: 400, thrown: { isPublishError: true, status: 400 } });
    expect((await received((e) => e.name === 'node-loss')).event).toEqual({ type: 'series', name: 'node-loss', t: 1, value: 0.5 });
  }, 60_000);

  test.skipIf(!deno)('from Deno (the TypeScript file as it is, network permission for the API only)', async () => {
    const script = join(dir, 'deno-check.ts');
    writeFileSync(
      script,
      `import { Publisher } from ${JSON.stringify(PUBLISHER_TS)};
const r = await new Publisher(${JSON.stringify(server.url)}).tryPublish({ type: 'note', text: 'from deno', level: 'warn' });
console.log(JSON.stringify(r));`,
    );
    const host = new URL(server.url).host;
    const r = Bun.spawn([deno!, 'run', '--no-prompt', `--allow-net=${host}`, script], { stdout: 'pipe', stderr: 'pipe', env: { ...process.env, DENO_NO_UPDATE_CHECK: '1', NO_COLOR: '1' } });
    const [out, err] = [await new Response(r.stdout).text(), await new Response(r.stderr).text()];
    expect({ code: await r.exited, err }).toEqual({ code: 0, err: '' });
    expect(JSON.parse(out)).toEqual({ delivered: 1 });
    expect((await received((e) => e.text === 'from deno')).event).toEqual({ type: 'note', text: 'from deno', level: 'warn' });
  }, 120_000);

  test('the worked examples of docs/producers.md run as written (TypeScript and curl)', async () => {
    const doc = readFileSync(resolve(REPO_ROOT, 'docs/producers.md'), 'utf8');
    const ts = /```ts\n([\s\S]*?)```/.exec(doc)![1]!;
    const script = join(dir, 'example.ts');
    writeFileSync(script, ts.replace("from '@lmdash/core'", `from ${JSON.stringify(resolve(REPO_ROOT, 'packages/core/src/index.ts'))}`).replace('new Publisher()', `new Publisher(${JSON.stringify(server.url)})`));
    const r = Bun.spawn(['bun', script], { stdout: 'pipe', stderr: 'pipe' });
    const [out, err] = [await new Response(r.stdout).text(), await new Response(r.stderr).text()];
    expect({ code: await r.exited, err }).toEqual({ code: 0, err: '' });
    expect(out.trim()).toBe('400 invalid metric event: value: Invalid input: expected number, received string');
    await received((e) => e.type === 'attention-map' && e.name === 'program 12');

    const port = new URL(server.url).port;
    const sh = /```sh\n([\s\S]*?)```/.exec(doc.slice(doc.indexOf('## From anything else')))![1]!;
    const lines = sh.split('\n');
    for (let i = 0; i < lines.length; i++) {
      if (!lines[i]!.startsWith('curl')) continue;
      let cmd = lines[i]!;
      while (cmd.endsWith('\\')) cmd = cmd.slice(0, -1) + lines[++i]!;
      const expected = lines[i + 1]?.startsWith('# ') ? lines[i + 1]!.slice(2) : null;
      // Not spawnSync: the server runs in this process and must go on answering.
      const run = Bun.spawn(['bash', '-c', cmd.replaceAll('8447', port)], { stdout: 'pipe' });
      const answer = await new Response(run.stdout).text();
      expect({ cmd, ok: (await run.exited) === 0 }).toEqual({ cmd, ok: true });
      if (expected) expect(answer).toBe(expected);
      else expect(answer).toMatch(/^\{"delivered":\d+\}$/);
    }
  }, 60_000);
});
