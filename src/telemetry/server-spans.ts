import type { Context } from '@opentelemetry/api';
import { endWithError, otel, type Span, sdkRegistered, startSpan } from './otel-api.js';
import { ATTRIBUTE, SPAN } from './span-names.js';
import { contextFromTraceparent } from './trace-parent.js';

/** What the server knows of an event when it starts handling it. */
interface ReceivedEvent {
  eventType: string;
  conversationId: string;
  toolName: string;
  metadata: Record<string, string>;
}

/**
 * The server's span of one event (CONSUMER), a child of the sender's span when the event
 * carries a `traceparent`. Undefined when nothing records spans.
 */
export function startEventSpan(
  event: ReceivedEvent,
  eventId: string,
  transport: string,
): Span | undefined {
  const api = otel();
  if (!api || !sdkRegistered()) return undefined;
  return startSpan(
    SPAN.event,
    {
      kind: api.SpanKind.CONSUMER,
      attributes: {
        [ATTRIBUTE.eventType]: event.eventType,
        [ATTRIBUTE.eventId]: eventId,
        [ATTRIBUTE.conversationId]: event.conversationId,
        [ATTRIBUTE.transport]: transport,
        ...(event.toolName ? { [ATTRIBUTE.toolName]: event.toolName } : {}),
      },
    },
    contextFromTraceparent(event.metadata.traceparent),
  );
}

/** A child span of `parent` (or of the active context), for one step of the server's work. */
export function startChildSpan(
  name: (typeof SPAN)[keyof typeof SPAN],
  parent: Span | undefined,
  attributes: Record<string, string | number | boolean> = {},
): Span | undefined {
  const api = otel();
  if (!api) return undefined;
  const context: Context | undefined = parent
    ? api.trace.setSpan(api.context.active(), parent)
    : undefined;
  return startSpan(name, { kind: api.SpanKind.INTERNAL, attributes }, context);
}

/** Runs `work` in a span of its own (ended with its outcome); `describe` adds attributes of the result. */
export async function traced<T>(
  name: (typeof SPAN)[keyof typeof SPAN],
  attributes: Record<string, string | number | boolean>,
  work: () => Promise<T>,
  describe?: (result: T) => Record<string, string | number | boolean>,
): Promise<T> {
  const span = startChildSpan(name, undefined, attributes);
  if (!span) return work();
  try {
    const result = await work();
    if (describe) span.setAttributes(describe(result));
    span.end();
    return result;
  } catch (error) {
    endWithError(span, error);
    throw error;
  }
}

export { endWithError };
