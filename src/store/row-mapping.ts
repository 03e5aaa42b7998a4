import type { Row } from './database.js';
import {
  type ApiKeyRecord,
  type BundleRecord,
  type ClientRecord,
  type CompactionRecord,
  type CompactionStatus,
  type ConversationRecord,
  type JobRecord,
  MEMORY_TYPES,
  type MemoryHit,
  type MemoryRecord,
  type MessageHit,
  type MessageRecord,
  SCOPES,
} from './records.js';

// The one place where snake_case columns become camelCase records. The drivers differ
// in what they return for bigint and numeric (pg: strings, PGlite: numbers), so every
// number goes through `integer`/`decimal`, and a value of the wrong type is a schema
// bug that throws here rather than travelling upward as garbage.

const ROLES = ['user', 'assistant'] as const;
const CLIENT_MODES = ['b2c', 'b2b'] as const;
const TEMPORAL_CATEGORIES = ['perpetual', 'temporal_fact', 'episode'] as const;
const COMPACTION_STATUSES: readonly CompactionStatus[] = [
  'queued',
  'running',
  'completed',
  'failed',
];

export function toClient(row: Row): ClientRecord {
  return {
    id: text(row, 'id'),
    name: text(row, 'name'),
    mode: oneOf(row, 'mode', CLIENT_MODES),
    createdAt: date(row, 'created_at'),
  };
}

export function toApiKey(row: Row): ApiKeyRecord {
  return {
    id: text(row, 'id'),
    clientId: text(row, 'client_id'),
    name: text(row, 'name'),
    secretHash: text(row, 'secret_hash'),
    instanceId: text(row, 'instance_id'),
    createdAt: date(row, 'created_at'),
    revokedAt: dateOrNull(row, 'revoked_at'),
    lastUsedAt: dateOrNull(row, 'last_used_at'),
  };
}

export function toMessage(row: Row): MessageRecord {
  return {
    id: text(row, 'id'),
    clientId: text(row, 'client_id'),
    seq: integer(row, 'seq'),
    conversationId: text(row, 'conversation_id'),
    userId: text(row, 'user_id'),
    customerId: text(row, 'customer_id'),
    sessionId: text(row, 'session_id'),
    role: oneOf(row, 'role', ROLES),
    content: text(row, 'content'),
    metadata: object(row, 'metadata'),
    idempotencyKey: textOrNull(row, 'idempotency_key'),
    recordedAt: date(row, 'recorded_at'),
  };
}

export function toConversation(row: Row): ConversationRecord {
  return {
    clientId: text(row, 'client_id'),
    id: text(row, 'id'),
    userId: text(row, 'user_id'),
    customerId: text(row, 'customer_id'),
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
    messageCount: integer(row, 'message_count'),
  };
}

export function toMemory(row: Row): MemoryRecord {
  return {
    id: text(row, 'id'),
    clientId: text(row, 'client_id'),
    scope: oneOf(row, 'scope', SCOPES),
    userId: text(row, 'user_id'),
    customerId: text(row, 'customer_id'),
    conversationId: textOrNull(row, 'conversation_id'),
    memoryType: oneOf(row, 'memory_type', MEMORY_TYPES),
    content: text(row, 'content'),
    entityId: text(row, 'entity_id'),
    subjectKey: text(row, 'subject_key'),
    confidence: decimal(row, 'confidence'),
    category: textOrNull(row, 'category'),
    strength: decimalOrNull(row, 'strength'),
    significance: decimalOrNull(row, 'significance'),
    participants: textArray(row, 'participants'),
    eventDate: dateOrNull(row, 'event_date'),
    validUntil: dateOrNull(row, 'valid_until'),
    temporalCategory: oneOf(row, 'temporal_category', TEMPORAL_CATEGORIES),
    sourceMessageIds: textArray(row, 'source_message_ids'),
    metadata: object(row, 'metadata'),
    createdAt: date(row, 'created_at'),
    supersededBy: textOrNull(row, 'superseded_by'),
  };
}

/** The retrieval columns of a memory (sql-retrieval.ts): no tenant ids, no metadata. */
export function toMemoryHit(row: Row): MemoryHit {
  return {
    id: text(row, 'id'),
    scope: oneOf(row, 'scope', SCOPES),
    memoryType: oneOf(row, 'memory_type', MEMORY_TYPES),
    content: text(row, 'content'),
    entityId: text(row, 'entity_id'),
    subjectKey: text(row, 'subject_key'),
    confidence: decimal(row, 'confidence'),
    eventDate: dateOrNull(row, 'event_date'),
    validUntil: dateOrNull(row, 'valid_until'),
    temporalCategory: oneOf(row, 'temporal_category', TEMPORAL_CATEGORIES),
    sourceMessageIds: textArray(row, 'source_message_ids'),
    createdAt: date(row, 'created_at'),
  };
}

