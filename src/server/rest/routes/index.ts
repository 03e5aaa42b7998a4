import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { MessageRecord, RecordOptions } from '../../../store/records.js';
import type { Store } from '../../../store/store.js';
import type { AuthContext } from '../../api-keys.js';
import type { ServerMetrics } from '../../metrics.js';
import { registerCompactionRoutes } from './compaction.js';
import { registerContextFetchRoutes } from './context-fetch.js';
import { registerEventRoutes } from './events.js';
import { registerIngestRoutes, registerIngestStatusRoute } from './ingest.js';
import { registerMemoryIngestRoutes } from './memory-ingest.js';
import { registerMessageRoutes } from './messages.js';
import { registerOpenApiRoute } from './openapi.js';
import { registerProfileRoutes } from './profile.js';
import { registerServiceRoutes } from './service.js';

/** The HTTP event path, implemented next to the gRPC stream in src/server/events. */
export interface HttpEventPath {
  postEvent(auth: AuthContext, body: unknown): Promise<{ event_id: string }>;
  nextBundles(
    auth: AuthContext,
    query: unknown,
    signal: AbortSignal,
  ): Promise<{ bundles: unknown[]; next_cursor: string }>;
}

export interface RouteDependencies {
  store: Store;
  metrics: ServerMetrics;
  logger: Logger;
  events: HttpEventPath;
  /** Queues a compaction for the background runner. */
  enqueueCompaction(clientId: string, compactionId: string): Promise<void>;
  /** How the routes record messages: the follow-up (extraction) job queued with them. */
  recordOptions?: RecordOptions;
  /** Called after messages were committed (the job runner wakes for their job). */
  onMessagesRecorded?(clientId: string, messages: MessageRecord[]): void;
  onConversationIngested?(clientId: string, conversationId: string): void;
}

export function registerRoutes(app: FastifyInstance, deps: RouteDependencies): void {
  registerServiceRoutes(app, deps);
  registerMessageRoutes(app, deps);
  registerIngestRoutes(app, deps);
  registerIngestStatusRoute(app, deps);
  registerMemoryIngestRoutes(app, deps);
  registerContextFetchRoutes(app, deps);
  registerCompactionRoutes(app, deps);
  registerProfileRoutes(app, deps);
  registerEventRoutes(app, deps);
  registerOpenApiRoute(app);
}
