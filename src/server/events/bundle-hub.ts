import { ServerError } from '../server-error.js';

export interface BundleHubOptions {
  /** Waiting subscriptions over all conversations. Default 10 000. */
  maxListeners?: number;
  /** Waiting subscriptions on one client + conversation. Default 64. */
  maxListenersPerConversation?: number;
}

/** What a subscriber hears: enough to decide whether to re-read the store. */
export interface BundleNotice {
  userId: string;
  bundleId: string;
}

export type WaitOutcome = 'published' | 'timeout' | 'aborted';

/**
 * In-process pub/sub of "a bundle was saved" per client + conversation, so an HTTP
 * long-poll wakes the moment its bundle exists instead of polling the store. It
 * carries no bundles: the store stays the truth, and a bundle saved by another
 * replica is found by the poller's next read. Bounded: past the limits `subscribe`
 * refuses with `rate_limited` rather than growing.
 */
export class BundleHub {
  readonly #subscriptions = new Map<string, Set<HubSubscription>>();
  readonly #maxListeners: number;
  readonly #maxPerConversation: number;
  #count = 0;
  #closed = false;

  constructor(options: BundleHubOptions = {}) {
    this.#maxListeners = options.maxListeners ?? 10_000;
    this.#maxPerConversation = options.maxListenersPerConversation ?? 64;
  }

  /** Subscriptions currently held (for tests and metrics). */
  get listenerCount(): number {
    return this.#count;
  }

  publish(clientId: string, conversationId: string, notice: BundleNotice): void {
    const subscribers = this.#subscriptions.get(key(clientId, conversationId));
    if (!subscribers) return;
    for (const subscription of subscribers) subscription.notify(notice);
  }

  /**
   * Subscribe before reading the store, then `wait`: a publish that lands between
   * the read and the wait is kept, not lost. With `userId`, only that user's bundles
   * wake it. Always `close()` (try/finally).
   */
  subscribe(clientId: string, conversationId: string, userId?: string): HubSubscription {
    if (this.#closed) {
      throw new ServerError({
        code: 'unavailable',
        detail: 'server shutting down; retry on another replica',
        retryAfterSeconds: 1,
      });
    }
    const id = key(clientId, conversationId);
    let subscribers = this.#subscriptions.get(id);
    if (this.#count >= this.#maxListeners || (subscribers?.size ?? 0) >= this.#maxPerConversation) {
      throw new ServerError({
        code: 'rate_limited',
        detail: 'too many waiting long-polls; retry shortly',
        retryAfterSeconds: 1,
      });
    }
    if (!subscribers) {
      subscribers = new Set();
      this.#subscriptions.set(id, subscribers);
    }
    const held = subscribers;
    const subscription = new HubSubscription(userId, () => {
      if (!held.delete(subscription)) return;
      this.#count -= 1;
      if (held.size === 0 && this.#subscriptions.get(id) === held) this.#subscriptions.delete(id);
    });
    held.add(subscription);
    this.#count += 1;
    return subscription;
  }

  /**
   * Shutdown: every waiting long-poll wakes at once and answers what it has (its
   * cursor unchanged), so draining never waits out a 20 s poll; new ones are refused
   * `unavailable`. Idempotent.
   */
  close(): void {
    this.#closed = true;
    for (const subscribers of [...this.#subscriptions.values()])
      for (const subscription of [...subscribers]) subscription.close();
  }
}

/** One waiter's view of the hub; `close` is idempotent and releases everything. */
export class HubSubscription {
  readonly #userId: string | undefined;
  readonly #release: () => void;
  #pending: BundleNotice[] = [];
  #wake: ((outcome: WaitOutcome) => void) | undefined;
  #closed = false;

  constructor(userId: string | undefined, release: () => void) {
    this.#userId = userId;
    this.#release = release;
  }

  /** Notices received and not yet taken by `wait`; bounded, the newest kept. */
  notify(notice: BundleNotice): void {
    if (this.#closed || (this.#userId !== undefined && notice.userId !== this.#userId)) return;
    if (this.#pending.length >= 16) this.#pending.shift();
    this.#pending.push(notice);
    this.#wake?.('published');
  }

  /** Resolves on the next notice (or one already received), the timeout, or the abort. */
  async wait(timeoutMs: number, signal?: AbortSignal): Promise<WaitOutcome> {
    if (this.#pending.length > 0) {
      this.#pending = [];
      return 'published';
    }
    if (this.#closed || signal?.aborted) return 'aborted';
    if (timeoutMs <= 0) return 'timeout';
    return new Promise<WaitOutcome>((resolve) => {
      const finish = (outcome: WaitOutcome) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.#wake = undefined;
        if (outcome === 'published') this.#pending = [];
        resolve(outcome);
      };
      const onAbort = () => finish('aborted');
      const timer = setTimeout(() => finish('timeout'), timeoutMs);
      timer.unref();
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#wake = finish;
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#pending = [];
    this.#wake?.('aborted');
    this.#release();
  }
}

function key(clientId: string, conversationId: string): string {
  return `${clientId}\u0000${conversationId}`;
}
