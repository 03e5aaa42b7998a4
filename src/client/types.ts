import type { ContextBundle } from '../protocol/context-bundle.js';
import type { MemoryType } from '../protocol/memory-types.js';

/**
 * The client's public data types, camelCase. The snake_case wire forms are mapped in
 * one place (wire-mapping.ts); generated protobuf types never appear here.
 */
export type {
  ContextBundle,
  ContextItem,
  ConversationContext,
  RecentTurn,
} from '../protocol/context-bundle.js';
export type { MemoryType, Scope } from '../protocol/memory-types.js';

export type Role = 'user' | 'assistant';

export interface RecordMessageInput {
  /** A UUID (see `conversationIdFrom` to derive one from a framework's thread id). */
  conversationId: string;
  role: Role;
  content: string;
  userId: string;
  /** Required by B2B tenants. */
  customerId?: string;
  sessionId?: string;
  metadata?: Record<string, unknown>;
  /** The same key is stored once: a retry answers the first message. */
  idempotencyKey?: string;
}

export interface RecordedMessage {
  messageId: string;
  conversationId: string;
  sessionId: string;
  recordedAt: Date;
}

export type BatchRecordOutcome =
  | ({ ok: true } & RecordedMessage)
  | { ok: false; code: string; message: string; field?: string };

export interface BatchRecordResult {
  total: number;
  succeeded: number;
  failed: number;
  /** In input order. */
  results: BatchRecordOutcome[];
}

export interface TranscriptTurn {
  role: Role;
  content: string;
  timestamp?: Date | string;
}

export interface IngestInput {
  /** Any id of the caller's; the server maps a non-UUID to a stable UUID. */
  conversationId: string;
  userId: string;
  customerId?: string;
  sessionId?: string;
  /** `user: ...` / `assistant: ...` lines, or turns. */
  transcript: string | TranscriptTurn[];
  metadata?: Record<string, unknown>;
}

export interface IngestResult {
  conversationId: string;
  externalConversationId: string;
  ingestionId: string;
  status: 'queued' | 'duplicate';
  summaryStatus: 'in_progress' | 'already_compacted' | 'skipped';
  turnsRecorded: number;
}

export type FetchScope = 'conversation' | 'user' | 'customer' | 'client';

export interface FetchInput {
  scope: FetchScope;
  /** Required for the conversation scope. */
  conversationId?: string;
  /** Required for the user scope. */
  userId?: string;
  /** Required for the customer scope, and with userId for B2B tenants. */
  customerId?: string;
  searchQuery?: string | string[];
  /** 1..200; default 20. */
  maxResults?: number;
  /** Default: all five types. */
  types?: MemoryType[];
  mode?: 'fast' | 'accurate';
}

export interface MemoryItem {
  id: string;
  content: string;
  confidence: number;
  source: string;
  extractedAt: Date;
  metadata: Record<string, unknown>;
  temporalCategory: string;
  eventDate?: Date;
  validUntil?: Date;
  /** Preferences. */
  category?: string;
  strength?: number;
  /** Episodes. */
  summary?: string;
  occurredAt?: Date;
  significance?: number;
  participants?: string[];
}

export interface FetchResult {
  context: Record<MemoryType, MemoryItem[]>;
  conversationContext?: {
    summary: string;
    currentState: Record<string, unknown>;
    recentTurns: { role: string; content: string; timestamp: Date }[];
  };
  ttlSeconds: number;
}

export interface CompactInput {
  conversationId: string;
  strategy?: 'adaptive' | 'low' | 'medium' | 'high' | 'aggressive' | 'balanced' | 'conservative';
  targetTokens?: number;
  force?: boolean;
}

export interface CompactionStatus {
  conversationId: string;
  status: string;
  compactionId?: string;
  completedAt?: Date;
  compressionRatio?: number;
}

export interface CompactedContext {
  compactionId: string;
  formattedContext: string;
  summary: string;
  originalTokenCount: number;
  compactedTokenCount: number;
  compressionRatio: number;
  strategyUsed: string;
  facts: string[];
  decisions: string[];
  preferences: string[];
  currentState: Record<string, unknown>;
}

export interface PromptContext {
  formattedContext: string;
  available: boolean;
  isStale: boolean;
  recentMessages: { role: string; content: string; timestamp: Date; messageId: string }[];
  recentMessageCount: number;
  compactedMessageCount: number;
  totalMessageCount: number;
}

export type EventType =
  | 'user_message'
  | 'assistant_message'
  | 'tool_call'
  | 'tool_result'
  | 'context_request'
  | 'session_start'
  | 'session_end'
  | 'agent_thinking';

/**
 * Which items of a served bundle the agent used, for `instance.reportContextUsed`: the
 * server learns from it what each tool needs (ids only; no content leaves).
 */
export interface ContextUsedInput {
  /** The bundle's `bundleId`. */
  bundleId: string;
  conversationId?: string;
  userId: string;
  customerId?: string;
  /** The used items' `itemId`s, at most 64. */
  itemIds: string[];
}

export interface SendMessageInput {
  eventType: EventType;
  conversationId: string;
  userId: string;
  customerId?: string;
  sessionId?: string;
  content?: string;
  role?: Role;
  metadata?: Record<string, string>;
  toolName?: string;
  /** Sent as JSON; must be a plain object. */
  toolArgs?: Record<string, unknown>;
  searchQueries?: string[];
  contextTypes?: MemoryType[];
}

export interface StreamSignal {
  type: 'throttle' | 'closing' | 'error' | (string & {});
  reason: string;
  metadata: Record<string, string>;
}

/**
 * Where the event stream stands: `connecting` → `connected`; when the connection is
 * lost, `reconnecting` (full-jitter backoff, events queued for replay), then
 * `degraded` after `reconnect.degradedAfterAttempts` failed attempts in a row or
 * `reconnect.degradedAfterMs` down (defaults 5 and 30 s), and `connected` again on
 * the first attempt that answers; `closed` when not listening.
 */
export type StreamStatus = 'connecting' | 'connected' | 'reconnecting' | 'degraded' | 'closed';

export interface ListenOptions {
  onBundle?(bundle: ContextBundle): void;
  onSignal?(signal: StreamSignal): void;
  onStatus?(status: StreamStatus): void;
}

/** What `context.waitFor` resolves to: never a rejection for a slow service. */
export type WaitForResult =
  | { status: 'ready'; bundle: ContextBundle }
  | { status: 'timeout' }
  | { status: 'closed' };
