/**
 * Reading a tool call's arguments, as the anticipator's signals do: the top-level
 * entries of an arguments object, which of them the model left empty, and every string
 * value a few levels deep.
 */

/** The top-level entries of a tool's arguments; none when they are not an object. */
export function argEntries(args: unknown): [string, unknown][] {
  if (typeof args !== 'object' || args === null || Array.isArray(args)) return [];
  return Object.entries(args);
}

/** An argument the model left empty: null, missing, a blank string or an empty list. */
export function isEmptyArg(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    (typeof value === 'string' && value.trim() === '') ||
    (Array.isArray(value) && value.length === 0)
  );
}

/** The names of the top-level arguments left empty (`"clinic": null`). */
export function emptyArgNames(args: unknown): string[] {
  return argEntries(args)
    .filter(([, value]) => isEmptyArg(value))
    .map(([name]) => name);
}

/** Every string among the arguments, nested in objects and lists up to `maxDepth`. */
export function argStrings(value: unknown, maxDepth = 3, depth = 0): string[] {
  if (depth > maxDepth) return [];
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap((entry) => argStrings(entry, maxDepth, depth + 1));
  if (typeof value === 'object' && value !== null) {
    return Object.values(value).flatMap((entry) => argStrings(entry, maxDepth, depth + 1));
  }
  return [];
}
