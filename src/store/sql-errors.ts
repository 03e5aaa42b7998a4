/** The SQLSTATE of a database error (both pg and PGlite put it on `code`), else undefined. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

/**
 * Class 22 (data exception: bad value, out of range), 23 (integrity constraint
 * violation) and 54 (program limit exceeded: a value nested past the parser's stack,
 * a statement too complex): the input was at fault, not the database, and retrying it
 * can never succeed.
 */
export function isInputError(error: unknown): boolean {
  const state = sqlState(error);
  return (
    state !== undefined &&
    (state.startsWith('22') || state.startsWith('23') || state.startsWith('54'))
  );
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
