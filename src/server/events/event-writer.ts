import type { Logger } from 'pino';
import type { NewBundle, NewEvent } from '../../store/records.js';
import type { Store } from '../../store/store.js';
import type { ServerMetrics } from '../metrics.js';

export interface EventWriterOptions {
  store: Store;
  logger?: Logger;
  /** Counts each row the store refused (`foresight_event_rows_failed_total`). */
  metrics?: ServerMetrics;
  /**
   * How long a written event may wait to be batched with the next ones, ms. Default 10.
   * The agent never waits on it: its bundle went out before.
   */
  delayMs?: number;
  /** Rows that flush the batch at once, whatever its age. Default 200. */
  maxBatch?: number;
}

interface Pending {
  clientId: string;
  event: NewEvent;
  bundle: NewBundle | undefined;
  /** Run once the rows are stored (the hub's news for HTTP pollers). */
  stored: (() => void) | undefined;
  settle: (error?: unknown) => void;
}

/**
 * Writes the event path's rows (each event, and the bundle that answered it) behind the
 * bundle, in batches: a few events' rows cost one statement per table instead of two
 * each. On PGlite every statement runs on the server's one thread, so an event's own
 * writes held back the next event's retrieval (0.7 ms of each back-to-back event in
 * bench/anticipation); batched, most events find the store free.
 *
 * A batch goes out `delayMs` after its first row, at `maxBatch` rows, or at once for an
 * `urgent` row (an HTTP caller waiting on it). `flush()` writes what is queued: the
 * server calls it on close, so nothing accepted is dropped on a clean stop. A crash
 * loses at most the last `delayMs` of event rows (never a bundle the agent received:
 * those were sent first, and never a turn: turns are recorded through their own route).
 */
export class EventWriter {
  readonly #store: Store;
  readonly #logger: Logger | undefined;
  readonly #metrics: ServerMetrics | undefined;
  readonly #delayMs: number;
  readonly #maxBatch: number;
  #queue: Pending[] = [];
  /** Rows of batches handed to the store (or waiting for the batch before them), not yet stored. */
  #writingRows = 0;
  #timer: NodeJS.Timeout | undefined;
  #writing: Promise<void> = Promise.resolve();

  constructor(options: EventWriterOptions) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#metrics = options.metrics;
    this.#delayMs = options.delayMs ?? 10;
    this.#maxBatch = options.maxBatch ?? 200;
  }

  /**
   * Rows not yet stored: queued, and in batches already flushed. Counting only the
   * queue, a store slower than the events let flushed batches pile up unseen behind the
   * one being written, and the event path's bound on the backlog never held (the load
   * bench's server grew by 500 MiB in a minute).
   */
  get backlog(): number {
    return this.#queue.length + this.#writingRows;
  }

  /** Queues an event's rows; resolves once they are stored, rejects if they cannot be. */
  write(
    clientId: string,
    rows: { event: NewEvent; bundle?: NewBundle; stored?: () => void },
    options: { urgent?: boolean } = {},
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.#queue.push({
        clientId,
        event: rows.event,
        bundle: rows.bundle,
        stored: rows.stored,
        settle: (error) => (error === undefined ? resolve() : reject(error)),
      });
      if (options.urgent || this.#queue.length >= this.#maxBatch) {
        void this.flush();
      } else {
        this.#timer ??= setTimeout(() => void this.flush(), this.#delayMs);
      }
    });
  }

  /** Writes everything queued now; resolves when it and every earlier batch are stored. */
  flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch = this.#queue;
    this.#queue = [];
    this.#writingRows += batch.length;
    // One batch at a time, in order: a stream's events keep their order in the store.
    this.#writing = this.#writing.then(() => this.#write(batch));
    return this.#writing;
  }

  async #write(batch: Pending[]): Promise<void> {
    if (batch.length === 0) return;
    for (const [clientId, pending] of groupByClient(batch)) {
      try {
        await this.#save(clientId, pending);
      } catch (error) {
        if (pending.length === 1) {
          this.#failed(clientId, pending[0] as Pending, error);
          continue;
        }
        // One row the store refuses must not cost the others theirs (another user's,
        // even): the batch is written again row by row, and only the bad row fails.
        for (const item of pending) {
          try {
            await this.#save(clientId, [item]);
          } catch (rowError) {
            this.#failed(clientId, item, rowError);
            continue;
          }
          this.#stored(item);
        }
        continue;
      }
      for (const item of pending) this.#stored(item);
    }
  }

  async #save(clientId: string, pending: Pending[]): Promise<void> {
    await this.#store.recordEvents(
      clientId,
      pending.map((item) => item.event),
    );
    const bundles = pending.flatMap((item) => (item.bundle ? [item.bundle] : []));
    if (bundles.length > 0) await this.#store.saveBundles(clientId, bundles);
  }

  /** A row the store refused: named in the log (ids only) and counted; its writer hears why. */
  #failed(clientId: string, item: Pending, error: unknown): void {
    this.#writingRows -= 1;
    this.#metrics?.eventRowsFailed.inc();
    this.#logger?.error(
      {
        err: error,
        clientId,
        eventId: item.event.id,
        conversationId: item.event.conversationId,
        bundleId: item.bundle?.id,
      },
      'event row not stored',
    );
    item.settle(error);
  }

  #stored(item: Pending): void {
    // Each row is settled once, stored or failed: out of the backlog before its writer hears.
    this.#writingRows -= 1;
    try {
      item.stored?.();
    } catch (error) {
      this.#logger?.error({ err: error }, 'after-write notice failed');
    }
    item.settle();
  }
}

function groupByClient(batch: readonly Pending[]): Map<string, Pending[]> {
  const groups = new Map<string, Pending[]>();
  for (const item of batch) {
    const group = groups.get(item.clientId);
    if (group === undefined) groups.set(item.clientId, [item]);
    else group.push(item);
  }
  return groups;
}
