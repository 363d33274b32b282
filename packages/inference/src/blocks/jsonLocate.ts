/**
 * Finds where JSON text first goes wrong. `JSON.parse` messages differ between engines and
 * often give no position (JavaScriptCore), so this small iterative scanner re-reads invalid
 * text to tell a researcher what and where ("unexpected end of input at line 1, column 125000").
 */

export type JsonProblem = { offset: number; reason: string };

// Scanner states (plain constants rather than an enum, to stay erasable syntax).
const S = { Value: 0, ValueOrClose: 1, Key: 2, KeyOrClose: 3, Colon: 4, After: 5 } as const;
type State = (typeof S)[keyof typeof S];

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

function shown(text: string, i: number): string {
  return i >= text.length ? 'end of input' : `'${text.slice(i, i + 12).split(/\r?\n/)[0] || text[i]}'`;
}

/** The first syntax problem in `text`, or null if it is valid JSON. */
export function locateJsonError(text: string): JsonProblem | null {
  const n = text.length;
  const stack: number[] = []; // 123 '{' or 91 '['
  let state: State = S.Value;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const skip = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 32 || c === 9 || c === 10 || c === 13) i++;
      else break;
    }
  };
  // Scans a string starting at the opening quote; returns a problem or null.
  const str = (): JsonProblem | null => {
    const start = i;
    i++;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 34) {
        i++;
        return null;
      }
      if (c < 0x20) return { offset: i, reason: 'unescaped control character (e.g. a raw newline) in a string' };
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { offset: i, reason: 'bad \\u escape in a string' };
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else return { offset: i, reason: `bad escape '\\${e ?? ''}' in a string` };
      } else i++;
    }
    return { offset: start, reason: 'unterminated string' };
  };

  for (;;) {
    skip();
    if (state === S.After && stack.length === 0) {
      return i < n ? { offset: i, reason: `unexpected ${shown(text, i)} after the end of the JSON value` } : null;
    }
    if (i >= n) return { offset: n, reason: 'unexpected end of input (the file looks truncated)' };
    const c = text.charCodeAt(i);
    // An empty array or object may close right away; otherwise a value or key must follow.
    if (state === S.ValueOrClose || state === S.KeyOrClose) {
      if (c === (state === S.ValueOrClose ? 93 : 125)) {
        stack.pop();
        i++;
        state = S.After;
        continue;
      }
      state = state === S.ValueOrClose ? S.Value : S.Key;
    }
    switch (state) {
      case S.Value:
        if (c === 123) {
          stack.push(123);
          i++;
          state = S.KeyOrClose;
        } else if (c === 91) {
          stack.push(91);
          i++;
          state = S.ValueOrClose;
        } else if (c === 34) {
          const p = str();
          if (p) return p;
          state = S.After;
        } else if (c === 45 || (c >= 48 && c <= 57)) {
          NUMBER.lastIndex = i;
          const m = NUMBER.exec(text);
          if (!m || m[0] === '-') return { offset: i, reason: `bad number ${shown(text, i)}` };
          i += m[0].length;
          state = S.After;
        } else if (text.startsWith('true', i) || text.startsWith('null', i)) {
          i += 4;
          state = S.After;
        } else if (text.startsWith('false', i)) {
          i += 5;
          state = S.After;
        } else return { offset: i, reason: `unexpected ${shown(text, i)} where a value was expected` };
        break;
      case S.Key: {
        if (c !== 34) {
          return { offset: i, reason: `expected a quoted property name, found ${shown(text, i)}` };
        }
        const p = str();
        if (p) return p;
        state = S.Colon;
        break;
      }
      case S.Colon:
        if (c !== 58) return { offset: i, reason: `expected ':' after a property name, found ${shown(text, i)}` };
        i++;
        state = S.Value;
        break;
      case S.After: {
        const top = stack[stack.length - 1];
        if (c === 44) {
          i++;
          state = top === 123 ? S.Key : S.Value;
        } else if ((c === 125 && top === 123) || (c === 93 && top === 91)) {
          stack.pop();
          i++;
        } else {
          const want = top === 123 ? "',' or '}'" : "',' or ']'";
          return { offset: i, reason: `expected ${want}, found ${shown(text, i)}` };
        }
        break;
      }
    }
  }
}
