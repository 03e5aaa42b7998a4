import { endWithError, otel, sdkRegistered, startSpan } from './otel-api.js';
import { ATTRIBUTE, SPAN } from './span-names.js';
import { TRACEPARENT_KEY, traceparentOf } from './trace-parent.js';

/** What the client sends, as far as its span is concerned. */
interface EventLike {
  eventType: string;
  conversationId: string;
  toolName?: string | undefined;
  metadata?: Record<string, string> | undefined;
}

/** An event send being traced: the metadata to send (with `traceparent`), and its end. */
export interface TracedSend {
  metadata: Record<string, string>;
  end(error?: unknown): void;
}

/**
 * A PRODUCER span for one event the client sends, under the active context, whose
 * trace context rides in the event's metadata (`traceparent`) so the server's span of
 * the same event is its child. Undefined, and nothing added to the event, when no SDK
 * would record it.
 */
export function traceEventSend(event: EventLike, eventId: string): TracedSend | undefined {
  const api = otel();
  if (!api || !sdkRegistered()) return undefined;
  const span = startSpan(SPAN.eventSend, {
    kind: api.SpanKind.PRODUCER,
    attributes: {
      [ATTRIBUTE.eventType]: event.eventType,
      [ATTRIBUTE.eventId]: eventId,
      [ATTRIBUTE.conversationId]: event.conversationId,
      ...(event.toolName ? { [ATTRIBUTE.toolName]: event.toolName } : {}),
    },
  });
  if (!span) return undefined;
  return {
    metadata: { ...event.metadata, [TRACEPARENT_KEY]: traceparentOf(span) },
    end(error) {
      if (error === undefined) span.end();
      else endWithError(span, error);
    },
  };
}
