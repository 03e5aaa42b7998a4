import { MEMORY_TYPES } from '../protocol/memory-types.js';
import type {
  BatchRecordOutcome,
  BatchRecordResult,
  CompactedContext,
  CompactInput,
  CompactionStatus,
  FetchInput,
  FetchResult,
  FetchScope,
  IngestInput,
  IngestResult,
  MemoryItem,
  MemoryType,
  PromptContext,
  RecordedMessage,
  RecordMessageInput,
} from './types.js';
import { fieldPath, WireObject } from './wire-object.js';

/**
 * The one place where the client's camelCase types meet the REST wire's snake_case
 * (wire.md, docs/synap-compatibility.md). Requests omit absent fields rather than
 * sending `null`. Answers are read tolerantly (an absent optional field takes the
 * default the reference client uses) but strictly on types: a field of the wrong
 * type, or a missing id, throws `ServiceUnavailableError` naming the field, since
 * such an answer cannot come from a healthy Synap-compatible service.
 */

// ---- requests ----

/** Body of `POST /v1/conversations/messages`, and one row of the batch. */
export function recordMessageToWire(input: RecordMessageInput): Record<string, unknown> {
  return compact({
    conversation_id: input.conversationId,
    role: input.role,
    content: input.content,
    user_id: input.userId,
    customer_id: input.customerId,
    session_id: input.sessionId,
    metadata: input.metadata,
  });
}

/** Body of `POST /v1/conversations/messages/batch`; each row's idempotencyKey becomes its `client_token`. */
export function recordMessagesToWire(inputs: RecordMessageInput[]): Record<string, unknown> {
  return {
    messages: inputs.map((input) => ({
      ...recordMessageToWire(input),
      ...(input.idempotencyKey !== undefined ? { client_token: input.idempotencyKey } : {}),
    })),
  };
}

/** Body of `POST /v1/conversations/ingest`; turn timestamps as ISO 8601. */
export function ingestToWire(input: IngestInput): Record<string, unknown> {
  return compact({
    conversation_id: input.conversationId,
    user_id: input.userId,
    customer_id: input.customerId,
    session_id: input.sessionId,
    transcript:
      typeof input.transcript === 'string'
        ? input.transcript
        : input.transcript.map((turn) =>
            compact({
              role: turn.role,
              content: turn.content,
              timestamp:
                turn.timestamp instanceof Date ? turn.timestamp.toISOString() : turn.timestamp,
            }),
          ),
    metadata: input.metadata,
  });
}

/** Body of `POST /v1/context/<scope>/fetch`; one search query becomes a list of one. */
export function fetchToWire(input: FetchInput): Record<string, unknown> {
  return compact({
    conversation_id: input.conversationId,
    user_id: input.userId,
    customer_id: input.customerId,
    search_query: typeof input.searchQuery === 'string' ? [input.searchQuery] : input.searchQuery,
    max_results: input.maxResults,
    types: input.types,
    mode: input.mode,
  });
}

/** Body of `POST /v1/conversations/compact`; `force` defaults to false. */
export function compactToWire(input: CompactInput): Record<string, unknown> {
  return compact({
    conversation_id: input.conversationId,
    strategy: input.strategy,
    target_tokens: input.targetTokens,
    force: input.force ?? false,
  });
}

// ---- answers ----

/** The answer of a single record (and of each successful batch row). */
export function recordedMessageFromWire(body: unknown, at = ''): RecordedMessage {
  const wire = new WireObject(body, at);
  return {
    messageId: wire.requiredString('message_id'),
    conversationId: wire.requiredString('conversation_id'),
    sessionId: wire.string('session_id', ''),
    recordedAt: wire.requiredDate('recorded_at'),
  };
}

/** The batch answer, rows in input order; a row without `message_id` is a failure. */
export function batchResultFromWire(body: unknown): BatchRecordResult {
  const wire = new WireObject(body, '');
  const results = wire.list('results').map((row, index): BatchRecordOutcome => {
    const at = `results.${index}`;
    const item = new WireObject(row, at);
    if (item.has('message_id')) return { ok: true, ...recordedMessageFromWire(row, at) };
    const field = item.optionalString('field');
    return {
      ok: false,
      code: item.string('code', 'failed'),
      message: item.string('error', item.string('detail', 'not recorded')),
      // The row is already the caller's input; its field path is relative to it.
      ...(field ? { field: fieldFromWire(field.replace(/^messages\.\d+\./, '')) } : {}),
    };
  });
  const succeeded = results.filter((result) => result.ok).length;
  return {
    total: wire.number('total', results.length),
    succeeded: wire.number('succeeded', succeeded),
    failed: wire.number('failed', results.length - succeeded),
    results,
  };
}

/** The ingest answer; a non-UUID caller id comes back as `externalConversationId`. */
export function ingestResultFromWire(body: unknown): IngestResult {
  const wire = new WireObject(body, '');
  const conversationId = wire.requiredString('conversation_id');
  return {
    conversationId,
    externalConversationId: wire.string('external_conversation_id', conversationId),
    ingestionId: wire.requiredString('ingestion_id'),
    status: wire.oneOf('status', ['queued', 'duplicate'] as const, 'queued'),
    summaryStatus: wire.oneOf(
      'summary_status',
      ['in_progress', 'already_compacted', 'skipped'] as const,
      'skipped',
    ),
    turnsRecorded: wire.number('turns_recorded', 0),
  };
}

