import { InvalidInputError, InvalidInstanceIdError } from './errors.js';
import { type ForesightLogger, onceLogger } from './logger.js';
import {
  type OutboxOptions,
  type ResolvedOutboxOptions,
  resolveOutboxOptions,
} from './outbox/outbox-options.js';

/** Options of `createClient`. Each falls back to its env variable, then to its default. */
export interface ClientOptions {
  /** REST base URL of the context service. Env `FORESIGHT_URL`. Default `http://127.0.0.1:8420`. */
  url?: string;
  /** gRPC target (`host:port`). Env `FORESIGHT_GRPC_TARGET`. Default: the url's host, port 8421. */
  grpcTarget?: string;
  /** Use TLS for gRPC. Env `FORESIGHT_GRPC_TLS` (`true`/`false`). Default: true when the url is https. */
  grpcTls?: boolean;
  /** API key (`Bearer`). Env `FORESIGHT_API_KEY`. Required. */
  apiKey?: string;
  /** `inst_` + 16 hex digits. Env `FORESIGHT_INSTANCE_ID`. Default: none (the service's own). */
  instanceId?: string;
  /** Env `FORESIGHT_CLIENT_ID`. Default: none. */
  clientId?: string;
  /** `grpc` (Listen stream) or `http` (POST /v1/events + long-poll, no http2 needed). Env `FORESIGHT_TRANSPORT`. Default `grpc`. */
  transport?: 'grpc' | 'http';
  /** Bound of each REST call, ms. Env `FORESIGHT_TIMEOUT_MS`. Default 10 000. */
  timeoutMs?: number;
  /** Heartbeat ping interval of the stream, ms. Default 30 000. */
  heartbeatIntervalMs?: number;
  /** The stream counts as dead after this long without an answer, ms. Default 40 000. */
  deadStreamMs?: number;
  /**
   * How the event stream reconnects: full-jitter exponential delays from
   * `initialDelayMs` (first window) doubling up to `maxDelayMs`; `instance.status`
   * turns from `reconnecting` to `degraded` after `degradedAfterAttempts` failed
   * attempts in a row or `degradedAfterMs` down. Defaults 1 000, 30 000, 5, 30 000.
   */
  reconnect?: {
    initialDelayMs?: number;
    maxDelayMs?: number;
    degradedAfterAttempts?: number;
    degradedAfterMs?: number;
  };
  /** Anticipation cache bounds. Defaults: 1000 conversations, 16 MiB, bundles live 300 s unless the service hints. */
  cache?: { maxConversations?: number; maxBytes?: number; defaultTtlMs?: number };
  /**
   * Batching, retry, bounds and optional disk spool of `client.outbox` (see
   * `OutboxOptions`). Defaults: batches of 100 or every 100 ms, at most 10 000 records
   * or 16 MiB held, retries from 250 ms to 30 s, no spool (env `FORESIGHT_SPOOL_DIR`).
   */
  outbox?: OutboxOptions;
  /** Default: silent but for one process warning per kind of failure. */
  logger?: ForesightLogger;
  /** Where env defaults come from; for tests. Default `process.env`. */
  env?: Record<string, string | undefined>;
}

export interface ResolvedClientOptions {
  url: string;
  grpcTarget: string;
  grpcTls: boolean;
  apiKey: string;
  instanceId: string | undefined;
  clientId: string | undefined;
  transport: 'grpc' | 'http';
  timeoutMs: number;
  heartbeatIntervalMs: number;
  deadStreamMs: number;
  reconnect: {
    initialDelayMs: number;
    maxDelayMs: number;
    degradedAfterAttempts: number;
    degradedAfterMs: number;
  };
  cache: { maxConversations: number; maxBytes: number; defaultTtlMs: number };
  outbox: ResolvedOutboxOptions;
  logger: ForesightLogger;
}

const INSTANCE_ID = /^inst_[0-9a-fA-F]{16}$/;

