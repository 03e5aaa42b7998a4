/**
 * Bad usage: a flag, an env variable standing in for one, or an argument the command
 * refuses before it creates or opens anything. The CLI prints its message as one line
 * and exits 2, so scripts can tell a typo from an outage (exit 1).
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
