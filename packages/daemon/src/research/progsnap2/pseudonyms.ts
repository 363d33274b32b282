/**
 * Pseudonyms for research exports. A student's SubjectID is `p-` + the first 20 hex digits (80
 * bits) of HMAC-SHA256(secret, student id): the same id gives the same pseudonym in every export
 * of the same mirror (the secret lives in its data folder), and without the secret nobody can
 * compute one from an id, nor check a guess. The secret is 32 random bytes, generated the first
 * time an export needs it, in `LMDASH_DATA_DIR/export-secret` (mode 0600). Deleting it makes the
 * next export's pseudonyms unrelated to the earlier ones.
 *
 * The scrubber replaces, in any text that leaves (program text, project names, free-form data),
 * exact occurrences of the student's id (by their pseudonym) and display name (by `[name]`). It
 * cannot see a name spelled differently, a first name alone, or a classmate's name: the limits
 * docs/research-data.md lists.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isLoopbackHost, isPostgresTarget } from '@lmdash/core';

/** The secret's file name in the data folder. */
export const SECRET_FILE = 'export-secret';
export const PSEUDONYM_PREFIX = 'p-';
/** What a display name becomes in exported text. */
export const NAME_PLACEHOLDER = '[name]';

/** The mirror's export secret: read, or created once (exclusively, mode 0600) when missing. */
export function exportSecret(dataDir: string): { secret: Buffer; path: string; created: boolean } {
  const path = join(dataDir, SECRET_FILE);
  let created = false;
  if (!existsSync(path)) {
    mkdirSync(dataDir, { recursive: true });
    try {
      // 'wx': two exports starting at once cannot both write a secret; the loser reads the winner's.
      const fd = openSync(path, 'wx', 0o600);
      try {
        writeSync(fd, randomBytes(32).toString('hex') + '\n');
      } finally {
        closeSync(fd);
      }
      created = true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
  }
  const text = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-f]{64}$/.test(text)) throw new Error(`${path}: not an export secret (64 hex digits); move it away to generate a new one (pseudonyms then change)`);
  if ((statSync(path).mode & 0o077) !== 0) throw new Error(`${path}: readable by others (mode ${(statSync(path).mode & 0o777).toString(8)}); chmod 600 it`);
  return { secret: Buffer.from(text, 'hex'), path, created };
}

/** The student's pseudonym under this secret. */
export function pseudonym(secret: Buffer, studentId: string): string {
  return PSEUDONYM_PREFIX + createHmac('sha256', secret).update(`lmdash-subject\u0000${studentId}`).digest('hex').slice(0, 20);
}

/** How one student's identity is written: their SubjectID and the scrubber of their text. */
export type Identity = { subjectId: string; scrub: (text: string) => string };

/**
 * The identity of a student in an export: `secret` null writes real ids (`--real-ids`), and
 * display names are scrubbed either way (names never leave).
 */
export function identityOf(secret: Buffer | null, studentId: string, displayName: string | null): Identity {
  const subjectId = secret ? pseudonym(secret, studentId) : studentId;
  // Longest first, so that an id inside a name (or the reverse) is replaced whole.
  const pairs: [string, string][] = [];
  if (secret) pairs.push([studentId, subjectId]);
  if (displayName && displayName.trim() !== '' && displayName !== studentId) pairs.push([displayName, NAME_PLACEHOLDER]);
  pairs.sort((a, b) => b[0].length - a[0].length);
  const scrub = (text: string): string => {
    let out = text;
    for (const [from, to] of pairs) if (out.includes(from)) out = out.split(from).join(to);
    return out;
  };
  return { subjectId, scrub };
}

/** A JSON value with every string (keys included) scrubbed. */
export function scrubJson(value: unknown, scrub: (text: string) => string): unknown {
  if (typeof value === 'string') return scrub(value);
  if (Array.isArray(value)) return value.map((v) => scrubJson(v, scrub));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [scrub(k), scrubJson(v, scrub)]));
  return value;
}

/**
 * Why `--real-ids` is refused here, or null when it is allowed: real ids may leave only from a
 * mirror kept on this machine (the API bound to loopback, the store a local file or a database
 * on loopback), or by someone who holds the API token (LMDASH_API_TOKEN in the environment).
 */
export function realIdsRefusal(config: { apiHost: string; apiToken?: string | undefined }, target: string): string | null {
  if (config.apiToken) return null;
  if (!isLoopbackHost(config.apiHost)) return `the API is served beyond loopback (LMDASH_API_HOST=${config.apiHost}) and LMDASH_API_TOKEN is not set`;
  if (isPostgresTarget(target)) {
    let host = '';
    try {
      host = new URL(target).hostname;
    } catch {
      return 'the database URL cannot be read';
    }
    if (!isLoopbackHost(host) && host !== '') return `the database is beyond loopback (${host}) and LMDASH_API_TOKEN is not set`;
  }
  return null;
}
