/**
 * What the client logs to. Any object with these methods fits (pino, console-like
 * wrappers); `warn` is the only one the client needs.
 */
export interface ForesightLogger {
  warn(details: object, message: string): void;
  debug?(details: object, message: string): void;
}

/**
 * The default: silent, except the first warning of each kind, which goes out as a
 * process warning (`process.emitWarning`, visible once, never a flood). Kinds are the
 * message texts, so one outage says "service unreachable" once, not per call.
 */
export function onceLogger(emit: (message: string) => void = defaultEmit): ForesightLogger {
  const seen = new Set<string>();
  return {
    warn(_details, message) {
      if (seen.has(message)) return;
      // Bounded: past 100 kinds something is generating messages; stay quiet.
      if (seen.size >= 100) return;
      seen.add(message);
      emit(message);
    },
  };
}

function defaultEmit(message: string): void {
  process.emitWarning(message, { code: 'FORESIGHT' });
}
