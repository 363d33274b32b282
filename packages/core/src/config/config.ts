/**
 * One typed config for every LM Dashboard process, from environment variables and an optional
 * `lmdash.config.json` (the same names as keys; the environment wins). Every setting has a
 * default, so nothing is required to start on the embedded simulator. A bad value stops the
 * process with an error that names the variable. `docs/config.md` is generated from this table.
 */
import * as z from 'zod';

type Setting<S extends z.ZodType> = {
  /** Environment variable (and config-file key). */
  env: string;
  schema: S;
  /** The default, as it would be written in the environment; undefined: unset by default. */
  default: string | undefined;
  /** Secrets are never printed (config dumps, logs, errors show `***`). */
  secret?: boolean;
  doc: string;
};

const seconds = (min = 0) => z.coerce.number().min(min);
const int = (min: number, max = Number.MAX_SAFE_INTEGER) => z.coerce.number().int().min(min).max(max);
const set = <S extends z.ZodType>(s: Setting<S>): Setting<S> => s;

/** The settings, grouped as the docs list them. */
export const SETTINGS = {
  // Source (production, or the simulator when no URL is set)
  sourceUrl: set({ env: 'LMDASH_SOURCE_URL', schema: z.url({ protocol: /^https?$/ }).optional(), default: undefined, doc: 'Base URL of the production source API. Unset: `bun run start` runs the embedded simulator.' }),
  sourceUser: set({ env: 'LMDASH_SOURCE_USER', schema: z.string().min(1), default: 'demo', doc: 'Username for the token login.' }),
  sourcePassword: set({ env: 'LMDASH_SOURCE_PASSWORD', schema: z.string(), default: 'demo', secret: true, doc: 'Password for the token login.' }),
  sourceToken: set({ env: 'LMDASH_SOURCE_TOKEN', schema: z.string().min(1).optional(), default: undefined, secret: true, doc: 'A long-lived token: skips the login.' }),
  pageSize: set({ env: 'LMDASH_PAGE_SIZE', schema: int(1, 1000), default: '1000', doc: 'Events per page requested from the source (the source allows 1..1000).' }),
  sourceMaxPageBytes: set({ env: 'LMDASH_SOURCE_MAX_PAGE_BYTES', schema: int(1024), default: String(64 * 1024 * 1024), doc: 'Most bytes the daemon reads of one source answer; an events page over it is asked for again in smaller pages, and one event over it stops the drain with an UNHEALTHY error naming this setting. See docs/limits.md.' }),
  // Storage
  dataDir: set({ env: 'LMDASH_DATA_DIR', schema: z.string().min(1), default: 'data', doc: 'Folder of the SQLite file (created if missing).' }),
  databaseUrl: set({ env: 'LMDASH_DATABASE_URL', schema: z.string().regex(/^postgres(ql)?:\/\/[^\s]+$/, 'a postgres:// or postgresql:// URL').optional(), default: undefined, secret: true, doc: 'A PostgreSQL database (`postgres://user:password@host:5432/db`) instead of the SQLite file in LMDASH_DATA_DIR: for several API processes, readers on other machines, a database you already back up. Unset: SQLite. See docs/scaling.md.' }),
  model: set({ env: 'LMDASH_MODEL', schema: z.string().min(1).optional(), default: undefined, doc: 'Path of a strategy model JSON: `lmdash model fit` output (docs/model.md), or a bucket-only model (`fitBaumWelch` output, an hmmlearn export); unset: the default model. A restarted daemon re-decodes every student with it.' }),
  // Daemon
  idleMax: set({ env: 'PIPELINE_IDLE_MAX', schema: seconds(0.5), default: '5', doc: 'Longest idle sleep between ticks, seconds (grows from 0.5 s while nothing happens).' }),
  backfillHours: set({ env: 'BACKFILL_HOURS', schema: seconds(0), default: '24', doc: 'History fetched for a newly tracked student, hours.' }),
  episodeGap: set({ env: 'EPISODE_GAP_SECONDS', schema: seconds(1), default: '600', doc: 'Inactivity that ends an episode, seconds.' }),
  distanceWorkers: set({ env: 'LMDASH_DISTANCE_WORKERS', schema: int(0, 256).optional(), default: undefined, doc: 'Worker threads that compute exact tree edit distances off the tick (pairs whose cheap bounds do not meet); a student waiting for one is written when it is in. Unset: one per core; 0: computed on the tick, as before.' }),
  distanceCacheRows: set({ env: 'LMDASH_DISTANCE_CACHE_ROWS', schema: int(0), default: '1000000', doc: 'Tree edit distances kept in the `distance_cache` table (about 100 bytes a row), so a restart or a rebuild never recomputes a known pair; the oldest go first; 0 keeps none.' }),
  programCacheMb: set({ env: 'LMDASH_PROGRAM_CACHE_MB', schema: int(0, 65536), default: '8', doc: 'Parsed programs the daemon keeps in memory, as packed text (about 1.5 bytes a node), MiB; past it the least recently used are parsed again from the log when needed (0: every time). Speed only: the projection is the same at any size.' }),
  programSummaryRows: set({ env: 'LMDASH_PROGRAM_SUMMARY_ROWS', schema: int(0), default: '1000000', doc: 'Parsed programs summarised in the `program_summary` table (hash, size, metadata, shape; about 530 bytes a row on SQLite), so a restart or a rebuild does not parse them again; the oldest go first; 0 keeps none.' }),
  // Programs (a run over a bound is stored and counted, flagged "too large", never compared; part of what determines the projection)
  maxProgramBytes: set({ env: 'LMDASH_MAX_PROGRAM_BYTES', schema: int(1024), default: '1048576', doc: 'Largest program analysed, in UTF-8 bytes of the project file, counted before it is parsed (real programs: up to about 150 KiB).' }),
  maxProgramNodes: set({ env: 'LMDASH_MAX_PROGRAM_NODES', schema: int(10), default: '5000', doc: 'Largest program analysed, in nodes of its canonical tree (real programs: up to about 1,900). Tree edit distance costs O(n²) memory: a pair at 5,000 nodes can take up to about 0.85 GB and 9 s.' }),
  maxProgramDepth: set({ env: 'LMDASH_MAX_PROGRAM_DEPTH', schema: int(8), default: '256', doc: 'Deepest program analysed, in levels of its canonical tree (real programs: under 30).' }),
  // Triggers
  wheelspinMinRuns: set({ env: 'WHEELSPIN_MIN_RUNS', schema: int(1), default: '3', doc: 'Wheel-spin: runs in the current stuck streak.' }),
  wheelspinMinSeconds: set({ env: 'WHEELSPIN_MIN_SECONDS', schema: seconds(0), default: '120', doc: 'Wheel-spin: how long the stuck streak has lasted, seconds.' }),
  inactiveSeconds: set({ env: 'INACTIVE_SECONDS', schema: seconds(1), default: '600', doc: 'Inactive: no event for this long while the session is open, seconds.' }),
  sessionGapSeconds: set({ env: 'SESSION_GAP_SECONDS', schema: seconds(1), default: '1800', doc: 'A session without sessionEnd is closed after this much silence, seconds.' }),
  bigRewriteMinDistance: set({ env: 'BIG_REWRITE_MIN_DISTANCE', schema: int(1), default: '4', doc: 'Big rewrite: least tree edit distance (with change score >= 0.5).' }),
  reAlertSeconds: set({ env: 'RE_ALERT_SECONDS', schema: seconds(1), default: '600', doc: 'An acked alert whose condition still holds re-opens this long after it started, seconds.' }),
  // API
  apiHost: set({ env: 'LMDASH_API_HOST', schema: z.string().min(1), default: '127.0.0.1', doc: 'Address the API binds. Anything but loopback requires LMDASH_API_TOKEN, and then every route but `/api/health` and the login needs a session (a login with the token or a user of LMDASH_API_USERS_FILE) or the bearer token: packages/api/README.md, "Beyond loopback: login".' }),
  apiPort: set({ env: 'LMDASH_API_PORT', schema: int(0, 65535), default: '8447', doc: 'Port of the API and dashboard (0: any free port).' }),
  apiToken: set({ env: 'LMDASH_API_TOKEN', schema: z.string().min(16).optional(), default: undefined, secret: true, doc: 'Bearer token for mutating endpoints (on loopback, when set), and beyond loopback, where it is required (16+ characters), for every route; it also signs in to the dashboard, and signs its sessions unless LMDASH_SESSION_SECRET is set (changing it then ends every session).' }),
  apiUsersFile: set({ env: 'LMDASH_API_USERS_FILE', schema: z.string().min(1).optional(), default: undefined, doc: 'Beyond loopback: a file of `user:hash` lines (`bun run lmdash api --hash-password USER` prints one; argon2id or bcrypt) whose users may sign in to the dashboard besides the token. Read at start: restart to apply a change.' }),
  sessionSecret: set({ env: 'LMDASH_SESSION_SECRET', schema: z.string().min(32).optional(), default: undefined, secret: true, doc: 'Beyond loopback: the secret session cookies are signed with (32+ characters, the same for every API process behind one load balancer). Unset: derived from LMDASH_API_TOKEN. Changing it ends every session.' }),
  sessionHours: set({ env: 'LMDASH_SESSION_HOURS', schema: z.coerce.number().positive().max(720), default: '12', doc: 'Beyond loopback: how long a dashboard login lasts, hours (lowering it also shortens the sessions already given).' }),
  sessionCookieSecure: set({ env: 'LMDASH_SESSION_COOKIE_SECURE', schema: z.enum(['auto', 'always', 'never']), default: 'auto', doc: 'The session cookies\' `Secure` flag: `auto` when the request came over https (or with `X-Forwarded-Proto: https` from a TLS proxy), `always` (behind a TLS proxy that does not say so), or `never`.' }),
  // Producers (POST /publish: each body is checked against these before it is parsed; what is kept replays to every new stream)
  publishMaxBytes: set({ env: 'LMDASH_PUBLISH_MAX_BYTES', schema: int(1024, 16 * 1024 * 1024), default: '262144', doc: 'Largest producer event, in bytes of the UTF-8 body (413 beyond). At most LMDASH_PUBLISH_KEEP_TYPE_BYTES.' }),
  publishMaxDepth: set({ env: 'LMDASH_PUBLISH_MAX_DEPTH', schema: int(2, 1000), default: '64', doc: 'Deepest nesting of arrays and objects in a producer event (`{"type":"x"}` is depth 1; 400 beyond).' }),
  publishMaxKeys: set({ env: 'LMDASH_PUBLISH_MAX_KEYS', schema: int(1, 10_000_000), default: '100000', doc: 'Most object keys plus array items in one producer event, counted over the whole body (400 beyond).' }),
  publishKeepBytes: set({ env: 'LMDASH_PUBLISH_KEEP_BYTES', schema: int(64 * 1024), default: '8388608', doc: 'Producer events kept for new dashboards, in all: UTF-8 bytes of their JSON (the oldest go first).' }),
  publishKeepEvents: set({ env: 'LMDASH_PUBLISH_KEEP_EVENTS', schema: int(1), default: '10000', doc: 'Producer events kept for new dashboards, in all (the oldest go first).' }),
  publishKeepTypeBytes: set({ env: 'LMDASH_PUBLISH_KEEP_TYPE_BYTES', schema: int(1024), default: '4194304', doc: 'Producer events kept per `type`, UTF-8 bytes, so one busy type cannot push the others out. At most LMDASH_PUBLISH_KEEP_BYTES.' }),
  publishKeepTypeEvents: set({ env: 'LMDASH_PUBLISH_KEEP_TYPE_EVENTS', schema: int(1), default: '5000', doc: 'Producer events kept per `type`. At most LMDASH_PUBLISH_KEEP_EVENTS.' }),
} as const;

