/**
 * A stand-in for the read API, enough for the dashboard's end-to-end tests, the screenshots and
 * `bun run dev` without a daemon: serves `dist/` at `/` (index.html fallback) and the contract's
 * routes — `GET /api/stream` (snapshot / delta / health / publish / reset, ids `<epoch>:<version>`,
 * resume by `Last-Event-ID`, ping comments), students, roster, triggers, health, track, untrack,
 * ack, reset and `POST /publish` — from an in-memory state the test drives directly.
 *
 * Run alone: `bun test/fakeApi.ts --port 8447 --students 20 --live` (from packages/web).
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DeltaEvent, Health, PublishedEvent, RosterEntry, SnapshotEvent, StudentCard, StudentDetail, TriggerRow } from '../src/types.ts';
import { Cohort } from './cohort.ts';

export const DIST = resolve(import.meta.dir, '..', 'dist');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.ico': 'image/x-icon',
};

interface Client {
  send: (frame: string) => void;
  close: () => void;
}

export interface FakeApiOptions {
  /** Students tracked at the start (from a seeded cohort). */
  students?: number;
  /** Extra roster students, not tracked. */
  untracked?: number;
  seed?: number;
  /** How long a newly tracked student's backfill takes. */
  backfillMs?: number;
  /** Seconds between health frames. */
  healthEveryMs?: number;
  pingEveryMs?: number;
  /** Open the alerts the cohort already deserves at the start. */
  initialAlerts?: boolean;
}

export class FakeApi {
  epoch = 1;
  version = 1;
  cohort: Cohort;
  /** Tracked students' cards, each with the version it last changed at. */
  readonly cards = new Map<string, StudentCard>();
  readonly triggers = new Map<number, TriggerRow>();
  /** Students untracked and the version they left at (for resumed streams). */
  readonly removed = new Map<string, number>();
  readonly roster = new Map<string, RosterEntry>();
  readonly published: PublishedEvent[] = [];
  /** Every write request received, for assertions. */
  readonly requests: { method: string; path: string; body: unknown }[] = [];
  health: Health;
  private seq = 0;
  private readonly clients = new Set<Client>();
  private server: ReturnType<typeof Bun.serve> | null = null;
  private timers: ReturnType<typeof setInterval>[] = [];
  private readonly opts: Required<FakeApiOptions>;

  constructor(opts: FakeApiOptions = {}) {
    this.opts = { students: 0, untracked: 10, seed: 7, backfillMs: 1500, healthEveryMs: 2000, pingEveryMs: 5000, initialAlerts: false, ...opts };
    this.cohort = new Cohort(this.opts.students, this.opts.seed);
    this.health = this.makeHealth();
    for (const s of this.cohort.students.values()) this.cards.set(s.card.studentId, { ...s.card, version: this.version });
    for (let i = 0; i < this.opts.students + this.opts.untracked; i++) {
      const id = Cohort.id(i);
      this.roster.set(id, { studentId: id, displayName: Cohort.name(i), classroom: 'Period 3', tracked: i < this.opts.students, backfilled: i < this.opts.students });
    }
    if (this.opts.initialAlerts) for (const t of this.cohort.initialAlerts()) this.triggers.set(t.id, { ...t, version: this.version });
  }

  get url(): string {
    if (!this.server) throw new Error('fake API is not running');
    return `http://127.0.0.1:${this.server.port}`;
  }

  get port(): number {
    return this.server?.port ?? 0;
  }

  get clientCount(): number {
    return this.clients.size;
  }

  /** Starts serving (again, after `stop`) on `port` (0: any free one). */
  start(port = 0): this {
    this.server = Bun.serve({ hostname: '127.0.0.1', port, idleTimeout: 0, fetch: (req) => this.handle(req) });
    this.timers.push(setInterval(() => this.broadcast(this.frame('health', this.refreshHealth())), this.opts.healthEveryMs));
    this.timers.push(setInterval(() => this.broadcast(': ping\n\n'), this.opts.pingEveryMs));
    return this;
  }

