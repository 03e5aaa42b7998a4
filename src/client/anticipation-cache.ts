import { LRUCache } from 'lru-cache';
import type { ContextBundle } from '../protocol/context-bundle.js';
import {
  type AnticipationCacheOptions,
  resolveCacheOptions,
} from './anticipation-cache-options.js';
import { estimateBundleBytes } from './bundle-size.js';
import { type AnticipationWaitOptions, EventAnswers } from './event-answers.js';
import type { WaitForResult } from './types.js';

export {
  type AnticipationCacheOptions,
  resolveCacheOptions,
} from './anticipation-cache-options.js';
export { estimateBundleBytes } from './bundle-size.js';
export type { AnticipationWaitOptions } from './event-answers.js';

/** One stored bundle, as `peek` answers it. Shared with the cache: do not mutate. */
export interface CachedBundle {
  readonly bundle: ContextBundle;
  /** `now()` when the bundle was put. */
  readonly receivedAt: number;
  /** `receivedAt` plus the TTL hint (floored at `minTtlMs`), or plus `defaultTtlMs`. */
  readonly expiresAt: number;
  /**
   * The event this bundle answers: the service's echo or, from a service that does not
   * echo ids, the latest event `expectEvent` recorded for the conversation before it came.
   */
  readonly inReplyToEventId?: string;
}

/** Whose context to read. A bundle addressed to a user or customer is served only to it. */
export interface AnticipationCacheKey {
  conversationId: string;
  /** Without it, only bundles addressed to any user ('') are served, and no user-level one. */
  userId?: string;
  /** Without it, only bundles addressed to any customer ('') are served. */
  customerId?: string;
}

export interface AnticipationCacheStats {
  /** Conversations with a stored bundle. */
  conversations: number;
  /** Users with a stored bundle of their own (conversation ''). */
  users: number;
  /** Estimated bytes of the bundles held. */
  bytes: number;
  bundles: number;
  hits: number;
  misses: number;
  /** Bundles pushed out for room: by `maxConversations`, `maxBytes`, or newer bundles. */
  evictions: number;
  /** Bundles dropped because their TTL passed. */
  expired: number;
  /** Pending `waitFor` calls. */
  waiters: number;
  /** `waitFor` calls answered `timeout` at once because `MAX_WAITERS` were pending. */
  refusedWaiters: number;
}

// Copies of the bundle's ids, so a read touches only objects of this one shape: bundles
// decoded with optional fields deleted are slow-mode objects, costly to read in a loop.
interface StoredBundle extends CachedBundle {
  readonly bytes: number;
  readonly userId: string;
  readonly customerId: string;
}

/** Most recently received first: arrival order, since server replicas' clocks may disagree. */
interface Slot {
  entries: StoredBundle[];
  bytes: number;
}

/** Bundles kept a conversation: an older one serves a user a newer one is not for. */
export const MAX_BUNDLES_PER_CONVERSATION = 4;

/**
 * The client's store of the context bundles the service pushes, read before every model
 * call. `peek` is synchronous and cheap: no network, no parsing, nothing allocated but the
 * clock's reading (`Date.now()` answers a boxed number).
 *
 * Up to {@link MAX_BUNDLES_PER_CONVERSATION} bundles a conversation, and a bundle for
 * conversation '' under its user; the least recently used go first past
 * `maxConversations` or `maxBytes`. Expired bundles are dropped when read. `reactive`
 * bundles answer waiters but are not stored (wire.md).
 *
 * @example
 * const cache = new AnticipationCache({ maxBytes: 4 * 1024 * 1024 });
 * cache.expectEvent(conversationId, eventId); // then send the event
 * const result = await cache.waitFor({ conversationId, afterEvent: eventId, timeoutMs: 150 });
 * const cached = cache.peek({ conversationId, userId }); // CachedBundle | undefined
 */
export class AnticipationCache {
  readonly #options: Required<AnticipationCacheOptions>;
  readonly #now: () => number;
  // Two maps, not one with prefixed user keys: a read then never builds a key string.
  readonly #conversations: LRUCache<string, Slot>;
  readonly #users: LRUCache<string, Slot>;
  readonly #answers = new EventAnswers();
  #bytes = 0;
  #bundles = 0;
  #hits = 0;
  #misses = 0;
  #evictions = 0;
  #expired = 0;
  #closed = false;

  constructor(options: AnticipationCacheOptions = {}) {
    this.#options = resolveCacheOptions(options);
    this.#now = this.#options.now;
    const slots = {
      max: this.#options.maxConversations,
      dispose: (slot: Slot, _key: string, reason: LRUCache.DisposeReason) => {
        this.#bytes -= slot.bytes;
        this.#bundles -= slot.entries.length;
        if (reason === 'evict') this.#evictions += slot.entries.length;
      },
    };
    this.#conversations = new LRUCache(slots);
    this.#users = new LRUCache(slots);
  }

