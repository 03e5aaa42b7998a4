/**
 * A set of keys with a bound: past `maxKeys` the oldest are forgotten. Dedupe state must
 * not grow with a long-lived process; a forgotten key costs at most one repeated request,
 * which the service's idempotency key then absorbs.
 */
export class SeenKeys {
  readonly #keys = new Set<string>();
  readonly #maxKeys: number;

  /** @param maxKeys keys kept, oldest out first. */
  constructor(maxKeys: number) {
    this.#maxKeys = maxKeys;
  }

  get size(): number {
    return this.#keys.size;
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  add(key: string): void {
    this.#keys.delete(key);
    this.#keys.add(key);
    // A Set iterates in insertion order, so the first key is the oldest.
    while (this.#keys.size > this.#maxKeys) {
      const oldest = this.#keys.values().next();
      if (oldest.done) break;
      this.#keys.delete(oldest.value);
    }
  }

  delete(key: string): void {
    this.#keys.delete(key);
  }
}
