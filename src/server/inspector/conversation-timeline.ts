import { type ContextBundle, contextBundleFromJson } from '../../protocol/index.js';
import type {
  BundleRecord,
  ConversationPage,
  InspectedEvent,
  MessageRecord,
} from '../../store/index.js';

/** A stored bundle and its decoded form (undefined when its payload does not parse). */
export interface BundleView {
  record: BundleRecord;
  decoded: ContextBundle | undefined;
}

/** A model call, as the events around it show it. */
export interface ModelCall {
  /** When it read its context, estimated (see `buildTimeline`). */
  at: Date;
  /** The newest bundle of the conversation that had arrived by then: what it had injected. */
  injected: BundleView | undefined;
}

export type TimelineEntry =
  | { kind: 'turn'; at: Date; message: MessageRecord }
  | {
      kind: 'event';
      at: Date;
      event: InspectedEvent;
      bundle: BundleView | undefined;
      /** Event sent → bundle stored, ms, on the server's clock against the client's. */
      latencyMs: number | undefined;
      /** Whether the bundle was there when the next model call read its context. */
      beforeNextCall: boolean | undefined;
    }
  | { kind: 'model-call'; at: Date; call: ModelCall };

/** Events a model call produces: the end of a call is where they start. */
const OUTPUT_EVENTS = new Set(['tool_call', 'assistant_message']);

/**
 * One page of a conversation as a timeline: its recorded turns, its events each with
 * the bundle it produced, and the model calls between them with what each had injected.
 *
 * The adapters do not report the context each call used (no `context_used` events are
 * stored yet), so model calls are read off the event order: a call's output is a run of
 * `tool_call` / `assistant_message` events; it read its context when it sent the
 * `tool_result` events of the tools before it (an adapter reads the cache and then sends
 * them, in one synchronous step), else, for the first call of a user turn, at the latest
 * when its output began. What it had injected is the newest bundle stored by then.
 */
export function buildTimeline(page: ConversationPage): TimelineEntry[] {
  const bundles = page.bundles.map(viewOf);
  const byEvent = new Map<string, BundleView>();
  for (const bundle of bundles) {
    if (!byEvent.has(bundle.record.inReplyToEventId))
      byEvent.set(bundle.record.inReplyToEventId, bundle);
  }
  const byArrival = [...bundles].sort(
    (left, right) => left.record.createdAt.getTime() - right.record.createdAt.getTime(),
  );
  const calls = modelCalls(page.events).map(({ at, before }) => ({
    at,
    before,
    call: { at, injected: newestBy(byArrival, at) },
  }));

  const entries: TimelineEntry[] = page.messages.map((message) => ({
    kind: 'turn',
    at: message.recordedAt,
    message,
  }));
  page.events.forEach((event, index) => {
    const bundle = byEvent.get(event.id);
    const next = calls.find((call) => call.before > index);
    entries.push({
      kind: 'event',
      at: event.occurredAt,
      event,
      bundle,
      latencyMs: bundle
        ? Math.max(0, bundle.record.createdAt.getTime() - event.occurredAt.getTime())
        : undefined,
      beforeNextCall:
        bundle && next ? bundle.record.createdAt.getTime() <= next.at.getTime() : undefined,
    });
  });
  for (const { at, before, call } of calls) {
    // Placed just before its output, whatever the clocks say.
    const output = page.events[before];
    entries.push({ kind: 'model-call', at: output ? output.occurredAt : at, call });
  }
  const rank = { turn: 0, 'model-call': 1, event: 2 } as const;
  return entries.sort(
    (left, right) => left.at.getTime() - right.at.getTime() || rank[left.kind] - rank[right.kind],
  );
}

/** Each model call: when it read its context, and the index of its first output event. */
function modelCalls(events: InspectedEvent[]): { at: Date; before: number }[] {
  const calls: { at: Date; before: number }[] = [];
  let readAt: Date | undefined;
  events.forEach((event, index) => {
    if (event.eventType === 'tool_result') {
      readAt ??= event.occurredAt;
      return;
    }
    if (!OUTPUT_EVENTS.has(event.eventType)) return;
    const previous = events[index - 1];
    if (previous && OUTPUT_EVENTS.has(previous.eventType)) return;
    calls.push({ at: readAt ?? event.occurredAt, before: index });
    readAt = undefined;
  });
  return calls;
}

function newestBy(byArrival: BundleView[], at: Date): BundleView | undefined {
  let newest: BundleView | undefined;
  for (const bundle of byArrival) {
    if (bundle.record.createdAt.getTime() > at.getTime()) break;
    newest = bundle;
  }
  return newest;
}

function viewOf(record: BundleRecord): BundleView {
  try {
    return { record, decoded: contextBundleFromJson(record.payload) };
  } catch {
    // A payload a foreign or older writer stored: shown as unreadable, not fatal.
    return { record, decoded: undefined };
  }
}
