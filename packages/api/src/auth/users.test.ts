import { describe, expect, test } from 'bun:test';
import { parseUsers, verifyUser } from './users.ts';

const cheap = (pw: string) => Bun.password.hash(pw, { algorithm: 'argon2id', memoryCost: 1024, timeCost: 1 });

describe('users file', () => {
  test('user:hash lines; comments and blank lines skipped; argon2 and bcrypt accepted', async () => {
    const a = await cheap('correct horse');
    const b = await Bun.password.hash('battery staple', { algorithm: 'bcrypt', cost: 4 });
    const users = parseUsers(`# researchers\n\nalice:${a}\r\n  bob.smith@uni:${b}  \n`);
    expect([...users.keys()]).toEqual(['alice', 'bob.smith@uni']);
    expect(await verifyUser(users, 'alice', 'correct horse')).toBe(true);
    expect(await verifyUser(users, 'alice', 'Correct horse')).toBe(false);
    expect(await verifyUser(users, 'bob.smith@uni', 'battery staple')).toBe(true);
    expect(await verifyUser(users, 'carol', 'correct horse')).toBe(false);
  });
  test('a bad line stops with its number and never its content', async () => {
    const h = await cheap('pw');
    for (const [text, reason] of [
      ['alice:hunter2-plain-text', 'line 1: the password of alice is not an argon2 or bcrypt hash'],
      [`# c\nno colon here`, 'line 2: expected USER:HASH'],
      [`bad user:${h}`, 'line 1: expected USER:HASH'],
      [`alice:${h}\nalice:${h}`, 'line 2: alice appears twice'],
    ] as const) {
      let message = '';
      try {
        parseUsers(text, 'f');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain(reason);
      expect(message).not.toContain('hunter2');
      expect(message).not.toContain(h);
    }
  });
  test('a hash Bun cannot read is a refusal, not a crash', async () => {
    expect(await verifyUser(new Map([['alice', '$argon2id$garbage']]), 'alice', 'pw')).toBe(false);
  });
});
