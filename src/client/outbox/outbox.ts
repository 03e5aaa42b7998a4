import { randomUUID } from 'node:crypto';
import { ClientClosedError, InvalidInputError, SynapError } from '../errors.js';
import { recordMessageSchema, validateInput } from '../input-schemas.js';
import type { ForesightLogger } from '../logger.js';
import { ReconnectBackoff } from '../reconnect-backoff.js';
import type { BatchRecordResult, RecordMessageInput } from '../types.js';
import type { ResolvedOutboxOptions } from './outbox-options.js';
import { OutboxReporter } from './outbox-reporter.js';
import { OutboxSpool } from './outbox-spool.js';
import type { OutboxFlushResult, OutboxStats, SendBatch } from './outbox-stats.js';

interface Entry {
  id: number;
  record: RecordMessageInput;
  bytes: number;
  queuedAt: number;
}

/** One request's body stays well under the server's default body limit (4 MiB). */
const MAX_BATCH_BYTES = 1024 * 1024;

/**
 * The client's outbox (`client.outbox`): records handed to `enqueue` are validated at
 * once, given an idempotency key, and sent in the background in batches of up to
 * `maxBatchSize`, or after `flushIntervalMs`, to `POST /v1/conversations/messages/batch`.
 * One batch is in flight at a time and a failed batch goes back to the head of the
 * queue, so records reach the service in the order they were enqueued (per
 * conversation, and overall). Transient failures (unreachable, 5xx, 429) are retried
 * without end, after a full-jitter delay in [0, min(maxRetryDelayMs, baseRetryDelayMs
 * × 2ⁿ)) or the service's Retry-After when longer; the idempotency key makes a retry
 * of a batch that was in fact stored answer the first copy. Rows the service refuses
 * are counted as `failed` and told once per kind, never retried. Past `maxQueued` or
 * `maxQueuedBytes` the oldest waiting records are dropped, counted exactly and told
 * through the logger. With `spoolDir`, every record is journaled on disk before
 * `enqueue` returns (see `OutboxSpool`).
 *
 * @example
 * client.outbox.enqueue({ conversationId, userId: 'alice', role: 'user', content: 'Book Lisbon' });
 * // ... later, e.g. before a serverless handler ends:
 * const { undelivered } = await client.flush({ timeoutMs: 2_000 });
 */
export class Outbox {
  readonly #options: ResolvedOutboxOptions;
  readonly #send: SendBatch;
  readonly #logger: ForesightLogger;
  readonly #backoff: ReconnectBackoff;
  readonly #now: () => number;
  readonly #stop = new AbortController();
  readonly #spool: OutboxSpool | undefined;
  /** Waiting records, oldest first; the batch being sent is out of it. */
  #waiting: Entry[] = [];
  #sending: Entry[] = [];
  #heldBytes = 0;
  #nextId = 0;
  #delivered = 0;
  #failed = 0;
  #dropped = 0;
  #retries = 0;
  readonly #reporter: OutboxReporter;
  /** The counts the previous flush answered, so each flush reports its own part. */
  #reported = { delivered: 0, failed: 0, dropped: 0 };
  /** The send loop, while it runs; it ends when nothing is held. */
  #loop: Promise<void> | undefined;
  /** Wakes the loop out of its batching wait (a full batch, or a flush). */
  #wake: (() => void) | undefined;
  /** While a flush waits: send what is there without waiting for a fuller batch. */
  #urgent = 0;
  readonly #idleWaiters = new Set<() => void>();
  #flushing: Promise<OutboxFlushResult> | undefined;
  #closing: Promise<OutboxFlushResult> | undefined;

