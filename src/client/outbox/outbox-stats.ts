import type { BatchRecordResult, RecordMessageInput } from '../types.js';

/** What `client.outbox.stats()` answers; every count since the client was created. */
export interface OutboxStats {
  /** Records held: waiting, in a retry wait, or in the request being sent. */
  queued: number;
  /** Bytes (JSON) of those records. */
  queuedBytes: number;
  /** Records the service stored (or answered as already stored, by idempotency key). */
  delivered: number;
  /** Records the service refused for good (invalid, conflict, key refused): never retried. */
  failed: number;
  /** Records dropped, oldest first, because the outbox was over `maxQueued` or `maxQueuedBytes`. */
  dropped: number;
  /** Batch requests that failed transiently (network, 5xx, 429) and were sent again. */
  retries: number;
  /** Records in the on-disk journal (0 without `spoolDir`). */
  spooled: number;
}

/** What a drain of the outbox (`client.flush()` / `client.close()`) reports. */
export interface OutboxFlushResult {
  /** Records delivered since the previous flush or close answered. */
  delivered: number;
  /** Records refused for good since the previous flush or close answered. */
  failed: number;
  /** Records dropped over the bounds since the previous flush or close answered. */
  dropped: number;
  /** Records still held when the deadline came. */
  undelivered: number;
}

/** How the outbox sends one batch: `client.conversation.recordMessages`, in practice. */
export type SendBatch = (
  records: RecordMessageInput[],
  options: { signal: AbortSignal },
) => Promise<BatchRecordResult>;
