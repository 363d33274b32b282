/**
 * The users file (LMDASH_API_USERS_FILE): one `user:hash` a line, the hash a Bun.password
 * (argon2id by default, or bcrypt) string as `bun run lmdash api --hash-password USER` prints it;
 * blank lines and `#` comments are skipped. Read once when the API starts (restart every process
 * to add, remove or change a user); a bad line stops the start with its line number, never its
 * content. Plain-text passwords are refused.
 */
import { readFileSync } from 'node:fs';

export type Users = ReadonlyMap<string, string>;

export class UsersFileError extends Error {
  override readonly name = 'UsersFileError';
}

/** A user name: what may sit before the colon (no spaces, no colon). */
export const USER_NAME = /^[A-Za-z0-9._@+-]{1,64}$/;
const HASH = /^\$(argon2id|argon2i|argon2d|2a|2b|2y)\$\S+$/;

/** Parses the file's text; `where` names it in errors. */
export function parseUsers(text: string, where = 'the users file'): Users {
  const users = new Map<string, string>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    const user = colon < 0 ? '' : line.slice(0, colon);
    const hash = colon < 0 ? '' : line.slice(colon + 1);
    const at = `${where}, line ${i + 1}`;
    if (!USER_NAME.test(user)) throw new UsersFileError(`${at}: expected USER:HASH with USER of 1-64 letters, digits or . _ @ + -`);
    if (!HASH.test(hash)) throw new UsersFileError(`${at}: the password of ${user} is not an argon2 or bcrypt hash (make one with: bun run lmdash api --hash-password ${user})`);
    if (users.has(user)) throw new UsersFileError(`${at}: ${user} appears twice`);
    users.set(user, hash);
  }
  return users;
}

export function loadUsers(path: string): Users {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new UsersFileError(`cannot read LMDASH_API_USERS_FILE ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return parseUsers(text, `LMDASH_API_USERS_FILE ${path}`);
}

/** A hash line for the users file. */
export async function hashLine(user: string, password: string): Promise<string> {
  return `${user}:${await Bun.password.hash(password, { algorithm: 'argon2id' })}`;
}

let dummy: Promise<string> | null = null;

/**
 * Whether `password` is `user`'s. An unknown user costs the same as a known one (a hash is
 * verified either way), so answers do not tell which names exist.
 */
export async function verifyUser(users: Users, user: string, password: string): Promise<boolean> {
  const hash = users.get(user);
  if (hash === undefined) {
    dummy ??= Bun.password.hash('lmdash: no such user', { algorithm: 'argon2id' });
    await Bun.password.verify(password, await dummy).catch(() => false);
    return false;
  }
  try {
    return await Bun.password.verify(password, hash);
  } catch {
    return false; // a hash Bun cannot read: refused, never a 500
  }
}