  /** Stops serving and drops every open stream, as a crashed or restarted API would. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    for (const c of this.clients) c.close();
    this.clients.clear();
    await this.server?.stop(true);
    this.server = null;
  }

  // --- Changes the tests make (each one a delta on the stream) ---------------------------------

  /** Upserts cards and alerts at a new version and sends the delta. */
  change(students: StudentCard[], triggers: TriggerRow[] = [], removed: string[] = []): DeltaEvent {
    const fromVersion = this.version;
    const version = ++this.version;
    const cards = students.map((c) => ({ ...c, version }));
    for (const c of cards) {
      this.cards.set(c.studentId, c);
      this.removed.delete(c.studentId);
    }
    const rows = triggers.map((t) => ({ ...t, version }));
    for (const t of rows) this.triggers.set(t.id, t);
    for (const id of removed) {
      this.cards.delete(id);
      this.removed.set(id, version);
    }
    const delta: DeltaEvent = { epoch: this.epoch, version, fromVersion, students: cards, runs: [], episodes: [], triggers: rows, removed };
    this.broadcast(this.frame('delta', delta, `${this.epoch}:${version}`));
    return delta;
  }

  /** One cohort student runs again (and maybe opens or resolves alerts). */
  step(): DeltaEvent | null {
    const { students, triggers } = this.cohort.step();
    const tracked = students.filter((c) => this.cards.has(c.studentId));
    if (tracked.length === 0) return null;
    return this.change(tracked, triggers.filter((t) => this.cards.has(t.studentId)));
  }

  /** Opens an alert for a student. */
  openAlert(studentId: string, kind: TriggerRow['kind'] = 'wheelspin', over: Partial<TriggerRow> = {}): TriggerRow {
    const now = Date.now();
    const row = { ...this.cohort.newTrigger(studentId, kind, now - 4 * 60_000, now, null, { runs: 4 }), ...over };
    this.change([], [row]);
    return this.triggers.get(row.id)!;
  }

  publish(event: Record<string, unknown> & { type: string }): PublishedEvent {
    const pub: PublishedEvent = { seq: ++this.seq, receivedAt: Date.now(), event };
    // Like the API's table: the latest per type (and per name within a type).
    const key = (e: Record<string, unknown>) => `${e.type}\u0000${typeof e.name === 'string' ? e.name : ''}`;
    const at = this.published.findIndex((p) => key(p.event) === key(event));
    if (at >= 0) this.published.splice(at, 1);
    this.published.push(pub);
    this.broadcast(this.frame('publish', pub));
    return pub;
  }

  setHealth(over: Partial<Health>): void {
    this.health = { ...this.health, ...over };
    this.broadcast(this.frame('health', this.refreshHealth()));
  }

  /** Like the API's reset: events, cards, alerts, tracking and published events go; the roster stays. */
  reset(): void {
    this.epoch++;
    this.version = 0;
    this.cards.clear();
    this.triggers.clear();
    this.removed.clear();
    this.published.length = 0;
    for (const e of this.roster.values()) {
      e.tracked = false;
      e.backfilled = false;
    }
    this.broadcast(this.frame('reset', { epoch: this.epoch }));
  }

  // --- HTTP ---------------------------------------------------------------------------------------

  private makeHealth(): Health {
    const now = Date.now();
    return { daemon: 'healthy', healthChangedAt: now - 3_600_000, lastError: null, heartbeatAt: now, heartbeatStale: false, cursorAt: now - 1500, sourceLagSeconds: 1.5, modelHash: 'fake', epoch: this.epoch, version: this.version, now };
  }

  private refreshHealth(): Health {
    const now = Date.now();
    this.health = { ...this.health, heartbeatAt: this.health.heartbeatStale ? this.health.heartbeatAt : now, cursorAt: now - 1500, epoch: this.epoch, version: this.version, now };
    return this.health;
  }

