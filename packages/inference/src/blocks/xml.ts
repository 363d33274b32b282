/**
 * A small, strict, iterative XML parser: enough for Blockly / scratch-blocks workspaces and
 * MakeCode `main.blocks`, with no DOM. Elements and attributes are matched by LOCAL name
 * (`b:block` -> `block`) and namespace declarations are dropped, because the same Blockly
 * grammar appears under different namespaces across VEXcode versions.
 *
 * Supports: elements, attributes (single or double quotes), text, the five predefined entities,
 * numeric character references, CDATA, comments and processing instructions (incl. the XML
 * declaration). A DOCTYPE is rejected: no block editor writes one, and its entity declarations
 * are how XML bombs (entities expanding exponentially) and external entities (reading local
 * files) get in; unknown entities are rejected too, so nothing ever expands beyond the five
 * predefined ones. Everything is iterative: block programs nest one level per `<next>`, so a
 * 10,000-block stack is 20,000 elements deep.
 */

/** A text run (CDATA is merged into text). */
export type XmlText = { kind: 'text'; text: string };

/** An element. `name` is the local name; `attrs` are keyed by local name, in document order. */
export type XmlElement = {
  kind: 'element';
  name: string;
  /** The name as written, including any `prefix:`. */
  qname: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  /** Offset of the `<` that opens the element, for error messages (see `lineColumn`). */
  offset: number;
  /** Offset just past the element's end (`>` of its closing or empty-element tag). */
  end: number;
};

export type XmlNode = XmlElement | XmlText;

/** A syntax error, with where it happened (1-based line and column, 0-based offset). */
export class XmlError extends Error {
  override readonly name = 'XmlError';
  constructor(
    readonly reason: string,
    readonly offset: number,
    readonly line: number,
    readonly column: number,
  ) {
    super(`${reason} at line ${line}, column ${column}`);
  }
}

/** 1-based line and column of `offset` in `text`. Only computed on demand (errors), so parsing stays O(n). */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function localName(qname: string): string {
  const colon = qname.indexOf(':');
  return colon < 0 ? qname : qname.slice(colon + 1);
}

