import { ServerError } from './server-error.js';

// PostgreSQL text cannot hold U+0000, and jsonb refuses a lone UTF-16 surrogate: both
// would fail deep in the store as a database error. They are refused at the edge,
// naming the field, like any other bad input.
// biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is what it must find.
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const MAX_DEPTH = 64;

/**
 * The path of the first string or key in `value` the store cannot hold (dotted, as
 * the validation errors name fields: `events.0.note`), else null.
 */
export function findUnstorableText(value: unknown, path = ''): string | null {
  return walk(value, path, 0);
}

/** Throws `invalid_input` naming the field when `value` holds text the store cannot keep. */
export function assertStorableText(value: unknown, path = ''): void {
  const field = findUnstorableText(value, path);
  if (field !== null) {
    throw ServerError.invalid(
      field || 'body',
      'must not contain U+0000 or unpaired UTF-16 surrogates',
    );
  }
}

function walk(value: unknown, path: string, depth: number): string | null {
  if (typeof value === 'string') return UNSTORABLE.test(value) ? path : null;
  // Deeper than any route accepts: its own validation refuses it by shape.
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let at = 0; at < value.length; at++) {
      const found = walk(value[at], path ? `${path}.${at}` : String(at), depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, entry] of Object.entries(value)) {
    const here = path ? `${path}.${key}` : key;
    if (UNSTORABLE.test(key)) return here;
    const found = walk(entry, here, depth + 1);
    if (found !== null) return found;
  }
  return null;
}
