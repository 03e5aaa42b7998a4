export type { Clock } from '../clock.js';
export type { StoreLogger } from './database.js';
export { DEFAULT_DATA_DIR, type OpenStoreOptions, openStore } from './open-store.js';
export { DEFAULT_SHARED_BUFFERS_MB } from './pglite-defaults.js';
export {
  type ApiKeyRecord,
  type BundleRecord,
  type ClientMode,
  type ClientRecord,
  type CompactionRecord,
  type CompactionStatus,
  type ConversationRecord,
  type IngestInput,
  type IngestOutcome,
  type JobRecord,
  MEMORY_TYPES,
  type MemoryRecord,
  type MemorySearch,
  type MemoryType,
  type MessageRecord,
  type MessageSearch,
  type NewBundle,
  type NewEvent,
  type NewMemory,
  type NewMessage,
  type RecordOutcome,
  type Role,
  SCOPES,
  type Scope,
  type ScopeFilter,
  type ScoredMemory,
  type ScoredMessage,
  type TelemetryInput,
} from './records.js';
export type {
  ConversationPage,
  InspectedEvent,
  InspectorReads,
  PagedMemory,
  SupersessionChain,
} from './sql-inspector.js';
export type { Store } from './store.js';
