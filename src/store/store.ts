import type { Clock } from '../clock.js';
import type {
  ConversationChangeListener,
  MemoryChangeListener,
  MemoryOwner,
  MessageChangeListener,
} from './memory-owners.js';
import type {
  ApiKeyRecord,
  BundleRecord,
  ClientMode,
  ClientRecord,
  CompactionRecord,
  ConversationRecord,
  IngestInput,
  IngestionRecord,
  IngestOutcome,
  ItemUsage,
  JobRecord,
  MemoryRecord,
  MemoryRetrieval,
  MemorySearch,
  MemoryToEmbed,
  MessageRecord,
  MessageRetrieval,
  MessageSearch,
  NewBundle,
  NewEvent,
  NewMemory,
  NewMessage,
  OwnedMemory,
  RecordOptions,
  RecordOutcome,
  RetiredSource,
  RetrievedMemory,
  RetrievedMessage,
  ScoredMemory,
  ScoredMessage,
  SimilarMemories,
  SimilarMemory,
  TelemetryInput,
  UsageReport,
  UserMessage,
} from './records.js';
import type { InspectedBundle } from './sql-inspect.js';
import type { InspectorReads } from './sql-inspector.js';

/**
 * Everything the server and the engine keep, behind one interface. Two backends share
 * the same SQL and migrations: PGlite on disk (embedded default) and PostgreSQL.
 *
 * Tenancy is structural: every method that reads or writes tenant data takes the
 * client id first and every query filters by it, so no caller can forget.
 * Every write resolves only after its transaction committed.
 *
 * Time is the store's `clock`, passed to each statement as a parameter: which
 * memories are current, supersession, job due times and leases, revocations and the
 * times written for readers to compare (recorded_at, created_at, completed_at).
 */
export interface Store {
  readonly backend: 'pglite' | 'postgres';
  /** True when pgvector is installed and vectors can be stored. */
  readonly vectors: boolean;
  /** Where every statement's current time comes from (`OpenStoreOptions.clock`). */
  readonly clock: Clock;
  /**
   * The same store (same database, same data) reading time from `clock`: what a server
   * given both an open store and a clock runs on. Closing it closes the shared store.
   */
  withClock(clock: Clock): Store;
  /** The web inspector's paged reads (sql-inspector.ts). */
  readonly inspector: InspectorReads;

  // --- clients and keys -------------------------------------------------------
  upsertClient(client: { id: string; name: string; mode: ClientMode }): Promise<ClientRecord>;
  getClient(clientId: string): Promise<ClientRecord | null>;
  createApiKey(
    key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt' | 'lastUsedAt'>,
  ): Promise<ApiKeyRecord>;
  /** By the key's public id; revoked keys are returned too (the caller refuses them). */
  getApiKey(keyId: string): Promise<ApiKeyRecord | null>;
  listApiKeys(clientId?: string): Promise<ApiKeyRecord[]>;
  /** Returns false when no such key exists. */
  revokeApiKey(keyId: string): Promise<boolean>;
  /**
   * A server-wide setting (not tenant data): the stored value, or `create()` stored
   * first when there is none. Replicas racing on first start all get the first value.
   */
  ensureSetting(name: string, create: () => string): Promise<string>;