  private frame(event: string, data: unknown, id?: string): string {
    return `event: ${event}\n${id ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`;
  }

  private broadcast(frame: string): void {
    for (const c of this.clients) c.send(frame);
  }

  private snapshot(): SnapshotEvent {
    return {
      epoch: this.epoch,
      version: this.version,
      students: [...this.cards.values()],
      triggers: [...this.triggers.values()].filter((t) => t.status !== 'resolved' || (t.resolvedAt ?? 0) > Date.now() - 3_600_000),
      health: this.refreshHealth(),
      publishedSeqs: this.published.map((p) => p.seq),
    };
  }

  /** The first frame for a client: a delta since its Last-Event-ID when we can, else a snapshot. */
  private hello(lastEventId: string | null): string {
    const m = /^(\d+):(\d+)$/.exec(lastEventId ?? '');
    if (m && Number(m[1]) === this.epoch && Number(m[2]) <= this.version) {
      const from = Number(m[2]);
      if (from === this.version) return '';
      const delta: DeltaEvent = {
        epoch: this.epoch,
        version: this.version,
        fromVersion: from,
        students: [...this.cards.values()].filter((c) => c.version > from),
        runs: [],
        episodes: [],
        triggers: [...this.triggers.values()].filter((t) => t.version > from),
        removed: [...this.removed].filter(([, v]) => v > from).map(([id]) => id),
      };
      return this.frame('delta', delta, `${this.epoch}:${this.version}`);
    }
    // Like the API: the stored events follow the snapshot as publish frames, oldest first.
    return this.frame('snapshot', this.snapshot(), `${this.epoch}:${this.version}`) + this.published.map((p) => this.frame('publish', p)).join('');
  }

