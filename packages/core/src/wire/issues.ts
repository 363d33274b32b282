/**
 * The one way LM Dashboard words a failed validation: `a.b: message; c: message`, the path of
 * each issue first. Structural, so callers without zod of their own (the daemon's source client)
 * pass zod's issues as they are.
 */

/** A validation issue as far as a message needs it (zod's issues fit). */
export type IssueLike = { readonly path: readonly PropertyKey[]; readonly message: string };

export type FormatIssuesOptions = {
  /** What to call the value itself, for an issue with an empty path. Default `(body)`. */
  whole?: string;
  /** List at most this many issues, then `(+N more)`; for log lines. Default all. */
  max?: number;
};

/**
 * @example formatIssues(EventsPage.safeParse(json).error!.issues, { max: 3 }) // 'count: Invalid input: expected number, received string'
 */
export function formatIssues(issues: readonly IssueLike[], options: FormatIssuesOptions = {}): string {
  const whole = options.whole ?? '(body)';
  const max = options.max ?? Infinity;
  const shown = issues.slice(0, max).map((i) => `${i.path.map(String).join('.') || whole}: ${i.message}`);
  return shown.join('; ') + (issues.length > max ? ` (+${issues.length - max} more)` : '');
}
