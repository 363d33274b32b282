import { describe, expect, test } from 'bun:test';
import { identityOf, NAME_PLACEHOLDER, pseudonym, realIdsRefusal, scrubJson } from './pseudonyms.ts';

const secret = Buffer.alloc(32, 5);

describe('pseudonyms', () => {
  test('a keyed hash: stable, p- and 20 hex digits, never the id, another for another secret or id', () => {
    const p = pseudonym(secret, 's-0001');
    expect(p).toMatch(/^p-[0-9a-f]{20}$/);
    expect(pseudonym(secret, 's-0001')).toBe(p);
    expect(p).not.toBe('s-0001');
    expect(pseudonym(Buffer.alloc(32, 6), 's-0001')).not.toBe(p);
    expect(pseudonym(secret, 's-0002')).not.toBe(p);
  });

  test('the scrubber replaces exact occurrences of the id (by the pseudonym) and the display name (by [name])', () => {
    const who = identityOf(secret, 's-7', 'Ada L.');
    expect(who.subjectId).toBe(pseudonym(secret, 's-7'));
    expect(who.scrub('by Ada L. (s-7), s-7 again')).toBe(`by ${NAME_PLACEHOLDER} (${who.subjectId}), ${who.subjectId} again`);
    // Only exact occurrences: a first name alone, or another case, stays (a documented limit).
    expect(who.scrub('Ada, ada l.')).toBe('Ada, ada l.');
    expect(scrubJson({ 'Ada L.': ['s-7', 3, null, { x: 'Ada L.' }] }, who.scrub)).toEqual({ [NAME_PLACEHOLDER]: [who.subjectId, 3, null, { x: NAME_PLACEHOLDER }] });
    // With real ids: the id stays, the name still goes; a name equal to the id is the id.
    const real = identityOf(null, 's-7', 'Ada L.');
    expect([real.subjectId, real.scrub('s-7 Ada L.')]).toEqual(['s-7', `s-7 ${NAME_PLACEHOLDER}`]);
    expect(identityOf(null, 'p-1', 'p-1').scrub('p-1')).toBe('p-1');
    // The longer string first: a name holding the id is replaced whole.
    expect(identityOf(secret, 'Ada', 'Ada L.').scrub('Ada L.')).toBe(NAME_PLACEHOLDER);
  });

  test('--real-ids: allowed on loopback with a local store or with the token; refused beyond loopback without it', () => {
    expect(realIdsRefusal({ apiHost: '127.0.0.1' }, '/data/lmdash.sqlite')).toBeNull();
    expect(realIdsRefusal({ apiHost: 'localhost' }, 'postgres://u@127.0.0.1/db')).toBeNull();
    expect(realIdsRefusal({ apiHost: '0.0.0.0' }, '/data/lmdash.sqlite')).toMatch(/LMDASH_API_HOST=0.0.0.0/);
    expect(realIdsRefusal({ apiHost: '127.0.0.1' }, 'postgres://u:pw@db.example.org/db')).toMatch(/db.example.org/);
    expect(realIdsRefusal({ apiHost: '0.0.0.0', apiToken: 'x'.repeat(16) }, 'postgres://u@db.example.org/db')).toBeNull();
  });
});
