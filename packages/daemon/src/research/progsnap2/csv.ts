/**
 * CSV as the ProgSnap2 files are written (RFC 4180: a field is quoted when it holds a comma, a
 * quote or a line break, a quote doubled inside) and read back: a file is read a chunk at a time
 * through `@lmdash/inference`'s `CsvParser` (the one CSV reader of the repository), so a table
 * bigger than memory can be checked or imported row by row. Files are written through a buffer
 * flushed every megabyte.
 */
import { CsvParser } from '@lmdash/inference';
import { closeSync, openSync, readSync, writeSync } from 'node:fs';

const NEEDS_QUOTES = /[",\r\n]/;

/** One field, quoted when it must be. */
export function csvField(value: string): string {
  return NEEDS_QUOTES.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One record, with its line break. */
export function csvLine(fields: readonly string[]): string {
  let s = '';
  for (let i = 0; i < fields.length; i++) s += (i === 0 ? '' : ',') + csvField(fields[i]!);
  return s + '\n';
}

/** A file written record by record through a bounded buffer. */
export class CsvWriter {
  private fd: number;
  private buffer = '';
  /** Bytes written so far (UTF-8), the buffer included. */
  bytes = 0;

  constructor(
    readonly path: string,
    private readonly flushAt = 1 << 20,
  ) {
    this.fd = openSync(path, 'wx', 0o600);
  }

  write(fields: readonly string[]): void {
    const line = csvLine(fields);
    this.buffer += line;
    this.bytes += Buffer.byteLength(line);
    if (this.buffer.length >= this.flushAt) this.flush();
  }

  private flush(): void {
    if (this.buffer.length > 0) writeSync(this.fd, this.buffer);
    this.buffer = '';
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/**
 * Reads a CSV file record by record (the header included, as the first), a megabyte at a time:
 * memory holds one chunk and the records it completes, never the file. `onRecord` returns false
 * to stop early.
 */
export function readCsvFile(path: string, onRecord: (fields: string[], index: number) => boolean | void, chunkBytes = 1 << 20): number {
  const fd = openSync(path, 'r');
  const parser = new CsvParser();
  const decoder = new TextDecoder('utf-8');
  const chunk = Buffer.allocUnsafe(chunkBytes);
  let index = 0;
  let first = true;
  try {
    const feed = (rows: string[][]): boolean => {
      for (const r of rows) if (onRecord(r, index++) === false) return false;
      return true;
    };
    for (;;) {
      const n = readSync(fd, chunk, 0, chunkBytes, null);
      if (n === 0) break;
      let text = decoder.decode(chunk.subarray(0, n), { stream: true });
      // A byte-order mark is not part of the first field.
      if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
      if (!feed(parser.push(text))) return index;
    }
    feed([...parser.push(decoder.decode()), ...parser.end()]);
    return index;
  } finally {
    closeSync(fd);
  }
}