  // --- messages ---------------------------------------------------------------
  /**
   * Records messages in input order, a batch in one transaction, and one bad row never
   * loses the others. A message whose idempotency key was seen (stored, or on an
   * earlier row of the batch) answers the stored one (`duplicate: true`). A
   * conversation owned by another user is refused. `options.jobFor` queues a job with
   * them, in their transaction.
   */
  recordMessages(
    clientId: string,
    messages: NewMessage[],
    options?: RecordOptions,
  ): Promise<RecordOutcome[]>;
  getConversation(clientId: string, conversationId: string): Promise<ConversationRecord | null>;
  /** These messages, in recording order; ids not found are skipped. */
  getMessages(clientId: string, ids: readonly string[]): Promise<MessageRecord[]>;
  /** In recording order; `afterSeq` pages forward, `limit` caps. */
  listMessages(
    clientId: string,
    conversationId: string,
    options?: { afterSeq?: number; limit?: number; newestFirst?: boolean },
  ): Promise<MessageRecord[]>;
  searchMessages(clientId: string, search: MessageSearch): Promise<ScoredMessage[]>;
  /** Whole transcripts: duplicate / conflict rules of wire.md, one transaction. */
  ingestTranscript(clientId: string, input: IngestInput): Promise<IngestOutcome>;
  /** An ingestion by the id `ingestTranscript` answered; null for an unknown id. */
  getIngestion(clientId: string, ingestionId: string): Promise<IngestionRecord | null>;

  // --- events and bundles -----------------------------------------------------
  recordEvent(clientId: string, event: NewEvent): Promise<void>;
  saveBundle(clientId: string, bundle: NewBundle): Promise<BundleRecord>;
  /** Events in order, in as few statements as fit; an id already stored is skipped. */
  recordEvents(clientId: string, events: readonly NewEvent[]): Promise<void>;
  /** Bundles in order (their `seq` follows it), in as few statements as fit. */
  saveBundles(clientId: string, bundles: readonly NewBundle[]): Promise<void>;
  /** Bundles for a conversation (and user) after a cursor, oldest first. */
  listBundlesSince(
    clientId: string,
    filter: {
      conversationId: string;
      userId: string;
      /** '' for any customer (B2C). */
      customerId?: string;
      afterSeq: number;
      limit: number;
    },
  ): Promise<BundleRecord[]>;

  // --- memories ---------------------------------------------------------------
  /**
   * Inserts memories; one with a non-empty subject key supersedes the current memory
   * of the same client, scope owner, type and subject (latest wins, the old one keeps
   * history with `valid_until` set).
   */
  insertMemories(clientId: string, memories: NewMemory[]): Promise<MemoryRecord[]>;
  /**
   * One owner's memories that no newer one replaced, newest first, at most `limit`, the
   * expired ones included (the reader judges validity at its time): what the engine's
   * working set holds (sql-owned-memories.ts).
   */
  listOwnedMemories(clientId: string, owner: MemoryOwner, limit: number): Promise<OwnedMemory[]>;
  /**
   * `listener` is called after every committed memory write, before the write's promise
   * resolves, with the owners whose memories changed. Answers the unsubscribe.
   */
  onMemoryChange(listener: MemoryChangeListener): () => void;
  /**
   * `listener` is called after every committed write to conversations' turns or
   * compaction (records, ingests, finished compactions), before the write resolves, with
   * their ids; other replicas' writes too (PostgreSQL). Answers the unsubscribe.
   */
  onConversationChange(listener: ConversationChangeListener): () => void;
  /**
   * `listener` is called after every committed write that stored messages, before the
   * write resolves, with their users and ids (or 'all' of a user when a write cannot
   * say which: a transcript ingest); other replicas' writes too (PostgreSQL). Answers
   * the unsubscribe.
   */
  onMessagesRecorded(listener: MessageChangeListener): () => void;
  /** A user's newest messages, every customer's, newest first, at most `limit`. */
  listUserMessages(clientId: string, userId: string, limit: number): Promise<UserMessage[]>;
  /** These messages of the user, newest first; unknown ids and other users' are skipped. */
  getUserMessages(clientId: string, userId: string, ids: readonly string[]): Promise<UserMessage[]>;
  /** The user's messages whose memory no longer holds, and from when (sql-user-messages.ts). */
  listRetiredSources(clientId: string, userId: string): Promise<RetiredSource[]>;
  /**
   * Counts the items of one served bundle the client reported using (`context_used`);
   * items the bundle did not carry, or a bundle of another user, count nothing.
   * Answers how many were counted.
   */
  recordItemUsage(clientId: string, report: UsageReport): Promise<number>;
  /** What a user's agent used, per tool, most recently used first (sql-item-usage.ts). */
  listItemUsage(
    clientId: string,
    owner: { userId: string; customerId: string },
  ): Promise<ItemUsage[]>;
  /** Current memories only (not superseded, not expired), ranked by full-text relevance. */
  searchMemories(clientId: string, search: MemorySearch): Promise<ScoredMemory[]>;
  /**
   * Retrieval for an event: current memories visible to the scope that match any of
   * several queries, in one statement, each with its rank per query (sql-retrieval.ts).
   */
  retrieveMemories(clientId: string, retrieval: MemoryRetrieval): Promise<RetrievedMemory[]>;
  /** The user's past messages matching any query; none a superseded memory came from. */
  retrieveMessages(clientId: string, retrieval: MessageRetrieval): Promise<RetrievedMessage[]>;
  /** Current memories without an embedding, oldest first, any client; [] without pgvector. */
  memoriesToEmbed(limit: number): Promise<MemoryToEmbed[]>;
  saveEmbeddings(embeddings: { clientId: string; id: string; vector: number[] }[]): Promise<void>;
  /** Nearest current memories the scope may see, by cosine distance; [] without pgvector. */
  similarMemories(clientId: string, search: SimilarMemories): Promise<SimilarMemory[]>;
  /** Every memory for a scope owner, current and superseded, newest first. */
  listMemories(
    clientId: string,
    filter: {
      userId?: string;
      customerId?: string;
      conversationId?: string;
      includeSuperseded?: boolean;
      limit?: number;
    },
  ): Promise<MemoryRecord[]>;

