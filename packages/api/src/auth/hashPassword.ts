/**
 * `bun run lmdash api --hash-password USER`: reads a password from stdin (never from the command
 * line, which other users of the machine can see) and prints the `USER:HASH` line to add to
 * LMDASH_API_USERS_FILE (argon2id through Bun.password).
 *
 * @example
 * read -rs PW && printf '%s\n' "$PW" | bun run lmdash api --hash-password alice >> /etc/lmdash/users
 */
import { USER_NAME, hashLine } from './users.ts';

export async function runHashPassword(user: string, stdin: () => Promise<string> = () => Bun.stdin.text()): Promise<number> {
  if (!USER_NAME.test(user)) {
    console.error(`lmdash api: --hash-password takes a user name of 1-64 letters, digits or . _ @ + - (got ${JSON.stringify(user)})`);
    return 2;
  }
  if (process.stdin.isTTY) console.error(`password for ${user} (it shows as you type; end with Enter then Ctrl-D, or pipe it in):`);
  const password = (await stdin()).replace(/\r?\n$/, '');
  if (password === '') {
    console.error('lmdash api: no password on stdin');
    return 2;
  }
  console.log(await hashLine(user, password));
  return 0;
}
