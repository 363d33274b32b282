/**
 * O(n) in the text. CSV as RFC 4180 writes it, for the manifests of program collections
 * (`shared/data/blocks/manifest.csv`) and ProgSnap2 tables: fields separated by commas; a quoted
 * field may hold commas, line breaks and `""` for a quote; a CR outside quotes is dropped (CRLF
 * files). One state machine, fed whole (`parseCsv`) or a chunk at a time (`CsvParser`, for files
 * too big to hold).
 */

/**
 * The CSV reader fed in chunks of any size (a quoted field or a `""` may straddle two chunks):
 * `push` returns the rows each chunk completed, `end` the last one.
 * @example const p = new CsvParser(); const rows = [...p.push('a,"b\n'), ...p.push('c"\n'), ...p.end()]; // [['a', 'b\nc']]
 */
export class CsvParser {
  private row: string[] = [];
  private field = '';
  private quoted = false;
  /** A quote seen at the end of a chunk inside a quoted field: a closing quote or the first of `""`. */
  private pendingQuote = false;

  push(text: string): string[][] {
    const rows: string[][] = [];
    let i = 0;
    if (this.pendingQuote) {
      this.pendingQuote = false;
      if (text[0] === '"') (this.field += '"'), (i = 1);
      else this.quoted = false;
    }
    // Runs of ordinary characters are sliced, not appended one by one.
    let start = i;
    for (; i < text.length; i++) {
      const c = text[i];
      if (this.quoted) {
        if (c !== '"') continue;
        this.field += text.slice(start, i);
        if (i + 1 === text.length) {
          this.pendingQuote = true;
          start = i + 1;
        } else if (text[i + 1] === '"') {
          this.field += '"';
          i++;
          start = i + 1;
        } else {
          this.quoted = false;
          start = i + 1;
        }
      } else if (c === '"' || c === ',' || c === '\n' || c === '\r') {
        this.field += text.slice(start, i);
        start = i + 1;
        if (c === '"') this.quoted = true;
        else if (c === ',') this.row.push(this.field), (this.field = '');
        else if (c === '\n') this.row.push(this.field), rows.push(this.row), (this.row = []), (this.field = '');
      }
    }
    this.field += text.slice(start, i);
    return rows;
  }

  /** The last row, when the text did not end with a line break. */
  end(): string[][] {
    this.pendingQuote = false;
    this.quoted = false;
    if (!this.field && this.row.length === 0) return [];
    this.row.push(this.field);
    const last = this.row;
    this.row = [];
    this.field = '';
    return [last];
  }
}

/**
 * The rows of a CSV text, each an array of fields. No header handling; a final line break adds
 * no empty row.
 * @example parseCsv('file,author_date\n"a, b.v5blocks",2024-01-02\n') // [['file', 'author_date'], ['a, b.v5blocks', '2024-01-02']]
 */
export function parseCsv(text: string): string[][] {
  const p = new CsvParser();
  return [...p.push(text), ...p.end()];
}
