import { type DestinationStream, type Logger, pino } from 'pino';

/**
 * Field paths masked in every log line, whatever logged them: bearer headers and
 * anything named like a key or a secret. The server logs ids, codes and counts, never
 * message content; this list is the second line of defence for a field added later.
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'authorization',
  '*.authorization',
  'apiKey',
  '*.apiKey',
  'api_key',
  '*.api_key',
  'serverSecret',
  '*.serverSecret',
];

/**
 * The server's default logger: pino at `level` on stderr (or `destination`), with
 * `REDACTED_PATHS` masked and query text and parameters dropped from errors. Used when
 * `ServerOptions.logger` is not given.
 */
export function createServerLogger(
  level: string,
  destination: DestinationStream = pino.destination(2),
): Logger {
  return pino(
    {
      level,
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      serializers: { err: errorWithoutParameters },
    },
    destination,
  );
}

/**
 * pino's error serializer keeps every own property of an error, and database errors
 * carry user data: the query's bound `params` (message content, search terms from tool
 * arguments), and on PGlite the `query` itself, since its prepared statements run as
 * `EXECUTE name('literal', …)` with the values written into the text. Both go; what
 * stays is the statement's name, which says where it failed.
 */
export function errorWithoutParameters(error: Error): Record<string, unknown> {
  const serialized: Record<string, unknown> = { ...pino.stdSerializers.err(error) };
  const statement =
    typeof serialized.query === 'string'
      ? /\bEXECUTE\s+([a-z_][a-z0-9_]*)\s*\(/i.exec(serialized.query)?.[1]
      : undefined;
  delete serialized.params;
  delete serialized.parameters;
  delete serialized.query;
  delete serialized.internalQuery;
  if (statement) serialized.statement = statement;
  return serialized;
}