/** Call over env over default, resolved once in createClient; errors name the option and its env variable. */
export function resolveClientOptions(options: ClientOptions = {}): ResolvedClientOptions {
  const env = options.env ?? process.env;
  const url = (options.url ?? env.FORESIGHT_URL ?? 'http://127.0.0.1:8420').replace(/\/+$/, '');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (cause) {
    throw new InvalidInputError({
      message: `url (FORESIGHT_URL): must be an absolute http(s) URL, got ${JSON.stringify(url)}`,
      field: 'url',
      cause,
    });
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new InvalidInputError({
      message: `url (FORESIGHT_URL): must use http or https, got ${JSON.stringify(url)}`,
      field: 'url',
    });
  }
  const apiKey = options.apiKey ?? env.FORESIGHT_API_KEY;
  if (!apiKey)
    throw new InvalidInputError({
      message: 'apiKey (FORESIGHT_API_KEY): is required',
      field: 'apiKey',
    });
  const instanceId = options.instanceId ?? env.FORESIGHT_INSTANCE_ID;
  if (instanceId !== undefined && !INSTANCE_ID.test(instanceId)) {
    throw new InvalidInstanceIdError({
      message: 'instanceId (FORESIGHT_INSTANCE_ID): must be "inst_" and 16 hex digits',
      field: 'instanceId',
    });
  }
  const transport = options.transport ?? env.FORESIGHT_TRANSPORT ?? 'grpc';
  if (transport !== 'grpc' && transport !== 'http') {
    throw new InvalidInputError({
      message: `transport (FORESIGHT_TRANSPORT): must be "grpc" or "http", got ${JSON.stringify(transport)}`,
      field: 'transport',
    });
  }
  const tlsEnv = env.FORESIGHT_GRPC_TLS;
  return {
    url,
    grpcTarget:
      options.grpcTarget ??
      env.FORESIGHT_GRPC_TARGET ??
      `${parsed.hostname.includes(':') ? `[${parsed.hostname}]` : parsed.hostname}:8421`,
    grpcTls:
      options.grpcTls ??
      (tlsEnv !== undefined ? tlsEnv === 'true' || tlsEnv === '1' : parsed.protocol === 'https:'),
    apiKey,
    instanceId,
    clientId: options.clientId ?? env.FORESIGHT_CLIENT_ID,
    transport,
    timeoutMs: positive(
      'timeoutMs',
      'FORESIGHT_TIMEOUT_MS',
      options.timeoutMs ?? numberFrom(env.FORESIGHT_TIMEOUT_MS) ?? 10_000,
    ),
    heartbeatIntervalMs: positive(
      'heartbeatIntervalMs',
      undefined,
      options.heartbeatIntervalMs ?? 30_000,
    ),
    deadStreamMs: positive('deadStreamMs', undefined, options.deadStreamMs ?? 40_000),
    reconnect: {
      initialDelayMs: positive(
        'reconnect.initialDelayMs',
        undefined,
        options.reconnect?.initialDelayMs ?? 1_000,
      ),
      maxDelayMs: positive(
        'reconnect.maxDelayMs',
        undefined,
        options.reconnect?.maxDelayMs ?? 30_000,
      ),
      degradedAfterAttempts: positive(
        'reconnect.degradedAfterAttempts',
        undefined,
        options.reconnect?.degradedAfterAttempts ?? 5,
      ),
      degradedAfterMs: positive(
        'reconnect.degradedAfterMs',
        undefined,
        options.reconnect?.degradedAfterMs ?? 30_000,
      ),
    },
    cache: {
      maxConversations: positive(
        'cache.maxConversations',
        undefined,
        options.cache?.maxConversations ?? 1000,
      ),
      maxBytes: positive('cache.maxBytes', undefined, options.cache?.maxBytes ?? 16 * 1024 * 1024),
      defaultTtlMs: positive(
        'cache.defaultTtlMs',
        undefined,
        options.cache?.defaultTtlMs ?? 300_000,
      ),
    },
    outbox: resolveOutboxOptions(options.outbox, env),
    logger: options.logger ?? onceLogger(),
  };
}

function numberFrom(value: string | undefined): number | undefined {
  return value === undefined || value === '' ? undefined : Number(value);
}

function positive(name: string, envName: string | undefined, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    const source = envName ? `${name} (${envName})` : name;
    throw new InvalidInputError({
      message: `${source}: must be a positive number, got ${value}`,
      field: name,
    });
  }
  return value;
}
