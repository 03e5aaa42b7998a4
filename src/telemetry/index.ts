/**
 * OpenTelemetry tracing through `@opentelemetry/api`, an optional peer dependency:
 * without it, or without a registered SDK, nothing is recorded and nothing is added to
 * events. Span and attribute names: span-names.ts.
 */
export { type TracedSend, traceEventSend } from './event-send-span.js';
export { traceModelCall } from './model-call-span.js';
export type { Span } from './otel-api.js';
export { endWithError, startChildSpan, startEventSpan, traced } from './server-spans.js';
export { ATTRIBUTE, SPAN } from './span-names.js';
export { TRACEPARENT_KEY } from './trace-parent.js';