type Settings = typeof SETTINGS;
/** The typed config. */
export type Config = { -readonly [K in keyof Settings]: z.output<Settings[K]['schema']> };

/** A setting with a bad value; `variable` names it, the message says what is expected. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join('\n')}`);
  }
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

/** Whether an API host is a loopback address (then no token is needed). */
export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.test(host);
}

export type ConfigSources = {
  /** Usually `process.env`. */
  env?: Record<string, string | undefined>;
  /** Parsed `lmdash.config.json`: keys are the variable names. */
  file?: Record<string, unknown>;
};

/**
 * Builds the config: environment first, then the file, then the defaults. Throws ConfigError
 * naming every bad variable at once; secrets never appear in it.
 * @example const config = loadConfig({ env: process.env });
 */
export function loadConfig({ env = {}, file = {} }: ConfigSources = {}): Config {
  const known = new Set(Object.values(SETTINGS).map((s) => s.env));
  const problems: { variable: string; message: string }[] = [];
  for (const key of Object.keys(file)) {
    if (!known.has(key)) problems.push({ variable: key, message: `unknown setting in lmdash.config.json (known: see docs/config.md)` });
  }
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(SETTINGS) as [keyof Settings, Setting<z.ZodType>][]) {
    const fromEnv = env[s.env];
    const fromFile = file[s.env];
    const raw = fromEnv !== undefined && fromEnv !== '' ? fromEnv : fromFile !== undefined ? fromFile : s.default;
    const r = s.schema.safeParse(raw);
    if (r.success) out[key] = r.data;
    else {
      const shown = s.secret ? '***' : JSON.stringify(raw);
      problems.push({ variable: s.env, message: `${r.error.issues.map((i) => i.message).join('; ')} (got ${shown})` });
    }
  }
  const config = out as Config;
  if (problems.length === 0 && !isLoopbackHost(config.apiHost) && !config.apiToken) {
    problems.push({ variable: 'LMDASH_API_TOKEN', message: `required when LMDASH_API_HOST is not loopback (it is ${JSON.stringify(config.apiHost)})` });
  }
  // An event must fit what is kept of its type, and a type what is kept in all, or storing it would evict everything else.
  if (problems.length === 0 && config.publishMaxBytes > config.publishKeepTypeBytes) problems.push({ variable: 'LMDASH_PUBLISH_MAX_BYTES', message: `must be at most LMDASH_PUBLISH_KEEP_TYPE_BYTES (${config.publishKeepTypeBytes})` });
  if (problems.length === 0 && config.publishKeepTypeBytes > config.publishKeepBytes) problems.push({ variable: 'LMDASH_PUBLISH_KEEP_TYPE_BYTES', message: `must be at most LMDASH_PUBLISH_KEEP_BYTES (${config.publishKeepBytes})` });
  if (problems.length === 0 && config.publishKeepTypeEvents > config.publishKeepEvents) problems.push({ variable: 'LMDASH_PUBLISH_KEEP_TYPE_EVENTS', message: `must be at most LMDASH_PUBLISH_KEEP_EVENTS (${config.publishKeepEvents})` });
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** The config with secrets replaced by `***`, for printing. */
export function redactConfig(config: Config): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, s] of Object.entries(SETTINGS) as [keyof Config, Setting<z.ZodType>][]) {
    const v = config[key];
    out[s.env] = s.secret && v !== undefined ? '***' : v;
  }
  return out;
}

/** The markdown of `docs/config.md`, generated from SETTINGS. */
export function renderConfigDocs(): string {
  const rows = Object.values(SETTINGS).map((s) => {
    const d = s.default === undefined ? '(unset)' : `\`${s.default}\``;
    return `| \`${s.env}\` | ${d} | ${s.doc}${s.secret ? ' Secret: never printed.' : ''} |`;
  });
  return [
    '# Configuration',
    '',
    'Generated from `packages/core/src/config/config.ts` (`bun run lmdash config --docs`); do not edit by hand.',
    '',
    'Every LM Dashboard process reads its settings from environment variables and, optionally, from',
    '`lmdash.config.json` in the working folder, whose keys are the same names. The environment wins over the',
    'file, the file over the defaults. A bad value stops the process with an error naming the variable;',
    'secrets are never printed. Nothing is required: the defaults run the embedded simulator on loopback.',
    '',
    '| variable | default | meaning |',
    '|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
