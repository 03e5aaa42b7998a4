import { ServerError } from './server-error.js';

/**
 * Deepest nesting of objects and lists a request may carry (a body, tool arguments,
 * metadata). Real tool arguments are a few levels deep; thousands of levels overflowed
 * the stack in `JSON.stringify` and PostgreSQL's jsonb parser (500s, a batch of event
 * rows lost), so they are refused at the edge, naming the field.
 */
export const MAX_NESTING_DEPTH = 32;

/** Segments of the path a refusal names: enough to find the field, not thousands. */
const NAMED_SEGMENTS = 3;

/**
 * The dotted path (its first segments) of the first object or list nested deeper than
 * `maxDepth` below `value`, else null. Walks at most `maxDepth + 1` levels down, so the
 * check itself cannot overflow the stack.
 */
export function findTooDeep(
  value: unknown,
  path = '',
  maxDepth = MAX_NESTING_DEPTH,
): string | null {
  return walk(value, path ? path.split('.') : [], 0, maxDepth);
}

/** Throws `invalid_input` naming the field when `value` is nested deeper than allowed. */
export function assertNestingDepth(value: unknown, path = '', maxDepth = MAX_NESTING_DEPTH): void {
  const field = findTooDeep(value, path, maxDepth);
  if (field !== null) {
    throw ServerError.invalid(field || 'body', `must be nested at most ${maxDepth} levels deep`);
  }
}

function walk(value: unknown, path: string[], depth: number, maxDepth: number): string | null {
  if (typeof value !== 'object' || value === null) return null;
  if (depth > maxDepth) return path.slice(0, NAMED_SEGMENTS).join('.');
  const entries: [string, unknown][] = Array.isArray(value)
    ? value.map((entry, at) => [String(at), entry])
    : Object.entries(value);
  for (const [key, entry] of entries) {
    const found = walk(entry, [...path, key], depth + 1, maxDepth);
    if (found !== null) return found;
  }
  return null;
}
