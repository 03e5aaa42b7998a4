import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import type { EmbeddingModelLike } from '../engine/embedding-model.js';
import { DEFAULT_SHARED_BUFFERS_MB } from '../store/index.js';
import type { Store } from '../store/store.js';
import type { CompactionOptions, ExtractionOptions } from './model-plugins.js';

/** Options of `createServer`. Each falls back to its env variable, then to its default. */
export interface ServerOptions {
  /** REST port; 0 picks a free one. Env `FORESIGHT_PORT`. Default 8420. */
  port?: number;
  /** gRPC port; 0 picks a free one. Env `FORESIGHT_GRPC_PORT`. Default 8421. */
  grpcPort?: number;
  /** Interface to bind both ports to. Env `FORESIGHT_HOST`. Default `127.0.0.1`. */
  host?: string;
  /** PGlite data directory, created if missing. Env `FORESIGHT_DATA_DIR`. Default `.foresight/data`. */
  dataDir?: string;
  /** PostgreSQL instead of PGlite. Env `DATABASE_URL`. */
  databaseUrl?: string;
  /** PostgreSQL schema to keep the tables in (created if missing). Env `FORESIGHT_DB_SCHEMA`. Default `public`. */
  databaseSchema?: string;
  /**
   * PGlite only: fsync every commit, so acknowledged writes survive a machine crash
   * (several times slower writes; docs/durability.md). Env `FORESIGHT_PGLITE_FSYNC`
   * (`1`/`true`). Default false: acknowledged writes survive a crash of the process.
   */
  pgliteFsync?: boolean;
  /**
   * PGlite only: PostgreSQL's shared_buffers (its page cache), MiB. All of it is
   * resident from the start; a bigger pool serves a big store from memory more often.
   * Env `FORESIGHT_PGLITE_SHARED_BUFFERS_MB`. Default 16.
   */
  pgliteSharedBuffersMb?: number;
  /**
   * PGlite only: run PostgreSQL on a worker thread of its own, so a statement never holds
   * the thread that serves the network (under load it was 40 % of that thread's time).
   * Under event overload it answers about 1.7 times the events, but the thread it frees
   * goes to events, and REST recordings then wait longer (docs/server.md, "Capacity").
   * It costs about a quarter of a second more at start, and a thread. Env
   * `FORESIGHT_PGLITE_WORKER` (`1`/`0`). Default false.
   */
  pgliteWorker?: boolean;
  /**
   * How long `close()` (and SIGTERM) lets in-flight requests, streams and jobs finish
   * before cutting them. Env `FORESIGHT_DRAIN_TIMEOUT_MS`. Default 10 000.
   */
  drainTimeoutMs?: number;
  /** An already open store; the server then does not close it. */
  store?: Store;
  /**
   * Where the server reads the current time: which memories are still valid
   * (`valid_until`), supersession, emotion TTLs, extraction's "today" (a message's
   * `recorded_at`), job due times and leases, key revocations, compaction times. The
   * database's `now()` decides none of them. With `store` and no `clock`, the store's
   * clock. Default: the system clock.
   *
   * @example
   * const nextYear = { now: () => new Date(Date.now() + 365 * 86_400_000) };
   * await createServer({ clock: nextYear });
   */
  clock?: Clock;
  /** A development key registered for the default client at start. Env `FORESIGHT_API_KEY`. */
  apiKey?: string;
  /** Whether the default client is B2C or B2B. Env `FORESIGHT_CLIENT_MODE`. Default `b2c`. */
  clientMode?: 'b2c' | 'b2b';
  /** HMAC secret for API key hashes. Env `FORESIGHT_SERVER_SECRET`. Default: generated once and kept in the store. */
  serverSecret?: string;
  /** Per-key REST and stream-open limit, requests a second. Env `FORESIGHT_RATE_LIMIT_RPS`. Default 200. */
  requestsPerSecond?: number;
  /** Burst allowance of that limit. Env `FORESIGHT_RATE_LIMIT_BURST`. Default 400. */
  requestBurst?: number;
  /**
   * Failed authentications an address or a key id may make in a burst (one more earned
   * back a second) before its bad keys are refused with 429 / RESOURCE_EXHAUSTED for
   * 30 s without a store read; valid keys always pass. Env `FORESIGHT_AUTH_FAILURE_BURST`.
   * Default 20.
   */
  authFailureBurst?: number;
  /** Per-stream event limit, events a second. Env `FORESIGHT_STREAM_EVENTS_PER_SECOND`. Default 50. */
  streamEventsPerSecond?: number;
  /**
   * Open Listen streams one API key may hold (the server holds 10 000 in all); past it
   * that key's new stream ends RESOURCE_EXHAUSTED. Env `FORESIGHT_MAX_STREAMS_PER_KEY`.
   * Default 1000.
   */
  maxStreamsPerKey?: number;
  /** Largest REST body. Env `FORESIGHT_MAX_BODY_BYTES`. Default 4 MiB. */
  maxBodyBytes?: number;
  /**
   * How long a REST request (headers and body) may take to arrive, ms; past it the
   * socket is closed (with a 408 when nothing was answered yet). Bounds how long a slow
   * sender holds a connection and its buffered body. Env `FORESIGHT_REQUEST_TIMEOUT_MS`.
   * Default 30 000.
   */
  requestTimeoutMs?: number;
  /**
   * Open REST connections at most; past it, new connections are closed at once. Env
   * `FORESIGHT_MAX_CONNECTIONS`. Default 2000.
   */
  maxConnections?: number;
  /**
   * Serve the read-only web inspector at `/inspect` (docs/inspector.md): sign in with an
   * API key, see that key's client's conversations, bundles and memories. Env
   * `FORESIGHT_INSPECTOR` (`1`/`true`). Default false.
   */
  inspector?: boolean;
  /** A pino logger; default: pino at `FORESIGHT_LOG_LEVEL` (default `info`) on stderr. */
  logger?: Logger;
  /**
   * Memory extraction by an AI SDK model (`{ model }`) instead of the deterministic
   * English rules; the rules take over for a job the model failed. Default: the rules.
   */
  extraction?: ExtractionOptions;
  /**
   * Compaction by an AI SDK model (`{ model }`) instead of the deterministic baseline;
   * the baseline takes over for a compaction the model failed. Default: the baseline.
   */
  compaction?: CompactionOptions;
  /**
   * Hybrid retrieval: an AI SDK embedding model (`{ model }`, e.g.
   * `openai.textEmbeddingModel('text-embedding-3-small')`). Memories are embedded in the
   * background and events are embedded at retrieval, bounded by `timeoutMs` (default
   * 250); nearest memories are fused with the full-text ones. Needs pgvector in the
   * store (PGlite has it; PostgreSQL needs the extension), else retrieval stays
   * full-text and the server says so at start. Default: full-text only.
   */
  embeddings?: EmbeddingOptions;
}

