import { describe, expect, test } from 'bun:test';
import { looksLikeBlocks, parseServerTime, sourceIdOf } from './importLog.ts';

const utc = Date.UTC(2016, 1, 5, 19, 46);

describe('reading ProgSnap2 rows', () => {
  test('ServerTimestamp with ServerTimezone: an offset in the timestamp wins; else the zone; nothing means UTC (and says so)', () => {
    expect(parseServerTime('2016-02-05T19:46:00', '')).toEqual({ ms: utc, assumedUtc: true });
    expect(parseServerTime('2016-02-05T19:46:00', '0')).toEqual({ ms: utc, assumedUtc: false });
    expect(parseServerTime('2016-02-05 19:46:00', 'UTC')).toEqual({ ms: utc, assumedUtc: false });
    expect(parseServerTime('2016-02-05T19:46:00.250Z', '-0500')).toEqual({ ms: utc + 250, assumedUtc: false });
    expect(parseServerTime('2016-02-05T14:46:00', '-05:00')?.ms).toBe(utc);
    expect(parseServerTime('2016-02-05T14:46:00', '-0500')?.ms).toBe(utc);
    expect(parseServerTime('2016-02-05T14:46:00', '-5')?.ms).toBe(utc);
    expect(parseServerTime('2016-02-05T14:46:00', '-300')?.ms).toBe(utc);
    expect(parseServerTime('2016-02-05T14:46:00', 'America/New_York')?.ms).toBe(utc);
    expect(parseServerTime('2016-07-05T15:46:00', 'America/New_York')?.ms).toBe(Date.UTC(2016, 6, 5, 19, 46));
    expect(parseServerTime('Feb 5', '')).toBeNull();
    expect(parseServerTime('2016-02-05T14:46:00', 'Nowhere/Atlantis')).toBeNull();
  });

  test('event ids: integers as numbers, anything else as the string', () => {
    expect(sourceIdOf('42')).toBe(42);
    expect(sourceIdOf('042')).toBe('042');
    expect(sourceIdOf('f48cba25')).toBe('f48cba25');
    expect(sourceIdOf('99999999999999999999')).toBe('99999999999999999999');
  });

  test('block programs are told from other code', () => {
    expect(looksLikeBlocks('{"mode":"Blocks","workspace":"<xml/>"}')).toBe(true);
    expect(looksLikeBlocks('  <xml xmlns="x"></xml>')).toBe(true);
    expect(looksLikeBlocks('def f(n):\n    return n')).toBe(false);
  });
});