  /**
   * Answers the waiters of the event the bundle replies to, then stores it: under its
   * conversation, or under its user when the conversation is ''. Not stored: `reactive`
   * bundles and those naming neither. A no-op after `close()`.
   */
  put(bundle: ContextBundle): void {
    if (this.#closed) return;
    const receivedAt = this.#now();
    const inReplyToEventId = this.#answers.answer(bundle);
    if (bundle.bundleType === 'reactive') return;
    const byConversation = bundle.anticipationConversationId !== '';
    if (!byConversation && bundle.anticipationUserId === '') return;
    const hintMs = bundle.ttlHintSeconds * 1000;
    const ttlMs =
      hintMs > 0 ? Math.max(hintMs, this.#options.minTtlMs) : this.#options.defaultTtlMs;
    const slots = byConversation ? this.#conversations : this.#users;
    const slotKey = byConversation ? bundle.anticipationConversationId : bundle.anticipationUserId;
    this.#insert(slots, slotKey, {
      bundle,
      receivedAt,
      expiresAt: receivedAt + ttlMs,
      inReplyToEventId,
      bytes: estimateBundleBytes(bundle),
      userId: bundle.anticipationUserId,
      customerId: bundle.anticipationCustomerId,
    });
  }

  /**
   * The most recently received unexpired bundle of the conversation that the key's user
   * and customer may see, else the user's own (conversation '') one. Counts a hit or a
   * miss. Cheap and synchronous: adapters call it before every model call.
   */
  peek(key: AnticipationCacheKey): CachedBundle | undefined {
    const now = this.#now();
    let found = this.#find(this.#conversations, key.conversationId, key, now);
    if (found === undefined && key.userId) found = this.#find(this.#users, key.userId, key, now);
    if (found === undefined) this.#misses++;
    else this.#hits++;
    return found;
  }

  /**
   * Records that an event is being sent now; call it before sending. From a service that
   * does not echo event ids, the next bundle for the conversation answers it. Keeps the
   * latest `MAX_PENDING_EVENTS` (1000).
   */
  expectEvent(conversationId: string, eventId: string): void {
    if (!this.#closed) this.#answers.expect(conversationId, eventId);
  }

  /**
   * Waits up to `timeoutMs` for the bundle answering `afterEvent`: the one echoing its
   * id or, from a service that does not echo, the first for the conversation after
   * `expectEvent` (an event never expected is expected from this call on). Resolves at
   * once when it already came; `timeout` on abort or past `MAX_WAITERS` (1000) pending
   * waits; `closed` after `close()`. Never rejects.
   */
  waitFor(options: AnticipationWaitOptions): Promise<WaitForResult> {
    return this.#answers.wait(options);
  }

  /** Drops every stored bundle and remembered answer; waits and expected events stay. */
  clear(): void {
    this.#conversations.clear();
    this.#users.clear();
    this.#answers.clearAnswers();
  }

  /** Answers pending and later waits `closed`, and drops everything. Idempotent. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#answers.close();
    this.clear();
  }

  stats(): AnticipationCacheStats {
    return {
      conversations: this.#conversations.size,
      users: this.#users.size,
      bytes: this.#bytes,
      bundles: this.#bundles,
      hits: this.#hits,
      misses: this.#misses,
      evictions: this.#evictions,
      expired: this.#expired,
      waiters: this.#answers.waiting,
      refusedWaiters: this.#answers.refused,
    };
  }

  #insert(slots: LRUCache<string, Slot>, slotKey: string, entry: StoredBundle): void {
    // Alone over the cap: refused, rather than emptying the cache to make room in vain.
    if (entry.bytes > this.#options.maxBytes) {
      this.#evictions++;
      return;
    }
    let slot = slots.get(slotKey);
    if (slot === undefined) {
      slot = { entries: [], bytes: 0 };
      slots.set(slotKey, slot);
    }
    // A bundle delivered again (a stream replayed after a reconnect) replaces its copy.
    const copy = slot.entries.findIndex(
      (stored) => stored.bundle.bundleId === entry.bundle.bundleId,
    );
    if (copy !== -1) this.#remove(slot, copy);
    slot.entries.unshift(entry);
    slot.bytes += entry.bytes;
    this.#bytes += entry.bytes;
    this.#bundles++;
    while (slot.entries.length > MAX_BUNDLES_PER_CONVERSATION) {
      this.#remove(slot, slot.entries.length - 1);
      this.#evictions++;
    }
    // Conversations go first: a user's own bundle serves all of that user's conversations.
    // pop() takes the least recently used, so the slot just written goes last.
    while (this.#bytes > this.#options.maxBytes) {
      const slots = this.#conversations.size > 0 ? this.#conversations : this.#users;
      if (slots.pop() === undefined) break;
    }
  }

  #find(
    slots: LRUCache<string, Slot>,
    slotKey: string,
    key: AnticipationCacheKey,
    now: number,
  ): StoredBundle | undefined {
    const slot = slots.get(slotKey);
    if (slot === undefined) return undefined;
    const { entries } = slot;
    let found: StoredBundle | undefined;
    for (let at = 0; at < entries.length && found === undefined; ) {
      const entry = entries[at] as StoredBundle;
      if (entry.expiresAt <= now) {
        this.#remove(slot, at);
        this.#expired++;
      } else {
        if (visibleTo(entry, key)) found = entry;
        at++;
      }
    }
    if (entries.length === 0) slots.delete(slotKey);
    return found;
  }

  #remove(slot: Slot, at: number): void {
    const [entry] = slot.entries.splice(at, 1);
    if (entry === undefined) return;
    slot.bytes -= entry.bytes;
    this.#bytes -= entry.bytes;
    this.#bundles--;
  }
}

function visibleTo(entry: StoredBundle, key: AnticipationCacheKey): boolean {
  const user = entry.userId;
  const customer = entry.customerId;
  return (user === '' || user === key.userId) && (customer === '' || customer === key.customerId);
}
