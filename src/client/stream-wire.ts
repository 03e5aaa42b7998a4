import type {
  ConversationEvent,
  StreamSignal as StreamSignalProto,
} from '../gen/synap/v1/synap.js';
import type { OutgoingEvent } from './event-stream.js';
import type { EventType, Role, StreamSignal } from './types.js';

/**
 * The one place an `OutgoingEvent` takes its wire forms: the generated
 * `ConversationEvent` of the Listen stream and the snake_case body of
 * `POST /v1/events`. Bundles change shape in src/protocol/bundle-codec.ts. Only type
 * imports from src/gen, so the HTTP transport never loads generated code or grpc-js.
 */

/** The body of `POST /v1/events`: `ConversationEvent` in snake_case, `tool_args` as an object. */
export interface ConversationEventJson {
  event_type: string;
  conversation_id: string;
  user_id: string;
  role: string;
  content: string;
  customer_id: string;
  session_id: string;
  /** The caller's metadata with `event_id` set to the event's id (our correlation extension). */
  metadata: Record<string, string>;
  timestamp_ms: number;
  tool_name: string;
  tool_args?: Record<string, unknown>;
  search_queries: string[];
  context_types: string[];
}

// Who speaks when the caller does not say: the agent calls tools and thinks, the user talks.
const ASSISTANT_EVENTS: ReadonlySet<EventType> = new Set([
  'assistant_message',
  'tool_call',
  'tool_result',
  'agent_thinking',
]);

function roleOf(event: OutgoingEvent): Role {
  return event.role ?? (ASSISTANT_EVENTS.has(event.eventType) ? 'assistant' : 'user');
}

function metadataOf(event: OutgoingEvent): Record<string, string> {
  // Set last, so a caller's own `event_id` cannot break the bundle/event correlation.
  return { ...event.metadata, event_id: event.eventId };
}

/** The Listen stream's `ConversationEvent`; absent values are proto3's '' and []. */
export function conversationEventToProto(event: OutgoingEvent): ConversationEvent {
  return {
    eventType: event.eventType,
    conversationId: event.conversationId,
    userId: event.userId,
    role: roleOf(event),
    content: event.content ?? '',
    customerId: event.customerId ?? '',
    sessionId: event.sessionId ?? '',
    metadata: metadataOf(event),
    timestampMs: event.timestampMs,
    toolName: event.toolName ?? '',
    toolArgsJson: event.toolArgs ? JSON.stringify(event.toolArgs) : '',
    searchQueries: event.searchQueries ?? [],
    contextTypes: event.contextTypes ?? [],
  };
}

/** The JSON body of `POST /v1/events`; `tool_args` is left out rather than sent as null. */
export function conversationEventToJson(event: OutgoingEvent): ConversationEventJson {
  return {
    event_type: event.eventType,
    conversation_id: event.conversationId,
    user_id: event.userId,
    role: roleOf(event),
    content: event.content ?? '',
    customer_id: event.customerId ?? '',
    session_id: event.sessionId ?? '',
    metadata: metadataOf(event),
    timestamp_ms: event.timestampMs,
    tool_name: event.toolName ?? '',
    ...(event.toolArgs ? { tool_args: event.toolArgs } : {}),
    search_queries: event.searchQueries ?? [],
    context_types: event.contextTypes ?? [],
  };
}

/** A `StreamSignal` message as the public camelCase type. */
export function streamSignalFromProto(signal: StreamSignalProto): StreamSignal {
  return { type: signal.signalType, reason: signal.reason, metadata: { ...signal.metadata } };
}
