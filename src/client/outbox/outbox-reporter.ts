import type { ForesightLogger } from '../logger.js';

/** Drops are told at most this often; the count is always exact in `stats()`. */
const DROP_REPORT_INTERVAL_MS = 5_000;

/**
 * What the outbox tells its logger, and how often: each kind of failure once (a
 * retry kind again after a delivery, so each outage is told), and drops as a count,
 * at once for the first and then at most every 5 s or at the next flush, never one
 * line per record.
 */
export class OutboxReporter {
  readonly #logger: ForesightLogger;
  readonly #now: () => number;
  readonly #told = new Set<string>();
  #unreportedDrops = 0;
  #lastDropReport = Number.NEGATIVE_INFINITY;

  constructor(logger: ForesightLogger, now: () => number) {
    this.#logger = logger;
    this.#now = now;
  }

  /** Tells `message` unless a message of `kind` was told already. */
  warnOnce(kind: string, details: object, message: string): void {
    if (this.#told.has(kind)) return;
    this.#told.add(kind);
    this.#logger.warn(details, message);
  }

  /** Kinds starting with `prefix` may be told again. */
  forget(prefix: string): void {
    for (const kind of this.#told) if (kind.startsWith(prefix)) this.#told.delete(kind);
  }

  /** `count` records were just dropped (`total` so far). */
  dropped(count: number, total: number): void {
    this.#unreportedDrops += count;
    if (this.#now() - this.#lastDropReport >= DROP_REPORT_INTERVAL_MS) this.reportDrops(total);
  }

  /** Tells the drops not told yet, if any. */
  reportDrops(total: number): void {
    if (this.#unreportedDrops === 0) return;
    this.#logger.warn(
      { dropped: this.#unreportedDrops, droppedTotal: total },
      'outbox full: oldest records dropped',
    );
    this.#unreportedDrops = 0;
    this.#lastDropReport = this.#now();
  }
}
