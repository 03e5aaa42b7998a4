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
 * that lookup. A conversation not found yet is not remembered: it may be created by
 * the next recorded turn.
 */
export class ConversationOwners {
  readonly #store: Store;
  readonly #known: LRUCache<string, ConversationOwner>;

  constructor(store: Store, max = 10_000) {
    this.#store = store;
    this.#known = new LRUCache({ max });
  }

  async get(clientId: string, conversationId: string): Promise<ConversationOwner | null> {
    const key = `${clientId}\u0000${conversationId}`;
    const known = this.#known.get(key);
    if (known) return known;
    const record = await this.#store.getConversation(clientId, conversationId);
    if (!record) return null;
    const owner = { userId: record.userId, customerId: record.customerId };
    this.#known.set(key, owner);
    return owner;
  }
}
