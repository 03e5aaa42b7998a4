import { otel, sdkRegistered, startSpan } from './otel-api.js';
import { ATTRIBUTE, SPAN } from './span-names.js';

/** The context a model call got, as far as its span is concerned (the tracker's CallContext). */
interface CallContextLike {
  block: string;
  bundleId?: string | undefined;
  staleMs?: number | undefined;
  waitedMs: number;
  source: string;
  anticipation?: string | undefined;
}

/**
 * One span per model call, around what Foresight does for it: reading the anticipated
 * context from the cache and the bounded wait for a bundle in flight. It names the
 * thread, the last event sent (whose bundle the call expected), whether context was
 * injected, from which bundle, and how long the call waited. Answers `read` itself when
 * nothing records spans, so the per-call path gains no promise and no allocation.
 */
export function traceModelCall<T extends CallContextLike>(
  read: T | Promise<T>,
  call: { conversationId: string; lastEventId?: string | undefined },
): T | Promise<T> {
  const api = otel();
  // Before any attribute is built: without an SDK this is the whole cost of a call.
  if (!api || !sdkRegistered()) return read;
  const span = startSpan(SPAN.modelCall, {
    kind: api.SpanKind.INTERNAL,
    attributes: {
      [ATTRIBUTE.conversationId]: call.conversationId,
      ...(call.lastEventId ? { [ATTRIBUTE.eventId]: call.lastEventId } : {}),
    },
  });
  if (!span) return read;
  const finish = (context: T): T => {
    span.setAttributes({
      [ATTRIBUTE.contextInjected]: context.block !== '',
      [ATTRIBUTE.contextSource]: context.source,
      [ATTRIBUTE.contextWaitMs]: context.waitedMs,
      ...(context.bundleId ? { [ATTRIBUTE.bundleId]: context.bundleId } : {}),
      ...(context.staleMs !== undefined ? { [ATTRIBUTE.contextStaleMs]: context.staleMs } : {}),
      ...(context.anticipation ? { [ATTRIBUTE.anticipation]: context.anticipation } : {}),
    });
    span.end();
    return context;
  };
  // The read never rejects (the tracker turns failures into an empty context).
  return read instanceof Promise ? read.then(finish) : finish(read);
}
