/**
 * The one error type block extraction throws. Malformed input never yields a partial tree:
 * callers either get a complete canonical tree or an `AstError` whose message says what is
 * wrong and where, in words a researcher can act on.
 */

export type AstErrorCode =
  /** The input is not a string or a plain object. */
  | 'bad-input'
  /** The string is empty or only whitespace. */
  | 'empty'
  /** The text contains unresolved git merge-conflict markers (`<<<<<<<`, `=======`, `>>>>>>>`). */
  | 'merge-conflict'
  /** The text starts with `{` but is not valid JSON. */
  | 'not-json'
  /** The XML (bare, or a VEXcode project's `workspace`) is not well formed. */
  | 'bad-xml'
  /** A VEXcode project file without a usable `workspace` XML string. */
  | 'no-workspace'
  /** Valid JSON/XML, but not a block-program format we know (e.g. metadata, Scratch 2, Snap!). */
  | 'unknown-format'
  /** A known format whose structure is broken (missing block type, dangling or cyclic links, ...). */
  | 'bad-structure'
  /** Over a size bound (`ProgramLimits`: bytes, canonical nodes or depth); `bound` says which. */
  | 'too-large'
  /** A bug: something unexpected went wrong; the original error is the `cause`. */
  | 'internal';

export class AstError extends Error {
  override readonly name = 'AstError';
  readonly code: AstErrorCode;
  /** Character offset in the input text (or in the workspace XML, see `path`), when known. */
  readonly offset?: number;
  /** Where in the input the problem is, e.g. `workspace` or `targets[1].blocks["a1"]`. */
  readonly path?: string;
  /** For `too-large`: the bound the program is over. */
  readonly bound?: 'maxBytes' | 'maxNodes' | 'maxDepth';

  constructor(code: AstErrorCode, message: string, opts: { offset?: number; path?: string; cause?: unknown; bound?: 'maxBytes' | 'maxNodes' | 'maxDepth' } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.code = code;
    if (opts.offset !== undefined) this.offset = opts.offset;
    if (opts.path !== undefined) this.path = opts.path;
    if (opts.bound !== undefined) this.bound = opts.bound;
  }
}
