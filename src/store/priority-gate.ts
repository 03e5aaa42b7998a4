export interface PriorityGateOptions {
  /** Operations let through at once (PGlite has one backend: 1). */
  concurrency: number;
  /**
   * Foreground operations let through in a row while background ones wait, before one
   * background operation goes: background work slows under a foreground flood, it never
   * stops. Default 8.
   */
  foregroundBurst?: number;
}

/**
 * The way into the database: `concurrency` operations at a time (an operation is a
 * statement, or a whole transaction or session), foreground ones first. Background
 * operations come through a database's `background()` view: the event path and the
 * job runner, so a flood of events never starves the REST recordings and fetches a
 * client is waiting on. Waiting operations are not bounded here: callers bound their
 * own (event admission, job batches, request limits).
 */
export class PriorityGate {
  readonly #concurrency: number;
  readonly #foregroundBurst: number;
  readonly #foreground: (() => void)[] = [];
  readonly #background: (() => void)[] = [];
  #running = 0;
  #foregroundInARow = 0;

  constructor(options: PriorityGateOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new RangeError(`concurrency: must be a positive integer, got ${options.concurrency}`);
    this.#concurrency = options.concurrency;
    this.#foregroundBurst = options.foregroundBurst ?? 8;
  }

  /** Operations waiting for their turn. */
  get waiting(): { foreground: number; background: number } {
    return { foreground: this.#foreground.length, background: this.#background.length };
  }

  /** Runs `operation` once its turn comes. */
  async run<T>(operation: () => Promise<T>, background: boolean): Promise<T> {
    if (this.#running < this.#concurrency) this.#running += 1;
    else
      await new Promise<void>((resolve) =>
        (background ? this.#background : this.#foreground).push(resolve),
      );
    try {
      return await operation();
    } finally {
      this.#next();
    }
  }

  /** Hands the slot just freed to the next operation, or frees it. */
  #next(): void {
    const backgroundTurn =
      this.#background.length > 0 &&
      (this.#foreground.length === 0 || this.#foregroundInARow >= this.#foregroundBurst);
    const resume = backgroundTurn ? this.#background.shift() : this.#foreground.shift();
    if (!resume) {
      this.#running -= 1;
      return;
    }
    this.#foregroundInARow = backgroundTurn ? 0 : this.#foregroundInARow + 1;
    // PGlite runs a statement synchronously: operations handed on from one to the next
    // would run as one long chain of promise callbacks, and no request would even be
    // read until the queue is empty. Before background work, the event loop reads what
    // came in, so a request it brings is the next in line.
    if (backgroundTurn) setImmediate(resume);
    else resume();
  }
}
