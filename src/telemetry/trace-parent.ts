import type { Context, SpanContext } from '@opentelemetry/api';
import { otel, type Span } from './otel-api.js';

/**
 * The event metadata key that carries trace context from the adapter to the server,
 * in the W3C `traceparent` format (`00-<trace id>-<span id>-<flags>`). Written and read
 * here rather than through the global propagator, so it works whether or not the
 * application registered one.
 */
export const TRACEPARENT_KEY = 'traceparent';

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

export function traceparentOf(span: Span): string {
  const { traceId, spanId, traceFlags } = span.spanContext();
  return `00-${traceId}-${spanId}-${(traceFlags & 0xff).toString(16).padStart(2, '0')}`;
}

/** The remote span context a `traceparent` names, as a parent context; undefined when malformed. */
export function contextFromTraceparent(value: string | undefined): Context | undefined {
  const api = otel();
  const match = value ? TRACEPARENT.exec(value) : null;
  if (!api || !match) return undefined;
  const spanContext: SpanContext = {
    traceId: match[1] as string,
    spanId: match[2] as string,
    traceFlags: Number.parseInt(match[3] as string, 16),
    isRemote: true,
  };
  if (!api.trace.isSpanContextValid(spanContext)) return undefined;
  return api.trace.setSpanContext(api.ROOT_CONTEXT, spanContext);
}
