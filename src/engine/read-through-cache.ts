import { LRUCache } from 'lru-cache';

/** Entries held at most when no count is given (a size bound usually binds first). */
const DEFAULT_MAX = 100_000;

export interface ReadThroughCacheOptions<V extends object> {
  /** Entries held at most. Default 100 000. */
  max?: number;
  /** Or a bound in units of `size` (bytes, say); either or both. */
  maxSize?: number;
  size?: (value: V) => number;
  /** How long an entry is trusted without a reload, ms; none by default. */
  ttlMs?: number;
}

/**
 * A cache that reads through to the store and stays exact under writes: `invalidate`
 * drops an entry and marks any read of it still in flight stale, so a read that raced a
 * write answers its caller but is never kept. Concurrent misses of one key share a read.
 * The working set, the conversation states and the usage cache are all this.
 */
export class ReadThroughCache<V extends object> {
  readonly #held: LRUCache<string, V>;
  readonly #reading = new Map<string, { promise: Promise<V>; stale: boolean }>();

  constructor(options: ReadThroughCacheOptions<V>) {
    const size = options.size;
    const bounds: LRUCache.Options<string, V, unknown> = {
      max: options.max ?? DEFAULT_MAX,
      ...(options.maxSize && size
        ? { maxSize: options.maxSize, sizeCalculation: (value: V) => Math.max(1, size(value)) }
        : {}),
      ...(options.ttlMs ? { ttl: options.ttlMs, ttlAutopurge: false } : {}),
    };
    this.#held = new LRUCache<string, V>(bounds);
  }

  /** The held value, or `read()`'s (kept unless a write to `key` landed meanwhile). */
  get(key: string, read: () => Promise<V>): Promise<V> {
    const held = this.#held.get(key);
    if (held) return Promise.resolve(held);
    const reading = this.#reading.get(key);
    if (reading) return reading.promise;
    const entry: { promise: Promise<V>; stale: boolean } = {
      stale: false,
      promise: read()
        .then((value) => {
          if (!entry.stale) this.#held.set(key, value);
          return value;
        })
        .finally(() => {
          if (this.#reading.get(key) === entry) this.#reading.delete(key);
        }),
    };
    this.#reading.set(key, entry);
    return entry.promise;
  }

  /** The held value, without reading it nor making it recently used. */
  peek(key: string): V | undefined {
    return this.#held.peek(key);
  }

  /** Holds `value` for `key` again, its size counted anew (after changing it in place). */
  refresh(key: string, value: V): void {
    if (this.#held.peek(key) === value) this.#held.set(key, value);
  }

  /** True when `key` is held (no read needed). */
  has(key: string): boolean {
    return this.#held.has(key);
  }

  /** Drops these keys, and the reads of them in flight. */
  invalidate(keys: Iterable<string>): void {
    for (const key of keys) {
      this.#held.delete(key);
      const reading = this.#reading.get(key);
      if (reading) reading.stale = true;
      this.#reading.delete(key);
    }
  }

  /** Drops every key that starts with `prefix` ('' drops all). */
  invalidatePrefix(prefix: string): void {
    this.invalidate(
      [...this.#held.keys(), ...this.#reading.keys()].filter((key) => key.startsWith(prefix)),
    );
  }

  get size(): number {
    return this.#held.size;
  }

  get calculatedSize(): number {
    return this.#held.calculatedSize;
  }

  clear(): void {
    this.invalidatePrefix('');
  }
}
