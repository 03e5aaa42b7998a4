export interface ForegroundLoadOptions {
  /**
   * How long after the last request ended the foreground counts as quiet, ms. On PGlite
   * a request runs start to end without yielding to the event loop, so "a request is
   * running" is rarely what a timer sees: back-to-back requests (a bulk ingest) leave
   * gaps well under this, a recorder writing every 50 ms leaves gaps above it.
   * Default 20.
   */
  quietMs?: number;
}

/**
 * Requests a client is waiting on, counted while they run, so background work (the job
 * runner's extraction and compaction) can give them the store first: on PGlite one
 * thread runs every statement, and a job's statements queue between a batch's.
 * One per server; the REST app enters and leaves, the job runner asks.
 */
export class ForegroundLoad {
  readonly #quietMs: number;
  #inFlight = 0;
  #lastLeftAt = Number.NEGATIVE_INFINITY;
  #quietTimer: NodeJS.Timeout | undefined;
  readonly #waiting = new Set<() => void>();

  constructor(options: ForegroundLoadOptions = {}) {
    this.#quietMs = options.quietMs ?? 20;
  }

  /** True while a request runs, and for `quietMs` after the last one ended. */
  get busy(): boolean {
    return this.busySince(performance.now());
  }

  /**
   * True when the foreground was busy at `time` (a `performance.now()` value) or has
   * been since: what a caller that kept the thread from `time` on asks, since requests
   * that arrived meanwhile could not even be read.
   */
  busySince(time: number): boolean {
    return this.#inFlight > 0 || this.#lastLeftAt > time - this.#quietMs;
  }

  /** Counts a request until the returned function is called (once; later calls do nothing). */
  enter(): () => void {
    this.#inFlight += 1;
    clearTimeout(this.#quietTimer);
    let left = false;
    return () => {
      if (left) return;
      left = true;
      this.#inFlight -= 1;
      this.#lastLeftAt = performance.now();
      if (this.#inFlight === 0 && this.#waiting.size > 0) this.#armQuietTimer(this.#lastLeftAt);
    };
  }

  /**
   * Resolves once no request has run for `quietMs` from now on (requests that arrived
   * while the caller held the thread are read first), after `maxWaitMs`, or when
   * `signal` aborts, whichever comes first. Never rejects.
   */
  whenQuiet(maxWaitMs: number, signal?: AbortSignal): Promise<void> {
    if (maxWaitMs <= 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.#waiting.delete(done);
        resolve();
      };
      // Unref'd: a rest between jobs must not keep the process alive.
      const timer = setTimeout(done, maxWaitMs);
      timer.unref();
      signal?.addEventListener('abort', done, { once: true });
      this.#waiting.add(done);
      if (this.#inFlight === 0) this.#armQuietTimer(performance.now());
    });
  }

  /** Quiet is `quietMs` without a request after `from` (or after the last one left). */
  #armQuietTimer(from: number): void {
    clearTimeout(this.#quietTimer);
    const quietAt = Math.max(from, this.#lastLeftAt) + this.#quietMs;
    this.#quietTimer = setTimeout(
      () => {
        // A request that entered meantime arms the timer again when it leaves.
        if (this.#inFlight > 0) return;
        if (performance.now() < quietAt) this.#armQuietTimer(from);
        else for (const done of [...this.#waiting]) done();
      },
      Math.ceil(Math.max(0, quietAt - performance.now())),
    );
    this.#quietTimer.unref();
  }
}
