import { InvalidInputError } from '../errors.js';

/**
 * Options of the client's outbox (`ClientOptions.outbox`): how records are batched,
 * how many are held while the service is away, and how failed sends are retried.
 */
export interface OutboxOptions {
  /** Most records in one `POST /v1/conversations/messages/batch`. Default 100 (the wire allows 500). */
  maxBatchSize?: number;
  /** A record waits at most this long for a fuller batch, ms. Default 100. */
  flushIntervalMs?: number;
  /** Records held (queued and in flight); past it the oldest are dropped and counted. Default 10 000. */
  maxQueued?: number;
  /** Bytes held (JSON of the records); past it the oldest are dropped and counted. Default 16 MiB. */
  maxQueuedBytes?: number;
  /** Upper bound of the first retry delay, ms; each retry doubles it (full jitter). Default 250. */
  baseRetryDelayMs?: number;
  /** Cap of every retry delay, ms; a longer Retry-After still wins. Default 30 000. */
  maxRetryDelayMs?: number;
  /**
   * A directory for the on-disk journal of queued records, so that a crash, a restart
   * or an outage of any length loses nothing. Env `FORESIGHT_SPOOL_DIR`. Default: none
   * (records live in memory only).
   */
  spoolDir?: string;
}

export interface ResolvedOutboxOptions {
  maxBatchSize: number;
  flushIntervalMs: number;
  maxQueued: number;
  maxQueuedBytes: number;
  baseRetryDelayMs: number;
  maxRetryDelayMs: number;
  spoolDir: string | undefined;
}

/** The wire's limit of one batch request. */
const MAX_WIRE_BATCH = 500;

/** Call over env over default; errors name the option and the rule. */
export function resolveOutboxOptions(
  options: OutboxOptions = {},
  env: Record<string, string | undefined> = process.env,
): ResolvedOutboxOptions {
  const maxBatchSize = integer('outbox.maxBatchSize', options.maxBatchSize ?? 100, 1);
  if (maxBatchSize > MAX_WIRE_BATCH) {
    throw new InvalidInputError({
      message: `outbox.maxBatchSize: must be at most ${MAX_WIRE_BATCH}, got ${maxBatchSize}`,
      field: 'outbox.maxBatchSize',
    });
  }
  const baseRetryDelayMs = integer('outbox.baseRetryDelayMs', options.baseRetryDelayMs ?? 250, 1);
  const spoolDir = options.spoolDir ?? (env.FORESIGHT_SPOOL_DIR || undefined);
  return {
    maxBatchSize,
    flushIntervalMs: integer('outbox.flushIntervalMs', options.flushIntervalMs ?? 100, 0),
    maxQueued: integer('outbox.maxQueued', options.maxQueued ?? 10_000, 1),
    maxQueuedBytes: integer('outbox.maxQueuedBytes', options.maxQueuedBytes ?? 16 * 1024 * 1024, 1),
    baseRetryDelayMs,
    maxRetryDelayMs: Math.max(
      baseRetryDelayMs,
      integer('outbox.maxRetryDelayMs', options.maxRetryDelayMs ?? 30_000, 1),
    ),
    spoolDir,
  };
}

function integer(name: string, value: number, minimum: number): number {
  if (!Number.isInteger(value) || value < minimum) {
    throw new InvalidInputError({
      message: `${name}: must be an integer of at least ${minimum}, got ${value}`,
      field: name,
    });
  }
  return value;
}
