/**
 * A producer's body, from the wire to a JSON value, bounded at every step before the next one
 * runs: bytes (counted as they arrive, whatever Content-Length says), then `scanJson` (depth,
 * keys and items, UTF-8, surrogates), and only then `JSON.parse`, which can no longer be made to
 * recurse deeply or to swallow bad text.
 */
import { ApiError, badRequest } from '../errors.ts';
import { scanJson, type ScanLimits } from './jsonScan.ts';

export type ProducerLimits = ScanLimits & { maxBytes: number };

const tooLarge = (max: number) => new ApiError(413, `body too large: at most ${max} bytes (LMDASH_PUBLISH_MAX_BYTES)`);

/** The body's bytes; 413 as soon as more than `maxBytes` have been announced or received. */
export async function readBoundedBytes(req: Request, maxBytes: number): Promise<Uint8Array> {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) throw tooLarge(maxBytes);
  if (!req.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => {});
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) (out.set(c, at), (at += c.byteLength));
  return out;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The JSON value of a body already within `maxBytes`: 400 naming the bound or the offset at fault. */
export function parseBoundedJson(bytes: Uint8Array, limits: ScanLimits): unknown {
  const scan = scanJson(bytes, limits);
  if (!scan.ok) throw badRequest(scan.message);
  const text = utf8.decode(bytes);
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest('body is not valid JSON');
  }
}

/** Reads and parses a producer's body within `limits`. */
export async function producerJson(req: Request, limits: ProducerLimits): Promise<unknown> {
  return parseBoundedJson(await readBoundedBytes(req, limits.maxBytes), limits);
}
