import { type Clock, systemClock } from '../clock.js';
import type { Database, StoreLogger } from './database.js';
import {
  type ConversationChangeListener,
  changePayload,
  MEMORY_CHANGE_TOPIC,
  type MemoryChangeListener,
  MemoryChanges,
  type MemoryOwner,
  type MessageChangeListener,
  ownersOf,
  parseChange,
  type RecordedMessages,
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
import * as bundles from './sql-bundles.js';
import * as clients from './sql-clients.js';
import * as compactions from './sql-compactions.js';
import * as embeddings from './sql-embeddings.js';
import * as events from './sql-events.js';
import * as ingestions from './sql-ingestions.js';
import * as inspect from './sql-inspect.js';
import { InspectorReads } from './sql-inspector.js';
import * as usage from './sql-item-usage.js';
import * as jobs from './sql-jobs.js';
import * as memories from './sql-memories.js';
import * as memoryInserts from './sql-memory-insert.js';
import * as messages from './sql-messages.js';
import * as owned from './sql-owned-memories.js';
import * as retrievals from './sql-retrieval.js';
import * as userMessages from './sql-user-messages.js';
import type { Store } from './store.js';

/**
 * The Store over any `Database`: the SQL lives once, in the sql-*.ts modules (one per
 * concept), and runs unchanged on PGlite and PostgreSQL. Rows become records in
 * row-mapping.ts. Every tenant query takes the client id first and filters by it.
 */
export class SqlStore implements Store {
  readonly #database: Database;
  /**
   * Where the rows nobody waits on go (events and bundles, after their bundle was
   * delivered; job bookkeeping): behind every statement a caller waits on, where the
   * driver can order them (`Database.background`).
   */
  readonly #behind: Database;
  readonly #logger: StoreLogger;
  readonly #owner: SqlStore | undefined;
  readonly #memoryChanges: MemoryChanges;
  #stopFollowing: (() => Promise<void>) | undefined;
  readonly inspector: InspectorReads;
  #closed = false;
  /** Every time a statement compares or writes for a reader comes from here. */
  readonly clock: Clock;

  constructor(
    database: Database,
    logger: StoreLogger,
    clock: Clock = systemClock,
    owner?: SqlStore,
  ) {
    this.#database = database;
    this.#behind = database.background ?? database;
    this.#logger = logger;
    this.clock = clock;
    this.#owner = owner;
    // Clock-bound views share their owner's listeners: a write through any is seen by all.
    this.#memoryChanges = owner ? owner.#memoryChanges : new MemoryChanges();
    this.inspector = new InspectorReads(database);
  }

  withClock(clock: Clock): Store {
    return new SqlStore(this.#database, this.#logger, clock, this.#owner ?? this);
  }

  get backend(): 'pglite' | 'postgres' {
    return this.#database.backend;
  }

  get vectors(): boolean {
    return this.#database.vectors;
  }

  upsertClient(client: { id: string; name: string; mode: ClientMode }): Promise<ClientRecord> {
    return clients.upsertClient(this.#database, client);
  }

  getClient(clientId: string): Promise<ClientRecord | null> {
    return clients.getClient(this.#database, clientId);
  }

  createApiKey(
    key: Omit<ApiKeyRecord, 'createdAt' | 'revokedAt' | 'lastUsedAt'>,
  ): Promise<ApiKeyRecord> {
    return clients.createApiKey(this.#database, key);
  }

  getApiKey(keyId: string): Promise<ApiKeyRecord | null> {
    return clients.getApiKey(this.#database, keyId);
  }

  listApiKeys(clientId?: string): Promise<ApiKeyRecord[]> {
    return clients.listApiKeys(this.#database, clientId);
  }

  revokeApiKey(keyId: string): Promise<boolean> {
    return clients.revokeApiKey(this.#database, keyId, this.#now());
  }

  ensureSetting(name: string, create: () => string): Promise<string> {
    return clients.ensureSetting(this.#database, name, create);
  }

  async recordMessages(
    clientId: string,
    input: NewMessage[],
    options: RecordOptions = {},
  ): Promise<RecordOutcome[]> {
    const outcomes = await messages.recordMessages(
      this.#database,
      clientId,
      input,
      options,
      this.#logger,
      this.#now(),
    );
    await this.#conversationsChanged(
      clientId,
      input.map((message) => message.conversationId),
      recordedOf(outcomes),
    );
    return outcomes;
  }

  getConversation(clientId: string, conversationId: string): Promise<ConversationRecord | null> {
    return messages.getConversation(this.#database, clientId, conversationId);
  }

  getMessages(clientId: string, ids: readonly string[]): Promise<MessageRecord[]> {
    return messages.getMessages(this.#database, clientId, ids);
  }

  listMessages(
    clientId: string,
    conversationId: string,
    options?: { afterSeq?: number; limit?: number; newestFirst?: boolean },
  ): Promise<MessageRecord[]> {
    return messages.listMessages(this.#database, clientId, conversationId, options);
  }

  searchMessages(clientId: string, search: MessageSearch): Promise<ScoredMessage[]> {
    return messages.searchMessages(this.#database, clientId, search);
  }

  async ingestTranscript(clientId: string, input: IngestInput): Promise<IngestOutcome> {
    const outcome = await ingestions.ingestTranscript(this.#database, clientId, input, this.#now());
    // Its turns' ids are not answered: the user's held messages are read again.
    const recorded =
      outcome.status === 'queued' ? [{ userId: input.userId, ids: 'all' as const }] : [];
    await this.#conversationsChanged(clientId, [input.conversationId], recorded);
    return outcome;
  }

  getIngestion(clientId: string, ingestionId: string): Promise<IngestionRecord | null> {
    return ingestions.getIngestion(this.#database, clientId, ingestionId);
  }

  recordEvent(clientId: string, event: NewEvent): Promise<void> {
    return events.recordEvent(this.#behind, clientId, event);
  }

  recordEvents(clientId: string, list: readonly NewEvent[]): Promise<void> {
    return events.recordEvents(this.#behind, clientId, list);
  }

  saveBundles(clientId: string, list: readonly NewBundle[]): Promise<void> {
    return bundles.saveBundles(this.#behind, clientId, list);
  }

  saveBundle(clientId: string, bundle: NewBundle): Promise<BundleRecord> {
    return bundles.saveBundle(this.#database, clientId, bundle);
  }

  listBundlesSince(
    clientId: string,
    filter: {
      conversationId: string;
      userId: string;
      customerId?: string;
      afterSeq: number;
      limit: number;
    },
  ): Promise<BundleRecord[]> {
    return bundles.listBundlesSince(this.#database, clientId, filter);
  }

  async insertMemories(clientId: string, input: NewMemory[]): Promise<MemoryRecord[]> {
    const inserted = await memoryInserts.insertMemories(
      this.#database,
      clientId,
      input,
      this.#now(),
    );
    const owners = ownersOf(input);
    this.#memoryChanges.publish(clientId, owners);
    // Other replicas hear it within milliseconds; the write has committed whatever
    // happens to the notice, so a failure is logged, not thrown (a retry would duplicate).
    await this.#announce(clientId, { owners });
    return inserted;
  }

  /** Tells other replicas (PostgreSQL) what a committed write changed. */
  async #announce(
    clientId: string,
    change: {
      owners?: readonly MemoryOwner[];
      conversations?: readonly string[];
      messages?: readonly RecordedMessages[];
    },
  ): Promise<void> {
    const notifications = this.#database.notifications;
    if (!notifications) return;
    if (
      (change.owners?.length ?? 0) === 0 &&
      (change.conversations?.length ?? 0) === 0 &&
      (change.messages?.length ?? 0) === 0
    )
      return;
    await notifications
      .notify(MEMORY_CHANGE_TOPIC, changePayload(this.#memoryChanges.origin, clientId, change))
      .catch((error: unknown) =>
        this.#logger.warn({ error: String(error) }, 'change notice not sent'),
      );
  }

  /**
   * After a write to these conversations' turns or compaction (and the messages it
   * stored, by user): here, then elsewhere.
   */
  async #conversationsChanged(
    clientId: string,
    conversationIds: readonly string[],
    messages: readonly RecordedMessages[] = [],
  ): Promise<void> {
    const unique = [...new Set(conversationIds)];
    this.#memoryChanges.publishConversations(clientId, unique);
    this.#memoryChanges.publishMessages(clientId, messages);
    await this.#announce(clientId, {
      conversations: unique,
      ...(messages.length > 0 ? { messages } : {}),
    });
  }

  onConversationChange(listener: ConversationChangeListener): () => void {
    return this.#memoryChanges.subscribeConversations(listener);
  }

  onMessagesRecorded(listener: MessageChangeListener): () => void {
    return this.#memoryChanges.subscribeMessages(listener);
  }

  listUserMessages(clientId: string, userId: string, limit: number): Promise<UserMessage[]> {
    return userMessages.listUserMessages(this.#database, clientId, userId, limit);
  }

  getUserMessages(
    clientId: string,
    userId: string,
    ids: readonly string[],
  ): Promise<UserMessage[]> {
    return userMessages.getUserMessages(this.#database, clientId, userId, ids);
  }

  listRetiredSources(clientId: string, userId: string): Promise<RetiredSource[]> {
    return userMessages.listRetiredSources(this.#database, clientId, userId);
  }

  /**
   * Hears the memory writes of other replicas sharing the database (PostgreSQL), so
   * what they wrote is seen here within milliseconds. No-op on PGlite, whose data one
   * process owns. Stopped by `close`.
   */
  async followReplicas(): Promise<void> {
    const notifications = this.#database.notifications;
    if (!notifications || this.#owner) return;
    const changes = this.#memoryChanges;
    this.#stopFollowing = await notifications.listen(MEMORY_CHANGE_TOPIC, {
      message: (payload) => {
        const change = parseChange(payload);
        if (change && change.origin !== changes.origin) {
          changes.publish(change.clientId, change.owners);
          changes.publishConversations(change.clientId, change.conversations);
          changes.publishMessages(change.clientId, change.messages);
        }
      },
      // Notices sent while the connection was down are lost: assume everything changed.
      resumed: () => {
        changes.publish(null, 'all');
        changes.publishConversations(null, 'all');
        changes.publishMessages(null, 'all');
      },
    });
  }

  listOwnedMemories(clientId: string, owner: MemoryOwner, limit: number): Promise<OwnedMemory[]> {
    return owned.listOwnedMemories(this.#database, clientId, owner, limit);
  }

  recordItemUsage(clientId: string, report: UsageReport): Promise<number> {
    return usage.recordItemUsage(this.#database, clientId, report, this.#now());
  }

  listItemUsage(
    clientId: string,
    owner: { userId: string; customerId: string },
  ): Promise<ItemUsage[]> {
    return usage.listItemUsage(this.#database, clientId, owner);
  }

  onMemoryChange(listener: MemoryChangeListener): () => void {
    return this.#memoryChanges.subscribe(listener);
  }

  searchMemories(clientId: string, search: MemorySearch): Promise<ScoredMemory[]> {
    return memories.searchMemories(this.#database, clientId, search, this.#now());
  }

  memoriesToEmbed(limit: number): Promise<MemoryToEmbed[]> {
    return embeddings.memoriesToEmbed(this.#database, limit, this.#now());
  }

  saveEmbeddings(rows: { clientId: string; id: string; vector: number[] }[]): Promise<void> {
    return embeddings.saveEmbeddings(this.#database, rows);
  }

  similarMemories(clientId: string, search: SimilarMemories): Promise<SimilarMemory[]> {
    return embeddings.similarMemories(this.#database, clientId, search, this.#now());
  }

  retrieveMemories(clientId: string, retrieval: MemoryRetrieval): Promise<RetrievedMemory[]> {
    return retrievals.retrieveMemories(this.#database, clientId, retrieval, this.#now());
  }

  retrieveMessages(clientId: string, retrieval: MessageRetrieval): Promise<RetrievedMessage[]> {
    return retrievals.retrieveMessages(this.#database, clientId, retrieval, this.#now());
  }

  listMemories(
    clientId: string,
    filter: {
      userId?: string;
      customerId?: string;
      conversationId?: string;
      includeSuperseded?: boolean;
      limit?: number;
    },
  ): Promise<MemoryRecord[]> {
    return memories.listMemories(this.#database, clientId, filter, this.#now());
  }

  listRecentBundles(
    clientId: string,
    filter: { userId?: string; conversationId?: string; limit: number },
  ): Promise<inspect.InspectedBundle[]> {
    return inspect.listRecentBundles(this.#database, clientId, filter);
  }

  listConversationMemories(
    clientId: string,
    conversationId: string,
    limit: number,
  ): Promise<MemoryRecord[]> {
    return inspect.listConversationMemories(this.#database, clientId, conversationId, limit);
  }

  startCompaction(
    clientId: string,
    input: { id: string; conversationId: string; strategy: string; targetTokens: number | null },
  ): Promise<CompactionRecord | null> {
    return compactions.startCompaction(this.#database, clientId, input, this.#now());
  }

  async finishCompaction(clientId: string, compaction: CompactionRecord): Promise<void> {
    await compactions.finishCompaction(this.#database, clientId, compaction, this.#now());
    await this.#conversationsChanged(clientId, [compaction.conversationId]);
  }

  getCompaction(clientId: string, compactionId: string): Promise<CompactionRecord | null> {
    return compactions.getCompaction(this.#database, clientId, compactionId);
  }

  latestCompaction(
    clientId: string,
    conversationId: string,
    options?: { status?: CompactionRecord['status'] },
  ): Promise<CompactionRecord | null> {
    return compactions.latestCompaction(this.#database, clientId, conversationId, options);
  }

  enqueueJob(clientId: string, kind: string, payload: Record<string, unknown>): Promise<number> {
    return jobs.enqueueJob(this.#database, clientId, kind, payload, this.#now());
  }

  claimJobs(kinds: string[], limit: number, leaseMs: number): Promise<JobRecord[]> {
    return jobs.claimJobs(this.#behind, kinds, limit, leaseMs, this.#now());
  }

  countPendingJobs(kinds: string[]): Promise<number> {
    return jobs.countPendingJobs(this.#database, kinds);
  }

  completeJob(jobId: number): Promise<void> {
    return jobs.completeJob(this.#behind, jobId, this.#now());
  }

  failJob(jobId: number, error: string, retryInMs: number, maxAttempts: number): Promise<void> {
    return jobs.failJob(this.#behind, jobId, error, retryInMs, maxAttempts, this.#now());
  }

  recordTelemetry(clientId: string, input: TelemetryInput[]): Promise<number> {
    return events.recordTelemetry(this.#database, clientId, input);
  }

  async ping(): Promise<void> {
    await this.#database.query('SELECT 1');
  }

  /** Idempotent. A store made by `withClock` closes the database it shares too. */
  async close(): Promise<void> {
    if (this.#owner) return this.#owner.close();
    if (this.#closed) return;
    this.#closed = true;
    await this.#stopFollowing?.();
    await this.#database.close();
  }

  #now(): Date {
    return this.clock.now();
  }
}

/** The messages a record call stored, by user (duplicates and refused rows are not new). */
function recordedOf(outcomes: readonly RecordOutcome[]): RecordedMessages[] {
  const byUser = new Map<string, string[]>();
  for (const outcome of outcomes) {
    if (!outcome.ok || outcome.duplicate) continue;
    const ids = byUser.get(outcome.message.userId) ?? [];
    ids.push(outcome.message.id);
    byUser.set(outcome.message.userId, ids);
  }
  return [...byUser].map(([userId, ids]) => ({ userId, ids }));
}
