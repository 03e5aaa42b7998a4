/**
 * `foresight`: the client of the Synap protocol. `createClient` records turns over REST,
 * streams events over gRPC (or HTTP), and keeps the context bundles pushed back in an
 * anticipation cache that `context.peek` reads without any network.
 */
export type { CachedBundle } from './client/anticipation-cache.js';
export type { ClientOptions } from './client/client-options.js';
export { conversationIdFrom } from './client/conversation-id.js';
export {
  type ClientFlushResult,
  type ClientOutbox,
  createClient,
  type ForesightClient,
} from './client/create-client.js';
export {
  closeDefaultClient,
  DEFAULT_EXIT_FLUSH_MS,
  defaultClient,
} from './client/default-client.js';
export {
  AgentUnavailableError,
  AuthenticationError,
  ClientClosedError,
  ConflictError,
  ContextNotFoundError,
  InsufficientCreditsError,
  InvalidConversationIdError,
  InvalidInputError,
  InvalidInstanceIdError,
  ListeningAlreadyActiveError,
  ListeningNotActiveError,
  NetworkTimeoutError,
  RateLimitError,
  ServiceUnavailableError,
  SessionExpiredError,
  SynapError,
  type SynapErrorCode,
  SynapPermanentError,
  SynapTransientError,
} from './client/errors.js';
export type { ForesightLogger } from './client/logger.js';
export type { OutboxOptions } from './client/outbox/outbox-options.js';
export type { OutboxFlushResult, OutboxStats } from './client/outbox/outbox-stats.js';
export type {
  BatchRecordOutcome,
  BatchRecordResult,
  CompactedContext,
  CompactInput,
  CompactionStatus,
  ContextBundle,
  ContextItem,
  ContextUsedInput,
  ConversationContext,
  EventType,
  FetchInput,
  FetchResult,
  FetchScope,
  IngestInput,
  IngestResult,
  ListenOptions,
  MemoryItem,
  MemoryType,
  PromptContext,
  RecentTurn,
  RecordedMessage,
  RecordMessageInput,
  Role,
  Scope,
  SendMessageInput,
  StreamSignal,
  StreamStatus,
  TranscriptTurn,
  WaitForResult,
} from './client/types.js';
export { SDK_VERSION } from './version.js';
