/**
 * Hostile producer events for `POST /publish`, as raw bodies (text or bytes, since some are not
 * valid UTF-8), shared by the API's tests and `scripts/robustness.ts`. Each generator builds its
 * body in linear time without recursion, whatever the depth or size asked for.
 */

const utf8 = new TextEncoder();

/** An event nested exactly `depth` deep: the object is level 1, then arrays (`[[[]]]`). */
export function deepEvent(depth: number): string {
  const arrays = Math.max(0, depth - 1);
  return `{"type":"deep","x":${'['.repeat(arrays)}${']'.repeat(arrays)}}`.replace('"x":}', '"x":null}');
}

/** An event with exactly `keys` object keys plus array items: `type`, `xs` and `keys - 2` zeros. */
export function wideEvent(keys: number): string {
  const items = Math.max(0, keys - 2);
  return `{"type":"wide","xs":[${items > 0 ? '0' + ',0'.repeat(items - 1) : ''}]}`;
}

/** A `note` of `bytes` UTF-8 bytes or just under, most of it 4-byte emoji (2 UTF-16 units, 1 code point each). */
export function emojiEvent(bytes: number, name = 'emoji', type = 'emoji'): string {
  const head = `{"type":${JSON.stringify(type)},"name":${JSON.stringify(name)},"text":"`;
  const room = bytes - utf8.encode(head).byteLength - 2;
  return `${head}${'😀'.repeat(Math.max(0, Math.floor(room / 4)))}${'x'.repeat(Math.max(0, room % 4))}"}`;
}

/**
 * Enough emoji events of `eachBytes` to fill `totalBytes` of kept history: distinct names (each is
 * kept, being the latest of its name) spread over `types` types (each type has its own bound).
 */
export function emojiFlood(totalBytes: number, eachBytes: number, types = 4): string[] {
  const n = Math.ceil(totalBytes / eachBytes) + types;
  return Array.from({ length: n }, (_, i) => emojiEvent(eachBytes, `e${i}`, `emoji-${i % types}`));
}

/** Bodies with a byte that is not UTF-8 at `offset` (one per kind of fault). */
export function invalidUtf8Bodies(): { name: string; body: Uint8Array; offset: number }[] {
  const at = (bad: number[]) => {
    const head = utf8.encode('{"type":"note","text":"ab');
    const body = new Uint8Array([...head, ...bad, ...utf8.encode('cd"}')]);
    return { body, offset: head.byteLength };
  };
  return [
    { name: 'stray continuation byte', ...at([0x80]) },
    { name: 'byte 0xFF', ...at([0xff]) },
    { name: 'overlong slash (C0 AF)', ...at([0xc0, 0xaf]) },
    { name: 'raw surrogate (CESU-8 ED A0 80)', ...at([0xed, 0xa0, 0x80]) },
    { name: 'beyond U+10FFFF (F4 90 80 80)', ...at([0xf4, 0x90, 0x80, 0x80]) },
    { name: 'cut-short sequence (E2 82 then ASCII)', ...at([0xe2, 0x82]) },
  ];
}

/** Bodies with an unpaired UTF-16 surrogate written as a JSON escape; `offset` is the escape's backslash. */
export function loneSurrogateBodies(): { name: string; body: string; offset: number }[] {
  const at = (escapes: string, extra = 0) => {
    const head = '{"type":"note","text":"ab';
    return { body: `${head}${escapes}cd"}`, offset: head.length + extra };
  };
  return [
    { name: 'lone high \\uD800', ...at('\\uD800') },
    { name: 'lone low \\uDC00', ...at('\\udc00') },
    { name: 'high then a non-surrogate escape', ...at('\\uD83D\\u0041') },
    { name: 'low before high', ...at('\\uDE00\\uD83D') },
    { name: 'high at the end of the string', body: '{"type":"note","text":"\\uDBFF"}', offset: '{"type":"note","text":"'.length },
  ];
}

/** Every hostile body `scripts/robustness.ts` throws at `/publish`, with the status the API should answer. */
export function hostileProducerEvents(o: { maxBytes?: number; maxDepth?: number; maxKeys?: number } = {}): { name: string; body: string | Uint8Array; status: number }[] {
  const maxBytes = o.maxBytes ?? 256 * 1024;
  const maxDepth = o.maxDepth ?? 64;
  const maxKeys = o.maxKeys ?? 100_000;
  return [
    { name: 'array 40,000 deep (80 KB)', body: deepEvent(40_000), status: 400 },
    { name: `depth ${maxDepth}`, body: deepEvent(maxDepth), status: 200 },
    { name: `depth ${maxDepth + 1}`, body: deepEvent(maxDepth + 1), status: 400 },
    { name: `${maxKeys + 1} items`, body: wideEvent(maxKeys + 1), status: 400 },
    { name: `emoji event of ${maxBytes} bytes`, body: emojiEvent(maxBytes), status: 200 },
    { name: `emoji event of ${maxBytes + 4} bytes`, body: emojiEvent(maxBytes + 4), status: 413 },
    ...invalidUtf8Bodies().map((b) => ({ name: `invalid UTF-8: ${b.name}`, body: b.body, status: 400 })),
    ...loneSurrogateBodies().map((b) => ({ name: `lone surrogate: ${b.name}`, body: b.body, status: 400 })),
    { name: 'not JSON', body: '{"type":', status: 400 },
    { name: 'a JSON array', body: '[1,2,3]', status: 400 },
  ];
}
