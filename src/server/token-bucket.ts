/**
 * A token bucket: `capacity` tokens, refilled at `refillPerSecond`. Used for per-key
 * request limits (REST and gRPC) and per-stream event limits. The clock is injected so
 * tests can step time.
 */
export class TokenBucket {
  readonly #capacity: number;
  readonly #refillPerMs: number;
  readonly #now: () => number;
  #tokens: number;
  #updatedAt: number;

  constructor(options: { capacity: number; refillPerSecond: number; now?: () => number }) {
    this.#capacity = options.capacity;
    this.#refillPerMs = options.refillPerSecond / 1000;
    this.#now = options.now ?? Date.now;
    this.#tokens = options.capacity;
    this.#updatedAt = this.#now();
  }

  /** Takes one token; on refusal returns how long until one is available (ms). */
  take(): { ok: true } | { ok: false; retryAfterMs: number } {
    this.#refill();
    if (this.#tokens >= 1) {
      this.#tokens -= 1;
      return { ok: true };
    }
    const missing = 1 - this.#tokens;
    return { ok: false, retryAfterMs: Math.ceil(missing / this.#refillPerMs) };
  }

  #refill(): void {
    const now = this.#now();
    this.#tokens = Math.min(
      this.#capacity,
      this.#tokens + (now - this.#updatedAt) * this.#refillPerMs,
    );
    this.#updatedAt = now;
  }
}

/**
 * One bucket per key, created on first use. Idle buckets are full buckets, so the map
 * forgets keys whose bucket would have refilled, which bounds it by active keys.
 */
export class KeyedRateLimiter {
  readonly #buckets = new Map<string, { bucket: TokenBucket; lastUsed: number }>();
  readonly #options: { capacity: number; refillPerSecond: number; now?: () => number };
  readonly #now: () => number;
  readonly #idleMs: number;

  constructor(options: { capacity: number; refillPerSecond: number; now?: () => number }) {
    this.#options = options;
    this.#now = options.now ?? Date.now;
    this.#idleMs = Math.ceil((options.capacity / options.refillPerSecond) * 1000);
  }

  take(key: string): { ok: true } | { ok: false; retryAfterMs: number } {
    const now = this.#now();
    let entry = this.#buckets.get(key);
    if (!entry) {
      if (this.#buckets.size >= 10_000) this.#sweep(now);
      entry = { bucket: new TokenBucket(this.#options), lastUsed: now };
      this.#buckets.set(key, entry);
    }
    entry.lastUsed = now;
    return entry.bucket.take();
  }

  #sweep(now: number): void {
    for (const [key, entry] of this.#buckets) {
      if (now - entry.lastUsed > this.#idleMs) this.#buckets.delete(key);
    }
  }
}