  private stream(req: Request, url: URL): Response {
    const encoder = new TextEncoder();
    let client: Client;
    const body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        let open = true;
        client = {
          send: (frame) => {
            if (!open) return;
            try {
              controller.enqueue(encoder.encode(frame));
            } catch {
              open = false;
              this.clients.delete(client);
            }
          },
          close: () => {
            if (!open) return;
            open = false;
            try {
              controller.close();
            } catch {
              /* already closed by the browser */
            }
          },
        };
        this.clients.add(client);
        client.send(`retry: 1000\n\n${this.hello(req.headers.get('last-event-id') ?? url.searchParams.get('lastEventId'))}`);
        client.send(this.frame('health', this.refreshHealth()));
      },
      cancel: () => {
        this.clients.delete(client);
      },
    });
    req.signal.addEventListener('abort', () => this.clients.delete(client));
    return new Response(body, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' } });
  }

  private json(data: unknown, status = 200): Response {
    return Response.json(data, { status });
  }

  private detail(id: string): StudentDetail | null {
    const card = this.cards.get(id);
    const s = this.cohort.students.get(id);
    if (!card || !s) return null;
    return { card, runs: s.runs, episodes: s.episodes, triggers: [...this.triggers.values()].filter((t) => t.studentId === id), pseudocode: s.pseudocode, prompt: s.prompt };
  }

  private async handle(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const path = url.pathname;
    let body: unknown = null;
    if (req.method === 'POST') {
      body = await req.json().catch(() => null);
      this.requests.push({ method: req.method, path, body });
    }
    if (req.method === 'GET' && path === '/api/stream') return this.stream(req, url);
    if (req.method === 'GET' && path === '/api/health') return this.json(this.refreshHealth());
    if (req.method === 'GET' && path.startsWith('/api/students/')) {
      const d = this.detail(decodeURIComponent(path.slice('/api/students/'.length)));
      return d ? this.json(d) : this.json({ error: 'unknown student' }, 404);
    }
    if (req.method === 'GET' && path === '/api/roster') {
      const q = (url.searchParams.get('q') ?? '').toLowerCase();
      const limit = Number(url.searchParams.get('limit') ?? 50);
      const hits = [...this.roster.values()].filter((e) => `${e.displayName} ${e.studentId} ${e.classroom}`.toLowerCase().includes(q));
      return this.json(hits.slice(0, limit));
    }
    if (req.method === 'GET' && path === '/api/triggers') {
      const status = url.searchParams.get('status');
      return this.json([...this.triggers.values()].filter((t) => !status || t.status === status));
    }
    if (req.method === 'POST' && (path === '/api/track' || path === '/api/untrack')) return this.track(body, path === '/api/track');
    const ack = /^\/api\/triggers\/(\d+)\/ack$/.exec(path);
    if (req.method === 'POST' && ack) {
      const row = this.triggers.get(Number(ack[1]));
      if (!row) return this.json({ error: 'unknown alert' }, 404);
      if (row.status !== 'open') return this.json({ error: `alert is ${row.status}` }, 409);
      const note = body && typeof body === 'object' && typeof (body as { note?: unknown }).note === 'string' ? (body as { note: string }).note : null;
      this.change([], [{ ...row, status: 'acked', ackedAt: Date.now(), ackNote: note }]);
      return this.json(this.triggers.get(row.id));
    }
    if (req.method === 'POST' && path === '/api/reset') {
      if (!body || (body as { confirm?: unknown }).confirm !== 'RESET') return this.json({ error: 'body must be {"confirm":"RESET"}' }, 400);
      this.reset();
      return this.json({ ok: true, epoch: this.epoch });
    }
    if (req.method === 'POST' && path === '/publish') {
      if (!body || typeof (body as { type?: unknown }).type !== 'string') return this.json({ error: 'body must be a JSON object with a string "type"' }, 400);
      return this.json(this.publish(body as Record<string, unknown> & { type: string }), 202);
    }
    if (path.startsWith('/api/') || path === '/publish') return this.json({ error: 'not found' }, 404);
    return this.staticFile(path);
  }

  private track(body: unknown, track: boolean): Response {
    const ids = body && typeof body === 'object' && Array.isArray((body as { studentIds?: unknown }).studentIds) ? ((body as { studentIds: unknown[] }).studentIds as string[]) : null;
    if (!ids || ids.length === 0) return this.json({ error: 'studentIds must be a non-empty array' }, 400);
    for (const id of ids) {
      const entry = this.roster.get(id);
      if (!entry) continue;
      entry.tracked = track;
      if (!track) {
        entry.backfilled = false;
        if (this.cards.has(id)) this.change([], [], [id]);
        continue;
      }
      // The backfill takes a moment; then the card arrives on the stream.
      setTimeout(() => {
        if (!entry.tracked) return;
        const i = Number(id.slice(2)) - 1;
        const s = this.cohort.students.get(id) ?? this.cohort.addStudent(i);
        entry.backfilled = true;
        this.change([s.card]);
      }, this.opts.backfillMs);
    }
    return this.json({ ok: true, studentIds: ids });
  }

  private staticFile(path: string): Response {
    const file = join(DIST, path);
    if (file.startsWith(DIST) && path !== '/' && existsSync(file) && statSync(file).isFile()) {
      const ext = file.slice(file.lastIndexOf('.'));
      return new Response(Bun.file(file), { headers: { 'content-type': TYPES[ext] ?? 'application/octet-stream' } });
    }
    const index = join(DIST, 'index.html');
    if (!existsSync(index)) return new Response('dist/ is not built: run `bun run build` in packages/web', { status: 503 });
    return new Response(Bun.file(index), { headers: { 'content-type': TYPES['.html']! } });
  }
}

if (import.meta.main) {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 ? process.argv[i + 1]! : fallback;
  };
  const api = new FakeApi({ students: Number(arg('students', '20')), initialAlerts: true }).start(Number(arg('port', '8447')));
  console.log(`fake API listening on ${api.url}`);
  if (process.argv.includes('--live')) {
    setInterval(() => api.step(), 1500);
    let n = 0;
    setInterval(() => api.publish({ type: 'series', name: 'cohort mean change', t: ++n, value: Math.random() }), 3000);
  }
}
