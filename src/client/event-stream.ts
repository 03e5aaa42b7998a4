import type { ContextBundle } from '../protocol/context-bundle.js';
import type { SendMessageInput, StreamSignal, StreamStatus } from './types.js';

/** A conversation event as the transports send it: validated, with its id in metadata.event_id. */
export interface OutgoingEvent extends SendMessageInput {
  eventId: string;
  timestampMs: number;
}

/** What `context_used` carries: ids only, never content. */
export interface UsedReport {
  bundleId: string;
  conversationId: string;
  userId: string;
  customerId: string;
  itemIds: string[];
  timestampMs: number;
}

export interface EventStreamHandlers {
  bundle(bundle: ContextBundle): void;
  signal(signal: StreamSignal): void;
  status(status: StreamStatus): void;
  /** A failure the stream could not recover from by itself (e.g. a revoked key). */
  fatal(error: Error): void;
}

/** Options of `EventStream.open`. */
export interface EventStreamOpenOptions {
  /** Whether the open connection keeps the process alive. Default true. */
  holdProcess?: boolean;
}

/**
 * The event half of the protocol behind one small interface: gRPC `Listen`
 * (grpc-event-stream.ts) or the HTTP fallback (http-event-stream.ts). A user of one
 * never loads the other: createClient imports the chosen module lazily.
 */
export interface EventStream {
  /**
   * Starts the stream; resolves once it is usable (connected, or reconnecting in the
   * background). With `holdProcess: false`, its connection does not keep the process
   * alive (default true: it does, until `close()`).
   */
  open(handlers: EventStreamHandlers, options?: EventStreamOpenOptions): Promise<void>;
  /** Sends one event; resolves once it was handed to the transport. */
  send(event: OutgoingEvent): Promise<void>;
  /**
   * Reports the items of a bundle the client used (`context_used`, ids only). Best
   * effort: answers false when the transport cannot carry it (the HTTP fallback) or is
   * not connected; a report is never queued or retried.
   */
  reportUsed(report: UsedReport): boolean;
  /** Stops for good; idempotent. */
  close(): Promise<void>;
}

/**
 * Calls one handler; a throwing handler must not break the stream, so it is logged
 * (once per kind, by the client's logger) and the stream goes on.
 */
export function callHandler(
  handlers: EventStreamHandlers | undefined,
  logger: { warn(details: object, message: string): void },
  name: string,
  deliver: (handlers: EventStreamHandlers) => void,
): void {
  if (!handlers) return;
  try {
    deliver(handlers);
  } catch (error) {
    logger.warn({ err: error }, `event stream ${name} handler threw`);
  }
}