/**
 * A fetch answer. Item lists absent from `context` are empty; a top-level
 * `conversation_context` wins over one inside `context` (as the reference client
 * reads it); `ttl_seconds` absent or 0 means 300 s (1800 s for the client scope).
 */
export function fetchResultFromWire(body: unknown, scope: FetchScope): FetchResult {
  const wire = new WireObject(body, '');
  const context = wire.object('context');
  const items = Object.fromEntries(
    MEMORY_TYPES.map((type) => [
      type,
      context
        .list(type)
        .map((item, index) => memoryItemFromWire(item, fieldPath(context.at, `${type}.${index}`))),
    ]),
  ) as Record<MemoryType, MemoryItem[]>;
  // Present at the top level, even as null, it wins over one inside `context`.
  const conversation = Object.hasOwn(wire.value, 'conversation_context')
    ? wire.object('conversation_context')
    : context.object('conversation_context');
  const ttlSeconds = wire.number('ttl_seconds', 0);
  return {
    context: items,
    ...(conversation.isEmpty()
      ? {}
      : {
          conversationContext: {
            summary: conversation.string('summary', ''),
            currentState: conversation.object('current_state').value,
            recentTurns: conversation.list('recent_turns').map((turn, index) => {
              const entry = new WireObject(
                turn,
                fieldPath(conversation.at, `recent_turns.${index}`),
              );
              return {
                role: entry.string('role', ''),
                content: entry.string('content', ''),
                timestamp: entry.requiredDate('timestamp'),
              };
            }),
          },
        }),
    ttlSeconds: ttlSeconds > 0 ? ttlSeconds : scope === 'client' ? 1800 : 300,
  };
}

/** One item of a fetch answer; type-specific fields only when the wire has them. */
export function memoryItemFromWire(body: unknown, at: string): MemoryItem {
  const wire = new WireObject(body, at);
  const item: MemoryItem = {
    id: wire.string('id', ''),
    content: wire.string('content', ''),
    confidence: wire.confidence('confidence'),
    source: wire.string('source', ''),
    // Absent: when it was read, as the reference client does.
    extractedAt: wire.date('extracted_at') ?? new Date(),
    metadata: wire.object('metadata').value,
    temporalCategory: wire.string('temporal_category', ''),
  };
  const optional = compact<Partial<MemoryItem>>({
    eventDate: wire.date('event_date'),
    validUntil: wire.date('valid_until'),
    category: wire.optionalString('category'),
    strength: wire.has('strength') ? wire.confidence('strength') : undefined,
    summary: wire.optionalString('summary'),
    occurredAt: wire.date('occurred_at'),
    significance: wire.has('significance') ? wire.confidence('significance') : undefined,
    participants: wire.has('participants') ? wire.stringList('participants') : undefined,
  });
  return { ...item, ...optional };
}

/** The answer of `compact` and of `compaction/status` (`status: "none"` before any). */
export function compactionStatusFromWire(body: unknown): CompactionStatus {
  const wire = new WireObject(body, '');
  const compactionId = wire.optionalString('compaction_id');
  const completedAt = wire.date('completed_at');
  const compressionRatio = wire.has('compression_ratio')
    ? wire.number('compression_ratio', 0)
    : undefined;
  return {
    conversationId: wire.requiredString('conversation_id'),
    status: wire.requiredString('status'),
    ...(compactionId !== undefined ? { compactionId } : {}),
    ...(completedAt ? { completedAt } : {}),
    ...(compressionRatio !== undefined ? { compressionRatio } : {}),
  };
}

/** `GET .../compacted`; facts, decisions and preferences arrive as `[{content}]`. */
export function compactedFromWire(body: unknown): CompactedContext {
  const wire = new WireObject(body, '');
  const contents = (key: string) =>
    wire
      .list(key)
      .map((entry, index) =>
        typeof entry === 'string'
          ? entry
          : new WireObject(entry, `${key}.${index}`).requiredString('content'),
      );
  return {
    compactionId: wire.string('compaction_id', ''),
    formattedContext: wire.string('formatted_context', ''),
    summary: wire.string('summary', ''),
    originalTokenCount: wire.number('original_token_count', 0),
    compactedTokenCount: wire.number('compacted_token_count', 0),
    compressionRatio: wire.number('compression_ratio', 0),
    strategyUsed: wire.string('strategy_used', 'adaptive'),
    facts: contents('facts'),
    decisions: contents('decisions'),
    preferences: contents('preferences'),
    currentState: wire.object('current_state').value,
  };
}

/** `GET .../context-for-prompt`. */
export function promptContextFromWire(body: unknown): PromptContext {
  const wire = new WireObject(body, '');
  return {
    formattedContext: wire.string('formatted_context', ''),
    available: wire.boolean('available', false),
    isStale: wire.boolean('is_stale', false),
    recentMessages: wire.list('recent_messages').map((message, index) => {
      const entry = new WireObject(message, `recent_messages.${index}`);
      return {
        role: entry.requiredString('role'),
        content: entry.requiredString('content'),
        timestamp: entry.requiredDate('timestamp'),
        messageId: entry.requiredString('message_id'),
      };
    }),
    recentMessageCount: wire.number('recent_message_count', 0),
    compactedMessageCount: wire.number('compacted_message_count', 0),
    totalMessageCount: wire.number('total_message_count', 0),
  };
}

/** A server field path (`messages.2.conversation_id`) in the client's spelling (`messages.2.conversationId`). */
export function fieldFromWire(field: string): string {
  return field.replace(/_([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}

// ---- helpers ----

/** Drops undefined values: the wire omits what is absent (the reference client crashes on `null`). */
function compact<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
