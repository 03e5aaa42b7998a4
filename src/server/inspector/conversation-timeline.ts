import { type ContextBundle, contextBundleFromJson } from '../../protocol/index.js';
import type {
  BundleRecord,
  ConversationPage,
  InspectedEvent,
  MessageRecord,
} from '../../store/index.js';
import { type BundleSummary, summarizeBundle } from './bundle-summary.js';

/** A stored bundle: what the pages list of it, and its full form on demand. */
export interface BundleView {
  record: BundleRecord;
  /** Undefined when its payload is not a bundle this server can read. */
  summary: BundleSummary | undefined;
  /**
   * When the server built it, just before pushing it: the bundle's own `created_at`.
   * The row's `created_at` is later (rows are written behind their bundles, in batches).
   */
  builtAt: Date;
  /** The bundle fully decoded (for its context block); undefined when it does not parse. */
  decode(): ContextBundle | undefined;
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

/** What a model call leaves behind: the end of a call is where they start. */
const OUTPUT_MARKS = new Set(['tool_call', 'assistant_message', 'assistant_turn']);

/**
 * One page of a conversation as a timeline: its recorded turns, its events each with
 * the bundle it produced, and the model calls between them with what each had injected.
 *
 * The adapters do not report the context each call used (no `context_used` events are
 * stored yet), so model calls are read off the event order: a call's output is a run of
 * `tool_call` / `assistant_message` events or a recorded assistant turn; it read its context when it sent the
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
    (left, right) => left.builtAt.getTime() - right.builtAt.getTime(),
  );
  // A turn an event already shows (the adapters send both) is not shown twice.
  const shown = new Set(page.events.map((event) => `${event.role}:${event.content}`));
  const turns = page.messages.filter((message) => !shown.has(`${message.role}:${message.content}`));
  const calls = modelCalls(page.events, page.messages).map((call) => ({
    ...call,
    injected: newestBy(byArrival, call.readAt),
  }));

  const entries: TimelineEntry[] = turns.map((message) => ({
    kind: 'turn',
    at: message.recordedAt,
    message,
  }));
  for (const event of page.events) {
    const bundle = byEvent.get(event.id);
    const next = calls.find((call) => call.outputAt.getTime() > event.occurredAt.getTime());
    entries.push({
      kind: 'event',
      at: event.occurredAt,
      event,
      bundle,
      latencyMs: bundle
        ? Math.max(0, bundle.builtAt.getTime() - event.occurredAt.getTime())
        : undefined,
      beforeNextCall:
        bundle && next ? bundle.builtAt.getTime() <= next.readAt.getTime() : undefined,
    });
  }
  for (const call of calls) {
    // Placed just before its output, whatever the clocks say.
    entries.push({
      kind: 'model-call',
      at: call.outputAt,
      call: { at: call.readAt, injected: call.injected },
    });
  }
  const rank = { 'model-call': 0, turn: 1, event: 2 } as const;
  return entries.sort(
    (left, right) => left.at.getTime() - right.at.getTime() || rank[left.kind] - rank[right.kind],
  );
}

/**
 * Each model call: when it read its context, and when its output (a run of tool calls,
 * an assistant message event or a recorded assistant turn) began.
 */
function modelCalls(
  events: InspectedEvent[],
  messages: MessageRecord[],
): { readAt: Date; outputAt: Date }[] {
  const marks = [
    ...events.map((event) => ({ type: event.eventType, at: event.occurredAt })),
    ...messages
      .filter((message) => message.role === 'assistant')
      .map((message) => ({ type: 'assistant_turn', at: message.recordedAt })),
  ].sort((left, right) => left.at.getTime() - right.at.getTime());
  const calls: { readAt: Date; outputAt: Date }[] = [];
  let readAt: Date | undefined;
  let inOutput = false;
  for (const mark of marks) {
    if (!OUTPUT_MARKS.has(mark.type)) {
      if (mark.type === 'tool_result') readAt ??= mark.at;
      inOutput = false;
      continue;
    }
    if (inOutput) continue;
    inOutput = true;
    calls.push({ readAt: readAt ?? mark.at, outputAt: mark.at });
    readAt = undefined;
  }
  return calls;
}

function newestBy(byArrival: BundleView[], at: Date): BundleView | undefined {
  let newest: BundleView | undefined;
  for (const bundle of byArrival) {
    if (bundle.builtAt.getTime() > at.getTime()) break;
    newest = bundle;
  }
  return newest;
}

function viewOf(record: BundleRecord): BundleView {
  const summary = summarizeBundle(record.payload);
  let decoded: ContextBundle | undefined | null = null;
  return {
    record,
    summary,
    builtAt: summary?.createdAt ?? record.createdAt,
    decode() {
      if (decoded === null) {
        try {
          decoded = contextBundleFromJson(record.payload);
        } catch {
          // A payload a foreign or older writer stored: shown as unreadable, not fatal.
          decoded = undefined;
        }
      }
      return decoded;
    },
  };
}