  // --- inspection (`foresight inspect`; sql-inspect.ts) ---------------------------
  /** The newest bundles of a user and/or conversation, each with the event it answered. */
  listRecentBundles(
    clientId: string,
    filter: { userId?: string; conversationId?: string; limit: number },
  ): Promise<InspectedBundle[]>;
  /** A conversation's memories (scoped to it or extracted from it), current and superseded. */
  listConversationMemories(
    clientId: string,
    conversationId: string,
    limit: number,
  ): Promise<MemoryRecord[]>;

  // --- compaction -------------------------------------------------------------
  /** Creates a queued compaction, or returns null when one is already queued or running. */
  startCompaction(
    clientId: string,
    input: { id: string; conversationId: string; strategy: string; targetTokens: number | null },
  ): Promise<CompactionRecord | null>;
  finishCompaction(clientId: string, compaction: CompactionRecord): Promise<void>;
  getCompaction(clientId: string, compactionId: string): Promise<CompactionRecord | null>;
  /** The newest compaction of a conversation, in any status. */
  latestCompaction(
    clientId: string,
    conversationId: string,
    options?: { status?: CompactionRecord['status'] },
  ): Promise<CompactionRecord | null>;

  // --- background jobs (shared by replicas: FOR UPDATE SKIP LOCKED) -----------
  enqueueJob(clientId: string, kind: string, payload: Record<string, unknown>): Promise<number>;
  /** Claims up to `limit` due jobs of these kinds; another replica never gets the same job. */
  claimJobs(kinds: string[], limit: number, leaseMs: number): Promise<JobRecord[]>;
  /** Jobs of these kinds queued or running, any client: how far behind background work is. */
  countPendingJobs(kinds: string[]): Promise<number>;
  completeJob(jobId: number): Promise<void>;
  /** Retries later with backoff until `maxAttempts`, then marks the job dead. */
  failJob(jobId: number, error: string, retryInMs: number, maxAttempts: number): Promise<void>;

  // --- telemetry --------------------------------------------------------------
  recordTelemetry(clientId: string, events: TelemetryInput[]): Promise<number>;

  // --- lifecycle --------------------------------------------------------------
  /** A cheap round trip, for /ready. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
