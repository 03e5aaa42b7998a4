import { type DestinationStream, pino } from 'pino';
import { PinoPretty } from 'pino-pretty';

/**
 * Where `foresight serve` logs: readable lines (time, level, message, fields) when
 * stderr is a terminal, pino's JSON lines when it is piped or redirected, for a log
 * shipper. pino-pretty rather than a formatter of our own: it keeps pino's levels,
 * error stacks and redaction output as they are. Synchronous, so the last lines before
 * an exit are not lost. `fd` is stderr's unless a test gives another.
 */
export function serveLogDestination(
  terminal = Boolean(process.stderr.isTTY),
  fd = 2,
): DestinationStream {
  if (!terminal) return pino.destination({ dest: fd, sync: true });
  return PinoPretty({
    destination: fd,
    sync: true,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname',
    singleLine: true,
  });
}