function isNameStart(c: number): boolean {
  return (
    (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c >= 0xc0
  );
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46 || c === 0xb7;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Shows a short, printable excerpt of the text at `at` for error messages. */
function excerpt(text: string, at: number): string {
  const line = text.slice(at, at + 24).split(/\r?\n/)[0];
  return line.length > 0 ? line : text.slice(at, at + 1);
}

/**
 * Parses an XML document and returns its root element. Throws `XmlError` with line and column
 * on any well-formedness problem (mismatched or unclosed tags, bad attributes, unknown entities,
 * text outside the root, ...).
 */
export function parseXml(text: string): XmlElement {
  const err = (reason: string, at: number): XmlError => {
    const { line, column } = lineColumn(text, at);
    return new XmlError(reason, at, line, column);
  };

  const decode = (raw: string, start: number): string => {
    if (raw.indexOf('&') < 0) return raw;
    const parts: string[] = [];
    let last = 0;
    let amp = raw.indexOf('&');
    while (amp >= 0) {
      parts.push(raw.slice(last, amp));
      const semi = raw.indexOf(';', amp);
      if (semi < 0 || semi - amp > 12) throw err(`bare '&' (write &amp;)`, start + amp);
      const ent = raw.slice(amp + 1, semi);
      if (ent.startsWith('#')) {
        const hex = ent[1] === 'x' || ent[1] === 'X';
        const digits = hex ? ent.slice(2) : ent.slice(1);
        const ok = hex ? /^[0-9a-fA-F]+$/.test(digits) : /^[0-9]+$/.test(digits);
        const code = ok ? parseInt(digits, hex ? 16 : 10) : NaN;
        if (!ok || code > 0x10ffff || code === 0 || (code >= 0xd800 && code <= 0xdfff)) {
          throw err(`invalid character reference '&${ent};'`, start + amp);
        }
        parts.push(String.fromCodePoint(code));
      } else {
        const v = PREDEFINED[ent];
        if (v === undefined) throw err(`unknown entity '&${ent};'`, start + amp);
        parts.push(v);
      }
      last = semi + 1;
      amp = raw.indexOf('&', last);
    }
    parts.push(raw.slice(last));
    return parts.join('');
  };

  const n = text.length;
  let i = 0;
  // Skip a byte-order mark.
  if (text.charCodeAt(0) === 0xfeff) i = 1;
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;

  const addText = (s: string) => {
    const top = stack[stack.length - 1];
    const last = top.children[top.children.length - 1];
    if (last !== undefined && last.kind === 'text') last.text += s;
    else top.children.push({ kind: 'text', text: s });
  };

  while (i < n) {
    const lt = text.indexOf('<', i);
    // Text before the next tag.
    const textEnd = lt < 0 ? n : lt;
    if (textEnd > i) {
      const raw = text.slice(i, textEnd);
      if (stack.length === 0) {
        if (!/^\s*$/.test(raw)) {
          let at = i;
          while (isSpace(text.charCodeAt(at))) at++;
          throw err(
            root ? `unexpected text '${excerpt(text, at)}' after the root element` : `unexpected text '${excerpt(text, at)}' before the root element`,
            at,
          );
        }
      } else {
        const gt = raw.indexOf(']]>');
        if (gt >= 0) throw err(`']]>' is not allowed in text`, i + gt);
        addText(decode(raw, i));
      }
    }
    if (lt < 0) break;
    i = lt;
    const c1 = text.charCodeAt(i + 1);

    if (c1 === 33 /* ! */) {
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) throw err('unterminated comment (no -->)', i);
        i = end + 3;
        continue;
      }
      if (text.startsWith('<![CDATA[', i)) {
        if (stack.length === 0) throw err('CDATA outside the root element', i);
        const end = text.indexOf(']]>', i + 9);
        if (end < 0) throw err('unterminated CDATA section (no ]]>)', i);
        addText(text.slice(i + 9, end));
        i = end + 3;
        continue;
      }
      if (text.startsWith('<!DOCTYPE', i)) {
        throw err('a DOCTYPE is not allowed (block workspaces never declare one; its entity declarations could expand without bound or read local files)', i);
      }
      throw err(`unexpected '${excerpt(text, i)}'`, i);
    }
    if (c1 === 63 /* ? */) {
      const end = text.indexOf('?>', i + 2);
      if (end < 0) throw err('unterminated processing instruction (no ?>)', i);
      i = end + 2;
      continue;
    }

    if (c1 === 47 /* / */) {
      // Closing tag.
      let j = i + 2;
      const nameStart = j;
      while (j < n && isNameChar(text.charCodeAt(j))) j++;
      const qname = text.slice(nameStart, j);
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== 62) throw err(`malformed closing tag '${excerpt(text, i)}'`, i);
      const top = stack.pop();
      if (!top) throw err(`closing tag </${qname}> with no open element`, i);
      else if (top.qname !== qname) {
        const open = lineColumn(text, top.offset);
        throw err(
          `expected </${top.qname}> (opened at line ${open.line}, column ${open.column}) but found </${qname}>`,
          i,
        );
      } else top.end = j + 1;
      i = j + 1;
      continue;
    }

    // Opening or empty-element tag.
    if (!isNameStart(c1)) throw err(`unexpected '${excerpt(text, i)}'`, i);
    if (stack.length === 0 && root) throw err(`a second root element '${excerpt(text, i)}'`, i);
    let j = i + 1;
    while (j < n && isNameChar(text.charCodeAt(j))) j++;
    const qname = text.slice(i + 1, j);
    const el: XmlElement = { kind: 'element', name: localName(qname), qname, attrs: {}, children: [], offset: i, end: -1 };
    const seen = new Set<string>();
    let selfClosing = false;
    for (;;) {
      const before = j;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (j >= n) throw err(`unterminated tag <${qname}>`, i);
      const c = text.charCodeAt(j);
      if (c === 62) {
        j++;
        break;
      }
      if (c === 47) {
        if (text.charCodeAt(j + 1) !== 62) throw err(`expected '/>' in tag <${qname}>`, j);
        selfClosing = true;
        j += 2;
        break;
      }
      if (!isNameStart(c)) throw err(`unexpected '${text[j]}' in tag <${qname}>`, j);
      if (j === before) throw err(`missing space before attribute in tag <${qname}>`, j);
      const aStart = j;
      while (j < n && isNameChar(text.charCodeAt(j))) j++;
      const aq = text.slice(aStart, j);
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) !== 61) throw err(`attribute '${aq}' has no value (expected '=')`, j);
      j++;
      while (j < n && isSpace(text.charCodeAt(j))) j++;
      const q = text.charCodeAt(j);
      if (q !== 34 && q !== 39) throw err(`attribute '${aq}' value must be quoted`, j);
      const vEnd = text.indexOf(q === 34 ? '"' : "'", j + 1);
      if (vEnd < 0) throw err(`unterminated value of attribute '${aq}'`, j);
      const raw = text.slice(j + 1, vEnd);
      const ltIn = raw.indexOf('<');
      if (ltIn >= 0) throw err(`'<' is not allowed in the value of attribute '${aq}'`, j + 1 + ltIn);
      if (seen.has(aq)) throw err(`duplicate attribute '${aq}'`, aStart);
      seen.add(aq);
      // Namespace declarations are dropped: we match by local name only.
      if (aq !== 'xmlns' && !aq.startsWith('xmlns:')) el.attrs[localName(aq)] = decode(raw, j + 1);
      j = vEnd + 1;
    }
    if (stack.length > 0) stack[stack.length - 1].children.push(el);
    else root = el;
    if (selfClosing) el.end = j;
    else stack.push(el);
    i = j;
  }

  if (stack.length > 0) {
    const top = stack[stack.length - 1];
    const open = lineColumn(text, top.offset);
    throw err(`element <${top.qname}> opened at line ${open.line}, column ${open.column} is never closed`, n);
  }
  if (!root) throw err('no root element', n);
  return root;
}

/** Child elements of `el`, optionally only those with local name `name`. */
export function childElements(el: XmlElement, name?: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of el.children) if (c.kind === 'element' && (name === undefined || c.name === name)) out.push(c);
  return out;
}

/** The concatenated direct text of `el` (CDATA included, nested elements ignored). */
export function directText(el: XmlElement): string {
  let s = '';
  for (const c of el.children) if (c.kind === 'text') s += c.text;
  return s;
}
