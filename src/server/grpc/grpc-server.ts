import { type ChannelOptions, Server, ServerCredentials } from '@grpc/grpc-js';
import type { Logger } from 'pino';
import { SynapServiceService } from '../../gen/synap/v1/synap.js';
import type { Store } from '../../store/store.js';
import type { ApiKeys } from '../api-keys.js';
import { EventAdmission } from '../events/event-admission.js';
import type { EventProcessor } from '../events/event-processor.js';
import type { ServerMetrics } from '../metrics.js';
import { KeyedRateLimiter } from '../token-bucket.js';
import { CallAuthenticator } from './call-authenticator.js';
import { KeyStreamQuota } from './key-stream-quota.js';
import { ListenService } from './listen.js';
import type { StreamLimits } from './listen-stream.js';
import { createIngestTelemetryHandler } from './telemetry.js';

export interface GrpcServerOptions {
  apiKeys: ApiKeys;
  processor: EventProcessor;
  store: Store;
  metrics?: ServerMetrics;
  logger?: Logger;
  /** Per Listen stream. */
  limits: StreamLimits;
  /** Per API key, across all its streams. Default: none (per-stream limits only). */
  keyLimit?: { eventsPerSecond: number; burst: number };
  /** HTTP/2 keepalive the server itself sends, to find dead peers. */
  heartbeat?: {
    /** Ping an idle connection after this long. Default 60 000. */
    keepaliveTimeMs?: number;
    /** Drop the connection when a ping is not answered within this. Default 20 000. */
    keepaliveTimeoutMs?: number;
  };
  /** Largest message accepted from a client. Default 1 MiB (events are ≤ ~130 KiB). */
  maxReceiveMessageBytes?: number;
  /** Listen events in flight over all streams; past it, events are shed with `throttle`. Default 2048. */
  maxEventsInFlight?: number;
  /** A bound shared with the HTTP event path; when given, `maxEventsInFlight` is not used. */
  admission?: EventAdmission;
  /** Open Listen streams at most; past it, a new call ends RESOURCE_EXHAUSTED. Default 10 000. */
  maxStreams?: number;
  /** Open Listen streams per API key; past it, that key's new call ends RESOURCE_EXHAUSTED. Default 1000. */
  maxStreamsPerKey?: number;
  /** Failed authentications an address or key id may make in a burst (AuthGuard). Default 20. */
  authFailureBurst?: number;
}

export interface GrpcServer {
  /** Binds and starts serving; answers the real port (useful with port 0). */
  listen(host: string, port: number): Promise<number>;
  /**
   * Sends `closing` to every Listen stream, lets in-flight work finish for at most
   * `graceMs`, then stops; calls still open after that are cut. Idempotent.
   */
  shutdown(graceMs: number): Promise<void>;
}

/** The gRPC face of the server: `synap.v1.SynapService` (Listen, IngestTelemetry) on grpc-js. */
export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const { logger, metrics } = options;
  const authenticator = new CallAuthenticator({
    apiKeys: options.apiKeys,
    ...(options.authFailureBurst ? { failureBurst: options.authFailureBurst } : {}),
    ...(metrics ? { metrics } : {}),
    ...(logger ? { logger } : {}),
  });
  const listenService = new ListenService(
    {
      authenticator,
      admission: options.admission ?? new EventAdmission(options.maxEventsInFlight),
      streamQuota: new KeyStreamQuota(options.maxStreamsPerKey ?? 1000),
      processor: options.processor,
      metrics,
      logger,
      limits: options.limits,
      ...(options.keyLimit
        ? {
            keyLimiter: new KeyedRateLimiter({
              capacity: options.keyLimit.burst,
              refillPerSecond: options.keyLimit.eventsPerSecond,
            }),
          }
        : {}),
    },
    { maxStreams: options.maxStreams ?? 10_000 },
  );
  const server = new Server(serverOptions(options));
  server.addService(SynapServiceService, {
    listen: listenService.handler,
    ingestTelemetry: createIngestTelemetryHandler({
      authenticator,
      store: options.store,
      ...(metrics ? { metrics } : {}),
      ...(logger ? { logger } : {}),
    }),
  });
  let stopping: Promise<void> | undefined;

  return {
    listen(host, port) {
      return new Promise<number>((resolve, reject) => {
        server.bindAsync(
          `${formatHost(host)}:${port}`,
          ServerCredentials.createInsecure(),
          (error, bound) => (error ? reject(error) : resolve(bound)),
        );
      });
    },

    shutdown(graceMs) {
      stopping ??= (async () => {
        const started = Date.now();
        await listenService.closeAll('server shutting down', graceMs);
        const remaining = Math.max(0, graceMs - (Date.now() - started));
        await new Promise<void>((resolve) => {
          // tryShutdown waits for open calls (telemetry uploads); past the grace they are cut.
          const timer = setTimeout(() => {
            logger?.warn('gRPC calls still open after the grace period; forcing shutdown');
            server.forceShutdown();
            resolve();
          }, remaining);
          timer.unref();
          server.tryShutdown((error) => {
            clearTimeout(timer);
            if (error) logger?.warn({ err: error }, 'gRPC shutdown reported an error');
            resolve();
          });
        });
      })();
      return stopping;
    },
  };
}

function serverOptions(options: GrpcServerOptions): ChannelOptions {
  return {
    // The reference client pings every 30 s, idle or not: permit that (and faster).
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': 10_000,
    'grpc.keepalive_time_ms': options.heartbeat?.keepaliveTimeMs ?? 60_000,
    'grpc.keepalive_timeout_ms': options.heartbeat?.keepaliveTimeoutMs ?? 20_000,
    'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? 1024 * 1024,
  };
}

/** IPv6 literals need brackets in a bind address. */
function formatHost(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}
