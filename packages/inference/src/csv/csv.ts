/**
 * O(n) in the text. CSV as RFC 4180 writes it, for the manifests of program collections
 * (`shared/data/blocks/manifest.csv`): fields separated by commas; a quoted field may hold
 * commas, line breaks and `""` for a quote; a CR outside quotes is dropped (CRLF files).
 */

/**
 * The rows of a CSV text, each an array of fields. No header handling; a final line break adds
 * no empty row.
 * @example parseCsv('file,author_date\n"a, b.v5blocks",2024-01-02\n') // [['file', 'author_date'], ['a, b.v5blocks', '2024-01-02']]
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n') row.push(field), rows.push(row), (row = []), (field = '');
    else if (c !== '\r') field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}
