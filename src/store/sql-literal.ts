/**
 * A parameter value written as an SQL literal, for `EXECUTE name(...)` (PGlite's
 * EXECUTE takes no bind parameters). Strings are quoted by `quoteText` (quotes doubled,
 * backslashes in an `E''` string), so no value can leave its literal. Only the shapes
 * the store's prepared statements take are written; anything else is refused rather
 * than guessed.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return quoteText(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`sqlLiteral: ${value} is not a finite number`);
    // A numeric literal: EXECUTE coerces it to the parameter's type (an integer, a float).
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return `${quoteText(value.toISOString())}::timestamptz`;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.length === 0
      ? "'{}'::text[]"
      : `ARRAY[${value.map((item) => quoteText(item)).join(', ')}]::text[]`;
  }
  throw new TypeError(`sqlLiteral: cannot write a ${typeof value} parameter as a literal`);
}

/**
 * A string as a literal that means exactly it whatever `standard_conforming_strings`
 * says: single quotes doubled; with a backslash, an `E''` string with backslashes
 * doubled. Kept here rather than taken from node-postgres, so PGlite never loads it.
 */
export function quoteText(value: string): string {
  const quoted = value.replaceAll("'", "''");
  return value.includes('\\') ? `E'${quoted.replaceAll('\\', '\\\\')}'` : `'${quoted}'`;
}
