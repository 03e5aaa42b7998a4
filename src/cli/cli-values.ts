import { InvalidArgumentError } from 'commander';

/**
 * A commander option parser for a whole number of milliseconds (0 or more). Its error
 * is a usage error: commander names the option, and the CLI exits 2.
 */
export function parseMilliseconds(value: string): number {
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 0)
    throw new InvalidArgumentError('must be a whole number of milliseconds (0 or more)');
  return ms;
}
