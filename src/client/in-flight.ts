/**
 * Every promise the client starts on the caller's behalf is tracked here, so `flush()`
 * can wait for them, bounded, and say what was still pending.
 */
export class InFlight {
  readonly #pending = new Set<Promise<unknown>>();

  get size(): number {
    return this.#pending.size;
  }

  /** Tracks `promise` until it settles; returns it unchanged. */
  track<T>(promise: Promise<T>): Promise<T> {
    this.#pending.add(promise);
    const forget = () => this.#pending.delete(promise);
    promise.then(forget, forget);
    return promise;
  }

  /** Waits for what is in flight now, at most `timeoutMs`; answers how many settled and how many did not. */
  async settle(timeoutMs: number): Promise<{ settled: number; pending: number }> {
    const snapshot = [...this.#pending];
    if (snapshot.length === 0) return { settled: 0, pending: 0 };
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      // Ref'd: `flush()`/`close()` callers await this bound, and with an unref'd timer it
      // would never come once nothing else holds the process (the await never settles).
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    await Promise.race([Promise.allSettled(snapshot), deadline]);
    clearTimeout(timer);
    const pending = snapshot.filter((promise) => this.#pending.has(promise)).length;
    return { settled: snapshot.length - pending, pending };
  }
}
