/**
 * The rows the Store reads and writes, in camelCase. The SQL layer maps snake_case
 * columns to these in one place (src/store/sql-store.ts); nothing above the store sees SQL.
 * Times are `Date`; ids are strings; conversation ids are UUIDs.
 */

import type { MemoryType, Scope } from '../protocol/memory-types.js';

export { MEMORY_TYPES, type MemoryType, SCOPES, type Scope } from '../protocol/memory-types.js';

export type Role = 'user' | 'assistant';

/** B2C: customer_id may be omitted. B2B: a user_id needs a customer_id. */
export type ClientMode = 'b2c' | 'b2b';

export interface ClientRecord {
  id: string;
  name: string;
  mode: ClientMode;
  createdAt: Date;
}

export interface ApiKeyRecord {
  /** Public part of the key (`fsk_<id>_<secret>`), used to look the row up. */
  id: string;
  clientId: string;
  name: string;
  /** HMAC-SHA256 of the secret part under the server secret, hex; never the key itself. */
  secretHash: string;
  /** `inst_` + 16 hex digits, answered by whoami. */
  instanceId: string;
  createdAt: Date;
  revokedAt: Date | null;
  lastUsedAt: Date | null;
}

export interface NewMessage {
  conversationId: string;
  userId: string;
  /** '' when the client is B2C and none was given. */
  customerId: string;
  sessionId: string;
  role: Role;
  content: string;
  metadata: Record<string, unknown>;
  /** Stored once per client: a retry with the same key answers the first message. */
  idempotencyKey: string | null;
}

export interface MessageRecord extends NewMessage {
  id: string;
  clientId: string;
  /** Monotonic order within the store; conversations read in this order. */
  seq: number;
  recordedAt: Date;
}

/** A message about to be stored, with the id it will have. */
export type PendingMessage = NewMessage & { id: string };

/** Background work queued with recorded messages (extraction). */
export interface FollowUpJob {
  kind: string;
  payload: Record<string, unknown>;
}

/** How `recordMessages` records. */
export interface RecordOptions {
  /**
   * The job to queue with the messages this call stores (duplicates and refused rows
   * are not given); null queues none. It is queued in the messages' own transaction,
   * so it exists if and only if they do: no message is left unextracted by a crash
   * between the two, and no commit is spent on it alone. A batch the database refuses
   * a row of is recorded again row by row: this may then be asked more than once, and
   * only the job of the attempt that commits is queued.
   */
  jobFor?: (messages: readonly PendingMessage[]) => FollowUpJob | null;
}

/** One row of a batch: the stored message, or why it was refused (input order kept). */
export type RecordOutcome =
  | { ok: true; message: MessageRecord; duplicate: boolean }
  | {
      ok: false;
      code: string;
      detail: string;
      field?: string;
      /** The rule broken, without the field's name: for a caller that names the field its own way. */
      rule?: string;
    };

export interface ConversationRecord {
  clientId: string;
  id: string;
  userId: string;
  customerId: string;
  createdAt: Date;
  updatedAt: Date;
  messageCount: number;
}

export interface IngestInput {
  conversationId: string;
  userId: string;
  customerId: string;
  sessionId: string;
  turns: { role: Role; content: string; timestamp: Date | null }[];
  /** sha256 of the normalized transcript: same id + same hash = duplicate, other hash = conflict. */
  transcriptHash: string;
  metadata: Record<string, unknown>;
}

/** A transcript ingestion, as its status route reads it. */
export interface IngestionRecord {
  ingestionId: string;
  conversationId: string;
  turns: number;
  createdAt: Date;
}

export type IngestOutcome =
  | { status: 'queued' | 'duplicate'; ingestionId: string; turnsRecorded: number }
  /** `field: 'user_id'` when the conversation belongs to another user (then `ingestionId` is ''). */
  | { status: 'conflict'; ingestionId: string; field?: string };

export interface NewEvent {
  /** The client's `metadata.event_id` when it sent one, else a fresh id. */
  id: string;
  conversationId: string;
  userId: string;
  customerId: string;
  sessionId: string;
  eventType: string;
  role: string;
  content: string;
  toolName: string;
  toolArgs: unknown;
  searchQueries: string[];
  contextTypes: string[];
  metadata: Record<string, string>;
  occurredAt: Date;
}

export interface NewMemory {
  scope: Scope;
  userId: string;
  customerId: string;
  /** Set for conversation-scoped memories. */
  conversationId: string | null;
  memoryType: MemoryType;
  content: string;
  /** What the memory is about (a place, a product, the user); '' when unknown. */
  entityId: string;
  /** Memories with the same non-empty subject key supersede each other (latest wins). */
  subjectKey: string;
  confidence: number;
  /** Preferences: category and strength (0..1). */
  category: string | null;
  strength: number | null;
  /** Episodes: significance (0..1) and participants. */
  significance: number | null;
  participants: string[];
  /** Temporal events need an event date. */
  eventDate: Date | null;
  validUntil: Date | null;
  temporalCategory: 'perpetual' | 'temporal_fact' | 'episode';
  sourceMessageIds: string[];
  metadata: Record<string, unknown>;
  /**
   * Ids of the same owner's current memories this one replaces, whatever their subject
   * key (a change told in other words: extraction/change-supersession.ts). Ids of
   * another owner, or already superseded, are left alone.
   */
  supersedes?: string[];
}

export interface MemoryRecord extends NewMemory {
  id: string;
  clientId: string;
  createdAt: Date;
  /** Set when a newer memory replaced this one; never served as current. */
  supersededBy: string | null;
}

/** Who a retrieval is for. Narrower scopes are included: a user sees their customer's and client's memories. */
export interface ScopeFilter {
  userId: string;
  customerId: string;
  conversationId: string | null;
}

