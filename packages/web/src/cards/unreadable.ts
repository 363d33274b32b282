/**
 * The card's line for a latest run that could not be analysed: a short reason a teacher can
 * read at a glance; the full parse error goes in its title.
 */

/** `@lmdash/inference` starts the message of a program over a size bound with this. */
const TOO_LARGE = 'program too large:';

/**
 * @example unreadableLabel('program too large: 1,912,345 bytes (limit …)') // "last program too large to analyse"
 */
export function unreadableLabel(parseError: string | null | undefined): string | null {
  if (parseError == null) return null;
  return parseError.startsWith(TOO_LARGE) ? 'last program too large to analyse' : 'last program could not be read';
}