/** See `ServerOptions.embeddings`. */
export interface EmbeddingOptions {
  model: EmbeddingModelLike;
  /** Bound of the event's embedding call, ms. Default 250. */
  timeoutMs?: number;
  /** Nearest memories below this cosine are not served. Default 0.2. */
  minCosine?: number;
}

export interface ResolvedServerOptions {
  port: number;
  grpcPort: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databaseSchema: string | undefined;
  pgliteFsync: boolean;
  pgliteSharedBuffersMb: number;
  pgliteWorker: boolean;
  drainTimeoutMs: number;
  apiKey: string | undefined;
  clientMode: 'b2c' | 'b2b';
  serverSecret: string | undefined;
  requestsPerSecond: number;
  requestBurst: number;
  streamEventsPerSecond: number;
  authFailureBurst: number;
  maxStreamsPerKey: number;
  maxBodyBytes: number;
  requestTimeoutMs: number;
  maxConnections: number;
  inspector: boolean;
  logLevel: string;
}

/** Call options over env over defaults, resolved once at start. Throws naming the bad setting. */
export function resolveServerOptions(
  options: ServerOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedServerOptions {
  const mode = options.clientMode ?? env.FORESIGHT_CLIENT_MODE ?? 'b2c';
  if (mode !== 'b2c' && mode !== 'b2b')
    throw new Error(
      `clientMode (FORESIGHT_CLIENT_MODE): must be "b2c" or "b2b", got ${JSON.stringify(mode)}`,
    );
  return {
    port: integer('port', 'FORESIGHT_PORT', options.port, env, 8420, 0, 65535),
    grpcPort: integer('grpcPort', 'FORESIGHT_GRPC_PORT', options.grpcPort, env, 8421, 0, 65535),
    host: options.host ?? env.FORESIGHT_HOST ?? '127.0.0.1',
    dataDir: options.dataDir ?? env.FORESIGHT_DATA_DIR ?? '.foresight/data',
    databaseUrl: options.databaseUrl ?? (env.DATABASE_URL || undefined),
    databaseSchema: options.databaseSchema ?? (env.FORESIGHT_DB_SCHEMA || undefined),
    pgliteFsync: options.pgliteFsync ?? flag('pgliteFsync', 'FORESIGHT_PGLITE_FSYNC', env),
    pgliteWorker: options.pgliteWorker ?? flag('pgliteWorker', 'FORESIGHT_PGLITE_WORKER', env),
    pgliteSharedBuffersMb: integer(
      'pgliteSharedBuffersMb',
      'FORESIGHT_PGLITE_SHARED_BUFFERS_MB',
      options.pgliteSharedBuffersMb,
      env,
      DEFAULT_SHARED_BUFFERS_MB,
      1,
      16_384,
    ),
    drainTimeoutMs: integer(
      'drainTimeoutMs',
      'FORESIGHT_DRAIN_TIMEOUT_MS',
      options.drainTimeoutMs,
      env,
      10_000,
      0,
      600_000,
    ),
    apiKey: options.apiKey ?? (env.FORESIGHT_API_KEY || undefined),
    clientMode: mode,
    serverSecret: options.serverSecret ?? (env.FORESIGHT_SERVER_SECRET || undefined),
    requestsPerSecond: integer(
      'requestsPerSecond',
      'FORESIGHT_RATE_LIMIT_RPS',
      options.requestsPerSecond,
      env,
      200,
      1,
      1e6,
    ),
    requestBurst: integer(
      'requestBurst',
      'FORESIGHT_RATE_LIMIT_BURST',
      options.requestBurst,
      env,
      400,
      1,
      1e6,
    ),
    streamEventsPerSecond: integer(
      'streamEventsPerSecond',
      'FORESIGHT_STREAM_EVENTS_PER_SECOND',
      options.streamEventsPerSecond,
      env,
      50,
      1,
      1e6,
    ),
    authFailureBurst: integer(
      'authFailureBurst',
      'FORESIGHT_AUTH_FAILURE_BURST',
      options.authFailureBurst,
      env,
      20,
      1,
      1e6,
    ),
    maxStreamsPerKey: integer(
      'maxStreamsPerKey',
      'FORESIGHT_MAX_STREAMS_PER_KEY',
      options.maxStreamsPerKey,
      env,
      1000,
      1,
      10_000,
    ),
    maxBodyBytes: integer(
      'maxBodyBytes',
      'FORESIGHT_MAX_BODY_BYTES',
      options.maxBodyBytes,
      env,
      4 * 1024 * 1024,
      1024,
      256 * 1024 * 1024,
    ),
    requestTimeoutMs: integer(
      'requestTimeoutMs',
      'FORESIGHT_REQUEST_TIMEOUT_MS',
      options.requestTimeoutMs,
      env,
      30_000,
      100,
      600_000,
    ),
    maxConnections: integer(
      'maxConnections',
      'FORESIGHT_MAX_CONNECTIONS',
      options.maxConnections,
      env,
      2000,
      1,
      1e6,
    ),
    inspector: options.inspector ?? flag('inspector', 'FORESIGHT_INSPECTOR', env),
    logLevel: env.FORESIGHT_LOG_LEVEL ?? 'info',
  };
}

function flag(name: string, envName: string, env: NodeJS.ProcessEnv): boolean {
  const raw = env[envName]?.trim().toLowerCase();
  if (raw === undefined || raw === '' || raw === '0' || raw === 'false') return false;
  if (raw === '1' || raw === 'true') return true;
  throw new Error(`${name} (${envName}): must be 1, 0, true or false, got ${JSON.stringify(raw)}`);
}

function integer(
  name: string,
  envName: string,
  given: number | undefined,
  env: NodeJS.ProcessEnv,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw =
    given ?? (env[envName] !== undefined && env[envName] !== '' ? Number(env[envName]) : fallback);
  if (!Number.isInteger(raw) || raw < min || raw > max) {
    throw new Error(
      `${name} (${envName}): must be an integer from ${min} to ${max}, got ${JSON.stringify(given ?? env[envName])}`,
    );
  }
  return raw;
}
