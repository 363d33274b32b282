/**
 * A model as JSON text people can read and diff: two-space indentation, each row of
 * probabilities (and each list of names) on one line. O(size of the model).
 */

/** `JSON.stringify(model, null, 2)` with every innermost array on one line, and a final newline. */
export function modelJson(model: unknown): string {
  return JSON.stringify(model, null, 2).replace(/\[\s+([^[\]{}]*?)\s+\]/g, (_, inner: string) => `[${inner.replace(/\s*\n\s*/g, ' ')}]`) + '\n';
}
