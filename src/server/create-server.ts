import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { systemClock } from '../clock.js';
import { EmbeddingIndexer } from '../engine/embedding-indexer.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/store.js';
import { ApiKeys, resolveKeySecret } from './api-keys.js';
import { COMPACTION_JOB } from './compaction-job.js';
import { DEFAULT_CLIENT_ID } from './default-client.js';
import { createEventServices } from './event-services.js';
import { extractionJobFor } from './extraction-follow-up.js';
import { ExtractionScheduler } from './extraction-job.js';
import { ForegroundLoad } from './foreground-load.js';
import { InspectorSessions } from './inspector/index.js';
import { JobRunner } from './job-runner.js';
import { ServerMetrics } from './metrics.js';
import { createJobHandlers } from './model-plugins.js';
import { createRestApp } from './rest/rest-app.js';
import { createServerLogger } from './server-logger.js';
import { resolveServerOptions, type ServerOptions } from './server-options.js';
import { settleWithin } from './settle-within.js';

export { DEFAULT_CLIENT_ID };

export interface ForesightServer {
  /** e.g. `http://127.0.0.1:8420` (the real port when 0 was asked). */
  readonly restUrl: string;
  /** e.g. `127.0.0.1:8421`, for a gRPC channel. */
  readonly grpcTarget: string;
  readonly store: Store;
  readonly apiKeys: ApiKeys;
  readonly metrics: ServerMetrics;
  /** `<restUrl>/inspect` when the web inspector is enabled (`inspector: true`). */
  readonly inspectorUrl: string | undefined;
  /**
   * Graceful stop: refuse new requests, send `closing` to open streams, finish what
   * is in flight (at most `graceMs`, default `drainTimeoutMs`), stop background jobs,
   * close the store. Idempotent.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

/**
 * Starts the context server: REST (Fastify) and gRPC (grpc-js) over one store, PGlite
 * on disk by default or PostgreSQL with `databaseUrl`.
 */
export async function createServer(options: ServerOptions = {}): Promise<ForesightServer> {
  const settings = resolveServerOptions(options);
  const logger = options.logger ?? createServerLogger(settings.logLevel);
  const ownsStore = !options.store;
  const clock = options.clock ?? options.store?.clock ?? systemClock;
  // The store carries the server's clock: the engine and the routes read it there.
  const store =
    options.store?.withClock(clock) ??
    (await openStore(
      settings.databaseUrl
        ? {
            databaseUrl: settings.databaseUrl,
            ...(settings.databaseSchema ? { schema: settings.databaseSchema } : {}),
            logger,
            clock,
          }
        : {
            dataDir: settings.dataDir,
            logger,
            clock,
            ...(settings.pgliteFsync ? { pgliteFsync: true } : {}),
            pgliteSharedBuffersMb: settings.pgliteSharedBuffersMb,
            pgliteWorker: settings.pgliteWorker,
          },
    ));
  try {
    return await startOn(store, settings, logger, ownsStore, options);
  } catch (error) {
    if (ownsStore) await store.close();
    throw error;
  }
}

async function startOn(
  store: Store,
  settings: ReturnType<typeof resolveServerOptions>,
  logger: Logger,
  ownsStore: boolean,
  plugins: Pick<ServerOptions, 'extraction' | 'compaction' | 'embeddings'>,
): Promise<ForesightServer> {
  const metrics = new ServerMetrics();
  const keySecret = await resolveKeySecret(store, settings.serverSecret);
  const apiKeys = new ApiKeys(store, keySecret);
  await store.upsertClient({
    id: DEFAULT_CLIENT_ID,
    name: 'Default client',
    mode: settings.clientMode,
  });
  if (settings.apiKey)
    await apiKeys.ensure({
      clientId: DEFAULT_CLIENT_ID,
      name: 'development key',
      key: settings.apiKey,
    });

  // Background jobs give the store to requests clients wait on first (job-runner.ts).
  const foreground = new ForegroundLoad();
  const jobs = new JobRunner({
    store,
    logger,
    handlers: createJobHandlers(store, logger, plugins),
    yieldTo: foreground,
  });
  const extraction = new ExtractionScheduler({ store, logger, wake: () => jobs.wake() });
  const events = createEventServices({
    store,
    apiKeys,
    metrics,
    logger,
    streamEventsPerSecond: settings.streamEventsPerSecond,
    maxStreamsPerKey: settings.maxStreamsPerKey,
    authFailureBurst: settings.authFailureBurst,
    keyLimit: { eventsPerSecond: settings.requestsPerSecond, burst: settings.requestBurst },
    ...(plugins.embeddings ? { embeddings: plugins.embeddings } : {}),
  });
  const indexer = plugins.embeddings
    ? new EmbeddingIndexer({ store, model: plugins.embeddings.model, logger })
    : undefined;

  const rest = createRestApp({
    store,
    apiKeys,
    metrics,
    logger,
    maxBodyBytes: settings.maxBodyBytes,
    requestTimeoutMs: settings.requestTimeoutMs,
    authFailureBurst: settings.authFailureBurst,
    maxConnections: settings.maxConnections,
    foreground,
    rateLimit: { requestsPerSecond: settings.requestsPerSecond, burst: settings.requestBurst },
    events: events.http,
    enqueueCompaction: async (clientId, compactionId) => {
      await store.enqueueJob(clientId, COMPACTION_JOB, { compaction_id: compactionId });
      jobs.wake();
    },
    // The extraction job is queued with the messages, in their transaction.
    recordOptions: { jobFor: extractionJobFor },
    onMessagesRecorded: () => jobs.wake(),
    onConversationIngested: (clientId, conversationId) =>
      extraction.conversationIngested(clientId, conversationId),
    ...(settings.inspector
      ? {
          inspector: {
            store,
            apiKeys,
            sessions: new InspectorSessions({ serverSecret: keySecret }),
          },
        }
      : {}),
  });

  await rest.listen({ host: settings.host, port: settings.port });
  let grpcPort: number;
  try {
    grpcPort = await events.grpc.listen(settings.host, settings.grpcPort);
  } catch (error) {
    await rest.close();
    throw error;
  }
  jobs.start();
  indexer?.start();

  const address = rest.server.address();
  const restPort = typeof address === 'object' && address ? address.port : settings.port;
  const displayHost = settings.host.includes(':') ? `[${settings.host}]` : settings.host;
  let closing: Promise<void> | undefined;

  const restUrl = `http://${displayHost}:${restPort}`;
  return {
    restUrl,
    inspectorUrl: settings.inspector ? `${restUrl}/inspect` : undefined,
    grpcTarget: `${displayHost}:${grpcPort}`,
    store,
    apiKeys,
    metrics,
    close(closeOptions = {}) {
      closing ??= (async () => {
        const graceMs = closeOptions.graceMs ?? settings.drainTimeoutMs;
        const deadline = Date.now() + graceMs;
        // Waiting long-polls answer now rather than hold the drain for their wait_ms.
        events.hub.close();
        // Streams first: they get `closing` and reconnect elsewhere while REST drains.
        await Promise.all([events.grpc.shutdown(graceMs), closeRest(rest, graceMs)]);
        // The event rows written behind their bundles, before the store closes, within
        // what is left of the grace.
        await settleWithin(
          events
            .drain()
            .catch((error: unknown) =>
              logger.error({ err: error }, 'event rows not stored at close'),
            ),
          Math.max(0, deadline - Date.now()),
        );
        // Enqueues still in flight land before the runner stops; the jobs run on next start.
        await extraction.flush();
        await Promise.all([jobs.stop(Math.max(0, deadline - Date.now())), indexer?.stop()]);
        if (ownsStore) await store.close();
      })();
      return closing;
    },
  };
}

/**
 * Closes the REST server: requests in flight get up to `graceMs`, then every socket
 * still open is cut. Without the cut, a client that opened a connection and never
 * sent a request (undici does this after an aborted fetch) holds close() open until
 * the headers timeout, a minute or more.
 */
async function closeRest(rest: FastifyInstance, graceMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, graceMs);
    timer.unref();
  });
  const closing = rest.close();
  await Promise.race([closing, grace]);
  clearTimeout(timer);
  rest.server.closeAllConnections();
  await closing;
}
