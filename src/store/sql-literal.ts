import pg from 'pg';

/**
 * A parameter value written as an SQL literal, for `EXECUTE name(...)` (PGlite's
 * EXECUTE takes no bind parameters). Strings go through node-postgres's
 * `escapeLiteral` (quotes doubled, backslashes in an `E''` string), so no value can
 * leave its literal. Only the shapes the store's prepared statements take are
 * written; anything else is refused rather than guessed.
 */
export function sqlLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'string') return pg.escapeLiteral(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`sqlLiteral: ${value} is not a finite number`);
    // A numeric literal: EXECUTE coerces it to the parameter's type (an integer, a float).
    return String(value);
  }
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return `${pg.escapeLiteral(value.toISOString())}::timestamptz`;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) {
    return value.length === 0
      ? "'{}'::text[]"
      : `ARRAY[${value.map((item) => pg.escapeLiteral(item)).join(', ')}]::text[]`;
  }
  throw new TypeError(`sqlLiteral: cannot write a ${typeof value} parameter as a literal`);
}
