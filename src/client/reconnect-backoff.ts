/** Reconnect delays of an event stream. */
export interface BackoffOptions {
  /** Upper bound of the first delay, ms. Default 1 000. */
  initialMs?: number;
  /** Cap of every delay, ms. Default 30 000. */
  maxMs?: number;
}

export interface ReconnectBackoffOptions extends BackoffOptions {
  /** Uniform in [0, 1). Default `Math.random`; inject one for deterministic tests. */
  random?: () => number;
}

/**
 * Full-jitter exponential backoff: the n-th delay (from 0) is uniform in
 * [0, min(maxMs, initialMs × 2ⁿ)). The jitter keeps a fleet of clients from
 * reconnecting in lockstep after an outage; the cap keeps a long outage from
 * pushing reconnects out by hours. Defaults are the reference client's (1 s to 30 s).
 *
 * @example
 * const backoff = new ReconnectBackoff({ initialMs: 1_000, maxMs: 30_000 });
 * await backoff.wait(signal); // 0–1 s, then 0–2 s, 0–4 s, … until reset()
 */
export class ReconnectBackoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #random: () => number;
  #attempt = 0;

  constructor(options: ReconnectBackoffOptions = {}) {
    this.#initialMs = Math.max(0, options.initialMs ?? 1_000);
    this.#maxMs = Math.max(this.#initialMs, options.maxMs ?? 30_000);
    this.#random = options.random ?? Math.random;
  }

  /** Delays handed out since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The next delay, ms; each call widens the window until it reaches `maxMs`. */
  nextDelayMs(): number {
    // The exponent stops at 30: far past any cap, and 2ⁿ stays finite however long the outage.
    const ceiling = Math.min(this.#maxMs, this.#initialMs * 2 ** Math.min(this.#attempt, 30));
    this.#attempt += 1;
    return Math.floor(this.#random() * ceiling);
  }

  /** After a connection proved healthy: the next delay is drawn from the first window again. */
  reset(): void {
    this.#attempt = 0;
  }

  /**
   * Sleeps the next delay, or `minimumMs` when that is longer (a server's Retry-After).
   * Resolves early, never rejects, when `signal` aborts; the timer is unref'd and
   * cleared either way.
   */
  wait(signal: AbortSignal, minimumMs = 0): Promise<void> {
    const delayMs = Math.max(this.nextDelayMs(), minimumMs);
    if (signal.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, delayMs);
      timer.unref();
      signal.addEventListener('abort', done, { once: true });
    });
  }
}