export interface MemorySearch extends ScopeFilter {
  /** Free text; empty means "most recent". */
  query: string;
  types: MemoryType[];
  limit: number;
}

export interface ScoredMemory {
  memory: MemoryRecord;
  /** Full-text rank (ts_rank_cd), 0 when the search had no query. */
  textRank: number;
}

/**
 * One retrieval for an event: several queries in one statement. Each row carries its
 * full-text rank against every query, so the engine can weigh an entity above an
 * expansion word without a round trip per query.
 */
export interface MemoryRetrieval extends ScopeFilter {
  /** Free-text queries (any word matches); at most 16 are used. */
  queries: string[];
  /** Each query's say (0..1) in which rows make the limit; default 1 each. */
  weights?: number[];
  /**
   * Memories of these categories (preferences) are retrieved even when no query word
   * matches, and count as a match of weight `categoryWeight` (default 0.5).
   */
  categories?: string[];
  categoryWeight?: number;
  types: MemoryType[];
  limit: number;
}

/** What retrieval reads of a memory: what a bundle item and its ranking need, no more. */
export type MemoryHit = Pick<
  MemoryRecord,
  | 'id'
  | 'scope'
  | 'memoryType'
  | 'content'
  | 'entityId'
  | 'subjectKey'
  | 'confidence'
  | 'eventDate'
  | 'validUntil'
  | 'temporalCategory'
  | 'sourceMessageIds'
  | 'createdAt'
>;

/** A client's `context_used` report: which items of one bundle it used. */
export interface UsageReport {
  bundleId: string;
  userId: string;
  customerId: string;
  itemIds: readonly string[];
}

/** How often a user's agent was served, and used, one item for one tool ('' for a turn). */
export interface ItemUsage {
  toolName: string;
  itemId: string;
  uses: number;
  /** Reported bundles that carried it: `serves - uses` times it went unused. */
  serves: number;
  lastUsedAt: Date;
}

/** A memory as the engine's working set holds it (sql-owned-memories.ts). */
export interface OwnedMemory {
  memory: MemoryHit;
  /** Preferences' category; null for other types. */
  category: string | null;
  /** Set for conversation-scoped memories: they are seen in that conversation only. */
  conversationId: string | null;
  /**
   * Where the user said it: the conversation and recording order (`seq`) of the message
   * it was extracted from (its first source), for what was said next to it. Null for a
   * memory without a recorded source, and for customer and client memories.
   */
  sourceTurn: SourceTurn | null;
}

/** A recorded message's place: its conversation and its global recording order. */
export interface SourceTurn {
  conversationId: string;
  seq: number;
}

export interface RetrievedMemory {
  memory: MemoryHit;
  /** ts_rank_cd against `queries[i]`, 0 where it did not match. */
  ranks: number[];
  /** True when its category is one of the retrieval's `categories`. */
  categoryMatch: boolean;
}

/** A memory waiting for its embedding. */
export interface MemoryToEmbed {
  clientId: string;
  id: string;
  content: string;
}

/** Nearest memories to a vector, within what the scope may see. */
export interface SimilarMemories extends ScopeFilter {
  vector: number[];
  types: MemoryType[];
  limit: number;
}

export interface SimilarMemory {
  memory: MemoryHit;
  /** Cosine similarity, -1..1. */
  cosine: number;
}

/** The user's past messages (not the given conversation's newest turns) for the same queries. */
export interface MessageRetrieval {
  userId: string;
  customerId: string;
  queries: string[];
  weights?: number[];
  limit: number;
}

/** What retrieval reads of a past message. */
export type MessageHit = Pick<
  MessageRecord,
  'id' | 'conversationId' | 'role' | 'content' | 'recordedAt'
>;

/** A user's message as the engine's message working set holds it. */
export interface UserMessage {
  message: MessageHit;
  customerId: string;
  seq: number;
}

/** A message whose memory no longer holds: for good (`retiredAt` null) or from a time on. */
export interface RetiredSource {
  messageId: string;
  retiredAt: Date | null;
}

export interface RetrievedMessage {
  message: MessageHit;
  ranks: number[];
}

export interface MessageSearch {
  userId: string;
  customerId: string;
  /** Restrict to one conversation, or null for all of the user's conversations. */
  conversationId: string | null;
  query: string;
  limit: number;
}

export interface ScoredMessage {
  message: MessageRecord;
  textRank: number;
}

export interface BundleRecord {
  id: string;
  clientId: string;
  conversationId: string;
  userId: string;
  customerId: string;
  /** The event this bundle answers (our extension, field 100); '' when none. */
  inReplyToEventId: string;
  bundleType: string;
  /** The bundle in its JSON wire form (snake_case ContextBundleProto). */
  payload: Record<string, unknown>;
  retrievalMs: number;
  /** Cursor for the HTTP long-poll path. */
  seq: number;
  createdAt: Date;
}

export type NewBundle = Omit<BundleRecord, 'clientId' | 'seq' | 'createdAt'>;

export type CompactionStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface CompactionRecord {
  id: string;
  clientId: string;
  conversationId: string;
  status: CompactionStatus;
  strategy: string;
  targetTokens: number | null;
  summary: string;
  facts: string[];
  decisions: string[];
  preferences: string[];
  currentState: Record<string, unknown>;
  originalTokenCount: number;
  compactedTokenCount: number;
  /** Messages up to and including this seq are covered by the compaction. */
  throughSeq: number;
  compactedMessageCount: number;
  /** The compaction this one built on, for incremental compaction. */
  previousId: string | null;
  error: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

export interface JobRecord {
  id: number;
  clientId: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
}

export interface TelemetryInput {
  eventType: string;
  payload: Record<string, unknown>;
}
