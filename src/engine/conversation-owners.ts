import { LRUCache } from 'lru-cache';
import type { ConversationRecord } from '../store/records.js';
import type { Store } from '../store/store.js';

/** Who owns a conversation: all retrieval needs of its record. */
export type ConversationOwner = Pick<ConversationRecord, 'userId' | 'customerId'>;

/**
 * Whether `party` is the conversation's owner: the same user within the same customer.
 * The same user id under two customers is two people (a B2B client's customers each
 * name their own users); a side that names no customer (B2C) matches any, the rule the
 * store applies to writes (`claimConversation`), so reads and writes agree.
 */
export function ownsConversation(
  owner: ConversationOwner,
  party: { userId: string; customerId: string },
): boolean {
  if (owner.userId !== party.userId) return false;
  return (
    owner.customerId === party.customerId || owner.customerId === '' || party.customerId === ''
  );
}

/**
 * A conversation's user and customer never change once it exists (the store refuses
 * another user's turns in it), so every event after the first of a conversation skips
 * that lookup. A conversation not found yet is remembered as absent until a turn is
 * recorded in it (`Store.onConversationChange`): agents send events for conversations
 * they have not recorded into, and each one asked the store again.
 */
export class ConversationOwners {
  readonly #store: Store;
  readonly #known: LRUCache<string, { owner: ConversationOwner | null }>;
  /** Lookups in flight; a record into the conversation marks its lookup stale. */
  readonly #asking = new Map<string, Set<{ stale: boolean }>>();

  constructor(store: Store, max = 10_000) {
    this.#store = store;
    this.#known = new LRUCache({ max });
    store.onConversationChange((clientId, ids) => {
      const keys =
        ids === 'all'
          ? [...this.#known.keys(), ...this.#asking.keys()].filter(
              (key) => clientId === null || key.startsWith(`${clientId}\u0000`),
            )
          : ids.map((id) => `${clientId}\u0000${id}`);
      for (const key of keys) {
        // An owner never changes: only what was absent may now exist.
        if (this.#known.get(key)?.owner === null) this.#known.delete(key);
        for (const asking of this.#asking.get(key) ?? []) asking.stale = true;
      }
    });
  }

  async get(clientId: string, conversationId: string): Promise<ConversationOwner | null> {
    const key = `${clientId}\u0000${conversationId}`;
    const known = this.#known.get(key);
    if (known) return known.owner;
    const asking = { stale: false };
    const pending = this.#asking.get(key) ?? new Set();
    pending.add(asking);
    this.#asking.set(key, pending);
    try {
      const record = await this.#store.getConversation(clientId, conversationId);
      const owner = record ? { userId: record.userId, customerId: record.customerId } : null;
      if (owner || !asking.stale) this.#known.set(key, { owner });
      return owner;
    } finally {
      pending.delete(asking);
      if (pending.size === 0 && this.#asking.get(key) === pending) this.#asking.delete(key);
    }
  }
}
