import type {
  ConversationEvent,
  SessionControl,
  StreamResponse,
  TelemetryEvent,
} from '../../gen/synap/v1/synap.js';
import { contextBundleToProto } from '../../protocol/bundle-codec.js';
import type { ContextBundle } from '../../protocol/context-bundle.js';
import type { SessionControlWire } from '../events/event-processor.js';

/**
 * Generated Listen messages ↔ the wire (snake_case) shapes the event core validates.
 * Generated types stay inside src/server/grpc.
 */

/** A proto ConversationEvent in the same shape as the JSON body of `POST /v1/events`. */
export function conversationEventToWire(event: ConversationEvent): Record<string, unknown> {
  return {
    event_type: event.eventType,
    conversation_id: event.conversationId,
    user_id: event.userId,
    role: event.role,
    content: event.content,
    customer_id: event.customerId,
    session_id: event.sessionId,
    metadata: event.metadata,
    timestamp_ms: event.timestampMs,
    tool_name: event.toolName,
    tool_args_json: event.toolArgsJson,
    search_queries: event.searchQueries,
    context_types: event.contextTypes,
  };
}

export function sessionControlToWire(control: SessionControl): SessionControlWire {
  return {
    action: control.action,
    session_id: control.sessionId,
    conversation_id: control.conversationId,
    user_id: control.userId,
    customer_id: control.customerId,
  };
}

/** Telemetry as stored: snake_case, empty values left out. */
export function telemetryPayload(event: TelemetryEvent): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    event_type: event.eventType,
    instance_id: event.instanceId,
    client_id: event.clientId,
    correlation_id: event.correlationId,
    timestamp_ms: event.timestampMs,
    latency_ms: event.latencyMs,
    status: event.status,
    error_code: event.errorCode,
    scope: event.scope,
    cache_status: event.cacheStatus,
    attempt: event.attempt,
    http_method: event.httpMethod,
    http_path: event.httpPath,
    http_status_code: event.httpStatusCode,
    metadata: Object.keys(event.metadata).length > 0 ? event.metadata : undefined,
    sdk_version: event.sdkVersion,
    batch_id: event.batchId,
  };
  for (const [key, value] of Object.entries(payload)) {
    if (value === '' || value === 0 || value === undefined) delete payload[key];
  }
  return payload;
}

export function bundleResponse(bundle: ContextBundle): StreamResponse {
  return { payload: { $case: 'contextBundle', value: contextBundleToProto(bundle) } };
}

export function pongResponse(timestampMs: number): StreamResponse {
  return { payload: { $case: 'heartbeatPong', value: { timestampMs } } };
}

export type SignalType = 'throttle' | 'closing' | 'error';

export function signalResponse(
  signalType: SignalType,
  reason: string,
  metadata: Record<string, string> = {},
): StreamResponse {
  return { payload: { $case: 'signal', value: { signalType, reason, metadata } } };
}
