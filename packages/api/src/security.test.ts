import { describe, expect, test } from 'bun:test';
import { isLoopbackAddress, sameSecret } from './security.ts';

describe('isLoopbackAddress', () => {
  test('127.0.0.0/8, ::1 and IPv4-mapped 127.x are loopback', () => {
    for (const a of ['127.0.0.1', '127.255.0.9', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::FFFF:127.1.2.3']) expect({ a, loopback: isLoopbackAddress(a) }).toEqual({ a, loopback: true });
  });
  test('anything else is not', () => {
    for (const a of [undefined, '', '10.0.0.1', '0.0.0.0', '128.0.0.1', '::ffff:10.0.0.1', '::', 'fe80::1', '127.0.0.1.evil', 'localhost', '1127.0.0.1']) {
      expect({ a, loopback: isLoopbackAddress(a) }).toEqual({ a, loopback: false });
    }
  });
});

describe('sameSecret', () => {
  test('equal strings only, whatever the lengths', () => {
    expect(sameSecret('a-long-enough-secret', 'a-long-enough-secret')).toBe(true);
    expect(sameSecret('a-long-enough-secreT', 'a-long-enough-secret')).toBe(false);
    expect(sameSecret('', 'a-long-enough-secret')).toBe(false);
    expect(sameSecret('a-long-enough-secret-and-more', 'a-long-enough-secret')).toBe(false);
  });
});
