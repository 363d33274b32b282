/**
 * A producer's body checked before `JSON.parse` sees it: one pass over the raw bytes, a loop and a
 * few counters (nothing recursive, nothing allocated per byte), so hostile input costs time
 * linear in its size however it is shaped. It checks what `JSON.parse` would not refuse but
 * that hurts later: nesting depth (parsing, serialising and rendering recurse), the number of
 * object keys plus array items, invalid UTF-8 (a decoder would silently store U+FFFD), and lone
 * UTF-16 surrogates written as `\uD800`-style escapes (unpaired, they are not text). It is not a
 * JSON validator: `JSON.parse` still decides the syntax afterwards.
 */

export type ScanLimits = {
  /** Deepest nesting of arrays and objects (`{"type":"x"}` is 1). */
  maxDepth: number;
  /** Most object keys plus array items, over the whole body. */
  maxKeys: number;
};

export type ScanProblem = { kind: 'depth' | 'keys' | 'utf8' | 'surrogate'; offset: number; message: string };
export type ScanResult = { ok: true; depth: number; keys: number } | ({ ok: false } & ScanProblem);

const hex = (b: number): number => (b >= 0x30 && b <= 0x39 ? b - 0x30 : b >= 0x61 && b <= 0x66 ? b - 0x57 : b >= 0x41 && b <= 0x46 ? b - 0x37 : -1);

/** The 4 hex digits after `\u` at `at` as a UTF-16 code unit, or -1 when they are not hex (JSON.parse refuses those). */
function escapeUnit(bytes: Uint8Array, at: number): number {
  if (at + 4 > bytes.length) return -1;
  let v = 0;
  for (let k = 0; k < 4; k++) {
    const h = hex(bytes[at + k]!);
    if (h < 0) return -1;
    v = v * 16 + h;
  }
  return v;
}

/**
 * The length of the well-formed UTF-8 sequence starting at `i` (its first byte is >= 0x80), or 0
 * when it is not one: a stray continuation byte, an overlong form, a UTF-16 surrogate
 * (ED A0..BF), beyond U+10FFFF, or cut short (RFC 3629, table 3-7 of Unicode).
 */
export function utf8Length(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => i + k < bytes.length && bytes[i + k]! >= lo && bytes[i + k]! <= hi;
  if (b >= 0xc2 && b <= 0xdf) return cont(1) ? 2 : 0;
  if (b === 0xe0) return cont(1, 0xa0) && cont(2) ? 3 : 0;
  if ((b >= 0xe1 && b <= 0xec) || b === 0xee || b === 0xef) return cont(1) && cont(2) ? 3 : 0;
  if (b === 0xed) return cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
  if (b === 0xf0) return cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
  if (b >= 0xf1 && b <= 0xf3) return cont(1) && cont(2) && cont(3) ? 4 : 0;
  if (b === 0xf4) return cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
  return 0;
}

/**
 * Scans `bytes` once and stops at the first bound crossed or the first bad text.
 * @example scanJson(new TextEncoder().encode('{"a":[1,2]}'), { maxDepth: 64, maxKeys: 100 }) // { ok: true, depth: 2, keys: 3 }
 */
export function scanJson(bytes: Uint8Array, limits: ScanLimits): ScanResult {
  let depth = 0;
  let maxSeen = 0;
  let keys = 0;
  let inString = false;
  /** Right after `[` or `{`: the next token, unless it closes the container, is its first entry. */
  let first = false;
  /** Offset of a `\uD800`-style high surrogate escape waiting for its low half, or -1. */
  let high = -1;
  const fail = (kind: ScanProblem['kind'], offset: number, message: string): ScanResult => ({ ok: false, kind, offset, message });
  const tooMany = (offset: number) => fail('keys', offset, `more than ${limits.maxKeys} object keys and array items (LMDASH_PUBLISH_MAX_KEYS)`);
  const loneHigh = (offset: number) => fail('surrogate', offset, `lone UTF-16 surrogate escape at byte offset ${offset} (a \\uD800-\\uDBFF escape must be followed by a \\uDC00-\\uDFFF one)`);

  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    if (b >= 0x80) {
      const n = utf8Length(bytes, i);
      if (n === 0) return fail('utf8', i, `invalid UTF-8 at byte offset ${i} (byte 0x${b.toString(16).padStart(2, '0')})`);
      if (high >= 0) return loneHigh(high);
      if (!inString && first) {
        first = false; // not JSON; counted like any token, JSON.parse refuses it
        if (++keys > limits.maxKeys) return tooMany(i);
      }
      i += n;
      continue;
    }
    if (inString) {
      if (b === 0x5c /* \ */) {
        if (bytes[i + 1] === 0x75 /* u */) {
          const unit = escapeUnit(bytes, i + 2);
          if (unit >= 0xdc00 && unit <= 0xdfff) {
            if (high < 0) return fail('surrogate', i, `lone UTF-16 surrogate escape at byte offset ${i} (a \\uDC00-\\uDFFF escape must follow a \\uD800-\\uDBFF one)`);
            high = -1;
          } else {
            if (high >= 0) return loneHigh(high);
            if (unit >= 0xd800 && unit <= 0xdbff) high = i;
          }
          i += 6;
          continue;
        }
        if (high >= 0) return loneHigh(high);
        i += 2; // any other escape is two bytes; JSON.parse judges it
        continue;
      }
      if (high >= 0) return loneHigh(high);
      if (b === 0x22 /* " */) inString = false;
      i++;
      continue;
    }
    if (b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09) {
      i++;
      continue;
    }
    if (first) {
      first = false;
      if (b !== 0x5d /* ] */ && b !== 0x7d /* } */ && ++keys > limits.maxKeys) return tooMany(i);
    }
    if (b === 0x22) inString = true;
    else if (b === 0x5b /* [ */ || b === 0x7b /* { */) {
      if (++depth > limits.maxDepth) return fail('depth', i, `nested deeper than ${limits.maxDepth} arrays and objects (LMDASH_PUBLISH_MAX_DEPTH) at byte offset ${i}`);
      if (depth > maxSeen) maxSeen = depth;
      first = true;
    } else if (b === 0x5d || b === 0x7d) {
      if (depth > 0) depth--;
    } else if (b === 0x2c /* , */ && depth > 0 && ++keys > limits.maxKeys) return tooMany(i);
    i++;
  }
  if (high >= 0) return loneHigh(high);
  return { ok: true, depth: maxSeen, keys };
}