  constructor(options: {
    options: ResolvedOutboxOptions;
    send: SendBatch;
    logger: ForesightLogger;
    /** Jitter of retry delays. Default `Math.random`. */
    random?: () => number;
    now?: () => number;
  }) {
    this.#options = options.options;
    this.#send = options.send;
    this.#logger = options.logger;
    this.#now = options.now ?? Date.now;
    this.#reporter = new OutboxReporter(this.#logger, this.#now);
    this.#backoff = new ReconnectBackoff({
      initialMs: this.#options.baseRetryDelayMs,
      maxMs: this.#options.maxRetryDelayMs,
      ...(options.random ? { random: options.random } : {}),
    });
    if (this.#options.spoolDir !== undefined) {
      const { spool, recovered } = openSpool(this.#options.spoolDir, this.#logger);
      this.#spool = spool;
      if (recovered.length > 0) {
        this.#logger.warn(
          { records: recovered.length, spoolDir: this.#options.spoolDir },
          'outbox: replaying records left in the spool by an earlier client',
        );
        this.#accept(recovered);
      }
      spool.releaseRecovered();
    }
  }

  /**
   * Queues records for delivery and returns at once: no network on the caller's path.
   * Validates every record first: a bad one throws `InvalidInputError` naming its field
   * and rule (`[1].content: must not be empty`), and nothing of this call is queued.
   * A record without `idempotencyKey` gets one, so retries never duplicate it.
   * Throws `ClientClosedError` after `close()`.
   */
  enqueue(input: RecordMessageInput | RecordMessageInput[]): void {
    if (this.#closing) throw new ClientClosedError();
    const records = Array.isArray(input)
      ? input.map((record, index) => validateInput(recordMessageSchema, record, `[${index}]`))
      : [validateInput(recordMessageSchema, input)];
    if (records.length === 0) return;
    for (const record of records) record.idempotencyKey ??= randomUUID();
    this.#accept(records);
  }

  /** Counts since the client was created, and what is held now. */
  stats(): OutboxStats {
    return {
      queued: this.#waiting.length + this.#sending.length,
      queuedBytes: this.#heldBytes,
      delivered: this.#delivered,
      failed: this.#failed,
      dropped: this.#dropped,
      retries: this.#retries,
      spooled: this.#spool?.size ?? 0,
    };
  }

  /**
   * Sends everything held now without waiting for fuller batches, and resolves when
   * nothing is held or after `timeoutMs`, whichever comes first; retry delays still
   * apply. Concurrent calls share one drain (the first call's deadline). Never rejects.
   */
  flush(timeoutMs: number): Promise<OutboxFlushResult> {
    this.#flushing ??= this.#drain(timeoutMs).finally(() => {
      this.#flushing = undefined;
    });
    return this.#flushing;
  }

  /**
   * Drains for at most `timeoutMs`, then stops sending and refuses later `enqueue`
   * calls. Without a spool, what is still held is lost (and told through the logger);
   * with one, it stays in the journal and the next client created with the same
   * `spoolDir` sends it. Idempotent.
   */
  close(timeoutMs: number): Promise<OutboxFlushResult> {
    this.#closing ??= (async () => {
      const drained = await this.flush(timeoutMs);
      this.#stop.abort();
      this.#wake?.();
      await this.#loop;
      const undelivered = this.#waiting.length;
      if (undelivered > 0 && !this.#spool) {
        this.#logger.warn(
          { undelivered },
          'outbox closed with records undelivered; they are lost (set outbox.spoolDir to keep them)',
        );
      }
      this.#journal('close', (spool) => spool.close());
      const late = this.#takeCounts();
      return {
        delivered: drained.delivered + late.delivered,
        failed: drained.failed + late.failed,
        dropped: drained.dropped + late.dropped,
        undelivered,
      };
    })();
    return this.#closing;
  }

  #accept(records: RecordMessageInput[]): void {
    const now = this.#now();
    const entries = records.map((record) => ({
      id: this.#nextId++,
      record,
      bytes: Buffer.byteLength(JSON.stringify(record)),
      queuedAt: now,
    }));
    this.#journal('append', (spool) => spool.append(entries));
    for (const entry of entries) {
      this.#waiting.push(entry);
      this.#heldBytes += entry.bytes;
    }
    this.#trim();
    this.#kick();
  }

  /** Drops the oldest waiting records while over a bound; a batch in flight is not dropped. */
  #trim(): void {
    const { maxQueued, maxQueuedBytes } = this.#options;
    const dropped: number[] = [];
    while (
      this.#waiting.length > 0 &&
      (this.#waiting.length + this.#sending.length > maxQueued || this.#heldBytes > maxQueuedBytes)
    ) {
      const entry = this.#waiting.shift() as Entry;
      this.#heldBytes -= entry.bytes;
      dropped.push(entry.id);
    }
    if (dropped.length === 0) return;
    this.#journal('remove', (spool) => spool.remove(dropped));
    this.#dropped += dropped.length;
    this.#reporter.dropped(dropped.length, this.#dropped);
    this.#notifyIfIdle();
  }

  #kick(): void {
    if (this.#waiting.length >= this.#options.maxBatchSize || this.#urgent > 0) this.#wake?.();
    if (this.#loop || this.#stop.signal.aborted || this.#waiting.length === 0) return;
    this.#loop = this.#run().finally(() => {
      this.#loop = undefined;
      // Records that came while the loop was ending.
      if (this.#waiting.length > 0 && !this.#stop.signal.aborted) this.#kick();
      else this.#notifyIfIdle();
    });
  }

  async #run(): Promise<void> {
    while (this.#waiting.length > 0 && !this.#stop.signal.aborted) {
      await this.#waitForBatch();
      if (this.#stop.signal.aborted) return;
      const batch = this.#takeBatch();
      if (batch.length === 0) continue;
      await this.#deliver(batch);
    }
  }

  /** Until a batch is full, a flush asks, or the oldest record waited `flushIntervalMs`. */
  async #waitForBatch(): Promise<void> {
    const oldest = this.#waiting[0];
    if (!oldest || this.#urgent > 0 || this.#waiting.length >= this.#options.maxBatchSize) return;
    const delayMs = oldest.queuedAt + this.#options.flushIntervalMs - this.#now();
    if (delayMs <= 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, delayMs);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
    this.#wake = undefined;
  }

  #takeBatch(): Entry[] {
    let bytes = 0;
    let count = 0;
    for (const entry of this.#waiting) {
      if (count >= this.#options.maxBatchSize) break;
      // A record larger than the byte bound still goes, alone.
      if (count > 0 && bytes + entry.bytes > MAX_BATCH_BYTES) break;
      bytes += entry.bytes;
      count += 1;
    }
    this.#sending = this.#waiting.splice(0, count);
    return this.#sending;
  }

  async #deliver(batch: Entry[]): Promise<void> {
    let result: BatchRecordResult;
    try {
      result = await this.#send(
        batch.map((entry) => entry.record),
        { signal: this.#stop.signal },
      );
    } catch (error) {
      this.#sending = [];
      if (this.#stop.signal.aborted || (SynapError.isInstance(error) && error.retryable)) {
        // Back at the head: order holds, and the oldest are again the first to drop.
        this.#waiting.unshift(...batch);
        this.#trim();
        if (this.#stop.signal.aborted) return;
        this.#retries += 1;
        this.#reporter.warnOnce(
          `retry:${SynapError.isInstance(error) ? error.code : 'unknown'}`,
          { err: error, records: batch.length },
          `outbox: batch not delivered (${describe(error)}); retrying with backoff`,
        );
        const retryAfterMs =
          SynapError.isInstance(error) && 'retryAfterMs' in error
            ? Number(error.retryAfterMs ?? 0)
            : 0;
        await this.#backoff.wait(this.#stop.signal, retryAfterMs);
        return;
      }
      this.#settle(
        batch,
        batch.map(() => false),
      );
      const code = SynapError.isInstance(error) ? error.code : 'unknown';
      this.#reporter.warnOnce(
        `batch:${code}`,
        { err: error, records: batch.length },
        `outbox: batch refused (${describe(error)}); its records are counted as failed, not retried`,
      );
      return;
    }
    this.#sending = [];
    this.#backoff.reset();
    this.#reporter.forget('retry:');
    const outcomes = batch.map((_entry, index) => result.results[index]);
    this.#settle(
      batch,
      outcomes.map((outcome) => outcome?.ok === true),
    );
    for (const outcome of outcomes) {
      if (outcome?.ok) continue;
      const code = outcome?.code ?? 'missing_result';
      this.#reporter.warnOnce(
        `row:${code}`,
        { code, field: outcome?.field, message: outcome?.message },
        `outbox: a record was refused (${code}${outcome?.message ? `: ${outcome.message}` : ''}); it is counted as failed, not retried`,
      );
    }
  }

  #settle(batch: Entry[], delivered: boolean[]): void {
    for (const [index, entry] of batch.entries()) {
      this.#heldBytes -= entry.bytes;
      if (delivered[index]) this.#delivered += 1;
      else this.#failed += 1;
    }
    this.#journal('remove', (spool) => spool.remove(batch.map((entry) => entry.id)));
    this.#notifyIfIdle();
  }

  async #drain(timeoutMs: number): Promise<OutboxFlushResult> {
    this.#urgent += 1;
    this.#kick();
    let timer: NodeJS.Timeout | undefined;
    let waiter: (() => void) | undefined;
    try {
      await new Promise<void>((resolve) => {
        if (this.#isIdle()) {
          resolve();
          return;
        }
        waiter = resolve;
        this.#idleWaiters.add(resolve);
        // Ref'd: the caller of flush()/close() awaits this bound (cleared in `finally`).
        timer = setTimeout(resolve, timeoutMs);
      });
    } finally {
      clearTimeout(timer);
      if (waiter) this.#idleWaiters.delete(waiter);
      this.#urgent -= 1;
    }
    this.#reporter.reportDrops(this.#dropped);
    this.#journal('sync', (spool) => spool.sync());
    return { ...this.#takeCounts(), undelivered: this.#waiting.length + this.#sending.length };
  }

  #takeCounts(): Omit<OutboxFlushResult, 'undelivered'> {
    const counts = {
      delivered: this.#delivered - this.#reported.delivered,
      failed: this.#failed - this.#reported.failed,
      dropped: this.#dropped - this.#reported.dropped,
    };
    this.#reported = { delivered: this.#delivered, failed: this.#failed, dropped: this.#dropped };
    return counts;
  }

  #isIdle(): boolean {
    return this.#waiting.length === 0 && this.#sending.length === 0;
  }

  #notifyIfIdle(): void {
    if (!this.#isIdle()) return;
    for (const resolve of [...this.#idleWaiters]) resolve();
  }

  /**
   * A failing disk (full, read-only) must not break the caller: the records stay in
   * memory and the failure is told once per operation.
   */
  #journal(operation: string, write: (spool: OutboxSpool) => void): void {
    if (!this.#spool) return;
    try {
      write(this.#spool);
    } catch (error) {
      this.#reporter.warnOnce(
        `spool:${operation}`,
        { err: error, spoolDir: this.#options.spoolDir },
        `outbox: spool journal ${operation} failed (${describe(error)}); records are kept in memory`,
      );
    }
  }
}

/** A spool directory that cannot be used is a configuration error, told at creation. */
function openSpool(spoolDir: string, logger: ForesightLogger): ReturnType<typeof OutboxSpool.open> {
  try {
    return OutboxSpool.open(spoolDir, logger);
  } catch (error) {
    throw new InvalidInputError({
      message: `outbox.spoolDir (FORESIGHT_SPOOL_DIR): cannot be used as a spool directory (${describe(error)})`,
      field: 'outbox.spoolDir',
      cause: error,
    });
  }
}

function describe(error: unknown): string {
  if (SynapError.isInstance(error)) return `${error.code}: ${error.message}`;
  return error instanceof Error ? error.message : String(error);
}