export function toMessageHit(row: Row): MessageHit {
  return {
    id: text(row, 'id'),
    conversationId: text(row, 'conversation_id'),
    role: oneOf(row, 'role', ROLES),
    content: text(row, 'content'),
    recordedAt: date(row, 'recorded_at'),
  };
}

export function toBundle(row: Row): BundleRecord {
  return {
    id: text(row, 'id'),
    clientId: text(row, 'client_id'),
    conversationId: text(row, 'conversation_id'),
    userId: text(row, 'user_id'),
    customerId: text(row, 'customer_id'),
    inReplyToEventId: text(row, 'in_reply_to_event_id'),
    bundleType: text(row, 'bundle_type'),
    payload: object(row, 'payload'),
    retrievalMs: integer(row, 'retrieval_ms'),
    seq: integer(row, 'seq'),
    createdAt: date(row, 'created_at'),
  };
}

export function toCompaction(row: Row): CompactionRecord {
  return {
    id: text(row, 'id'),
    clientId: text(row, 'client_id'),
    conversationId: text(row, 'conversation_id'),
    status: oneOf(row, 'status', COMPACTION_STATUSES),
    strategy: text(row, 'strategy'),
    targetTokens: integerOrNull(row, 'target_tokens'),
    summary: text(row, 'summary'),
    facts: textArray(row, 'facts'),
    decisions: textArray(row, 'decisions'),
    preferences: textArray(row, 'preferences'),
    currentState: object(row, 'current_state'),
    originalTokenCount: integer(row, 'original_token_count'),
    compactedTokenCount: integer(row, 'compacted_token_count'),
    throughSeq: integer(row, 'through_seq'),
    compactedMessageCount: integer(row, 'compacted_message_count'),
    previousId: textOrNull(row, 'previous_id'),
    error: textOrNull(row, 'error'),
    createdAt: date(row, 'created_at'),
    completedAt: dateOrNull(row, 'completed_at'),
  };
}

export function toJob(row: Row): JobRecord {
  return {
    id: integer(row, 'id'),
    clientId: text(row, 'client_id'),
    kind: text(row, 'kind'),
    payload: object(row, 'payload'),
    attempts: integer(row, 'attempts'),
  };
}

// --- column readers -------------------------------------------------------------

export function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw columnError(column, 'text', value);
  return value;
}

export function textOrNull(row: Row, column: string): string | null {
  return row[column] === null ? null : text(row, column);
}

/** bigint and integer columns; pg returns int8 as a string to keep precision. */
export function integer(row: Row, column: string): number {
  const value = row[column];
  const number = typeof value === 'string' || typeof value === 'bigint' ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isSafeInteger(number))
    throw columnError(column, 'integer', value);
  return number;
}

function integerOrNull(row: Row, column: string): number | null {
  return row[column] === null ? null : integer(row, column);
}

/** real, double precision and numeric columns. */
export function decimal(row: Row, column: string): number {
  const value = row[column];
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number !== 'number' || Number.isNaN(number))
    throw columnError(column, 'number', value);
  return number;
}

function decimalOrNull(row: Row, column: string): number | null {
  return row[column] === null ? null : decimal(row, column);
}

export function date(row: Row, column: string): Date {
  const value = row[column];
  if (!(value instanceof Date)) throw columnError(column, 'timestamptz', value);
  return value;
}

function dateOrNull(row: Row, column: string): Date | null {
  return row[column] === null ? null : date(row, column);
}

function textArray(row: Row, column: string): string[] {
  const value = row[column];
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
    throw columnError(column, 'text[]', value);
  }
  return value;
}

export function object(row: Row, column: string): Record<string, unknown> {
  const value = row[column];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw columnError(column, 'jsonb object', value);
  return value as Record<string, unknown>;
}

function oneOf<const T extends string>(row: Row, column: string, values: readonly T[]): T {
  const value = text(row, column);
  const match = values.find((candidate) => candidate === value);
  if (match === undefined) throw columnError(column, values.join('|'), value);
  return match;
}

function columnError(column: string, expected: string, value: unknown): Error {
  return new Error(
    `store: column ${column} holds ${typeof value} ${String(value).slice(0, 40)}, expected ${expected}`,
  );
}
