import { type ForesightLogger, onceLogger } from './logger.js';
import type { BackoffOptions } from './reconnect-backoff.js';

/** Options of `GrpcEventStream`; `createClient` fills them from its own. */
export interface GrpcEventStreamOptions {
  /** `host:port` of the Listen service. */
  target: string;
  /** Sent as `authorization: Bearer <apiKey>`. */
  apiKey: string;
  /** Sent as `x-client-id`. Default ''. */
  clientId?: string;
  /** Sent as `x-instance-id`. Default ''. */
  instanceId?: string;
  /** TLS with the system roots. Default: true only when the target names port 443. */
  tls?: boolean;
  /** A `HeartbeatPing` this often, ms. Default 30 000. */
  heartbeatIntervalMs?: number;
  /** A connected stream with no answer (pong or anything) for this long is dead, ms. Default 40 000. */
  deadAfterMs?: number;
  /** A new call with no answer for this long is abandoned, ms. Default 5 000. */
  connectTimeoutMs?: number;
  /** Full-jitter reconnect delays. Default 1 000 to 30 000 ms. */
  backoff?: BackoffOptions;
  /** Status turns from `reconnecting` to `degraded` after this many calls in a row failed to connect. Default 5. */
  degradedAfterAttempts?: number;
  /** ... or once the stream has been down this long, ms, whichever comes first. Default 30 000. */
  degradedAfterMs?: number;
  /** Events kept while disconnected; the oldest is dropped (and counted) past it. Default 100. */
  maxQueuedEvents?: number;
  /** A queued event older than this is dropped (and counted) instead of replayed, ms. Default 300 000. */
  maxQueuedAgeMs?: number;
  /** `send` waits at most this long for a full write buffer to drain, ms. Default 5 000. */
  drainTimeoutMs?: number;
  /** Default `onceLogger()`: one process warning per kind of trouble. */
  logger?: ForesightLogger;
  /** Epoch ms for ping timestamps and queue ages. Default `Date.now`. */
  now?: () => number;
  /** Backoff jitter. Default `Math.random`. */
  random?: () => number;
}

export type ResolvedGrpcEventStreamOptions = Required<Omit<GrpcEventStreamOptions, 'backoff'>> & {
  backoff: Required<BackoffOptions>;
};

/** Defaults applied once; the reference client's timings (compatibility §15). */
export function resolveGrpcEventStreamOptions(
  options: GrpcEventStreamOptions,
): ResolvedGrpcEventStreamOptions {
  return {
    target: options.target,
    apiKey: options.apiKey,
    clientId: options.clientId ?? '',
    instanceId: options.instanceId ?? '',
    // A local or in-cluster server speaks plaintext; the hosted one listens on 443.
    tls: options.tls ?? /:443$/.test(options.target),
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
    deadAfterMs: options.deadAfterMs ?? 40_000,
    connectTimeoutMs: options.connectTimeoutMs ?? 5_000,
    backoff: {
      initialMs: options.backoff?.initialMs ?? 1_000,
      maxMs: options.backoff?.maxMs ?? 30_000,
    },
    degradedAfterAttempts: options.degradedAfterAttempts ?? 5,
    degradedAfterMs: options.degradedAfterMs ?? 30_000,
    maxQueuedEvents: options.maxQueuedEvents ?? 100,
    maxQueuedAgeMs: options.maxQueuedAgeMs ?? 300_000,
    drainTimeoutMs: options.drainTimeoutMs ?? 5_000,
    logger: options.logger ?? onceLogger(),
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
  };
}
