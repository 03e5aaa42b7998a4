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
 * `REDACTED_PATHS` masked and bound query parameters dropped from errors. Used when
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
 * pino's error serializer keeps every own property of an error, and PGlite's query
 * errors carry the query's bound `params`: message content, search terms from tool
 * arguments. The SQL text stays (it is ours and helps); the values go.
 */
export function errorWithoutParameters(error: Error): Record<string, unknown> {
  const serialized: Record<string, unknown> = { ...pino.stdSerializers.err(error) };
  delete serialized.params;
  delete serialized.parameters;
  return serialized;
}
