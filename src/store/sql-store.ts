import { type Clock, systemClock } from '../clock.js';
import type { Database, StoreLogger } from './database.js';
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
  RecordOptions,
  RecordOutcome,
  RetrievedMemory,
  RetrievedMessage,
  ScoredMemory,
  ScoredMessage,
  SimilarMemories,
  SimilarMemory,
  TelemetryInput,
} from './records.js';
import * as bundles from './sql-bundles.js';
import * as clients from './sql-clients.js';
import * as compactions from './sql-compactions.js';
import * as embeddings from './sql-embeddings.js';
import * as events from './sql-events.js';
import * as ingestions from './sql-ingestions.js';
import * as inspect from './sql-inspect.js';
import { InspectorReads } from './sql-inspector.js';
import * as jobs from './sql-jobs.js';
import * as memories from './sql-memories.js';
import * as memoryInserts from './sql-memory-insert.js';
import * as messages from './sql-messages.js';
import * as retrievals from './sql-retrieval.js';
import type { Store } from './store.js';

/**
 * The Store over any `Database`: the SQL lives once, in the sql-*.ts modules (one per
 * concept), and runs unchanged on PGlite and PostgreSQL. Rows become records in
 * row-mapping.ts. Every tenant query takes the client id first and filters by it.
 */
export class SqlStore implements Store {
  readonly #database: Database;
  readonly #logger: StoreLogger;
  readonly #owner: SqlStore | undefined;
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
    this.#logger = logger;
    this.clock = clock;
    this.#owner = owner;
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

  recordMessages(
    clientId: string,
    input: NewMessage[],
    options: RecordOptions = {},
  ): Promise<RecordOutcome[]> {
    return messages.recordMessages(
      this.#database,
      clientId,
      input,
      options,
      this.#logger,
      this.#now(),
    );
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

  ingestTranscript(clientId: string, input: IngestInput): Promise<IngestOutcome> {
    return ingestions.ingestTranscript(this.#database, clientId, input, this.#now());
  }

  getIngestion(clientId: string, ingestionId: string): Promise<IngestionRecord | null> {
    return ingestions.getIngestion(this.#database, clientId, ingestionId);
  }

  recordEvent(clientId: string, event: NewEvent): Promise<void> {
    return events.recordEvent(this.#database, clientId, event);
  }

  recordEvents(clientId: string, list: readonly NewEvent[]): Promise<void> {
    return events.recordEvents(this.#database, clientId, list);
  }

  saveBundles(clientId: string, list: readonly NewBundle[]): Promise<void> {
    return bundles.saveBundles(this.#database, clientId, list);
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

  insertMemories(clientId: string, input: NewMemory[]): Promise<MemoryRecord[]> {
    return memoryInserts.insertMemories(this.#database, clientId, input, this.#now());
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

  finishCompaction(clientId: string, compaction: CompactionRecord): Promise<void> {
    return compactions.finishCompaction(this.#database, clientId, compaction, this.#now());
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
    return jobs.claimJobs(this.#database, kinds, limit, leaseMs, this.#now());
  }

  countPendingJobs(kinds: string[]): Promise<number> {
    return jobs.countPendingJobs(this.#database, kinds);
  }

  completeJob(jobId: number): Promise<void> {
    return jobs.completeJob(this.#database, jobId, this.#now());
  }

  failJob(jobId: number, error: string, retryInMs: number, maxAttempts: number): Promise<void> {
    return jobs.failJob(this.#database, jobId, error, retryInMs, maxAttempts, this.#now());
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
    await this.#database.close();
  }

  #now(): Date {
    return this.clock.now();
  }
}
