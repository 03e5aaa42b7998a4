import type { Logger } from 'pino';
import { MemoryAnticipator } from '../engine/index.js';
import type { Store } from '../store/store.js';
import type { ApiKeys } from './api-keys.js';
import {
  BundleHub,
  createHttpEventPath,
  EventAdmission,
  EventProcessor,
  type HttpEventPath,
} from './events/index.js';
import { createGrpcServer, type GrpcServer } from './grpc/index.js';
import type { ServerMetrics } from './metrics.js';
import type { EmbeddingOptions } from './server-options.js';

/**
 * The event path wired once: one processor and one hub shared by the gRPC stream and
 * the HTTP fallback, so a bundle built for an event reaches whichever transport waits.
 */
export function createEventServices(options: {
  store: Store;
  apiKeys: ApiKeys;
  metrics: ServerMetrics;
  logger: Logger;
  streamEventsPerSecond: number;
  /** A key's budget across all its streams (the same per-key limit REST applies). */
  keyLimit: { eventsPerSecond: number; burst: number };
  /** Open Listen streams per API key. */
  maxStreamsPerKey: number;
  /** Failed authentications an address or key id may make in a burst (AuthGuard). */
  authFailureBurst: number;
  embeddings?: EmbeddingOptions;
}): {
  grpc: GrpcServer;
  http: HttpEventPath;
  hub: BundleHub;
  /** Writes the event rows still queued (EventWriter): after the transports close. */
  drain: () => Promise<void>;
} {
  const { store, apiKeys, metrics, logger } = options;
  const hub = new BundleHub();
  // One bound for both transports: they share the engine that falls behind.
  const admission = new EventAdmission();
  // Ranking's recency and the bundle's created_at follow the server's clock.
  const now = () => store.clock.now();
  const anticipator = new MemoryAnticipator({
    store,
    logger,
    now,
    ...(options.embeddings ? { embeddings: options.embeddings } : {}),
  });
  const processor = new EventProcessor({ store, anticipator, hub, metrics, logger, now });
  return {
    grpc: createGrpcServer({
      apiKeys,
      processor,
      store,
      metrics,
      logger,
      limits: {
        eventsPerSecond: options.streamEventsPerSecond,
        burst: options.streamEventsPerSecond * 2,
      },
      keyLimit: options.keyLimit,
      maxStreamsPerKey: options.maxStreamsPerKey,
      authFailureBurst: options.authFailureBurst,
      admission,
    }),
    http: createHttpEventPath({ processor, store, hub, metrics, logger, admission }),
    hub,
    drain: () => processor.drain(),
  };
}
