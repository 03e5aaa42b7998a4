import { LRUCache } from 'lru-cache';
import type { Store } from '../store/store.js';
import type { ConversationState } from './conversation-context.js';

export interface ConversationStatesOptions {
  store: Store;
  /** Turns held per conversation, the newest. */
  recentTurns: number;
  /** Conversations held. Default 10 000. */
  max?: number;
}

/**
 * Each conversation's newest turns and latest completed compaction, as the bundle's
 * conversation context needs them, held in memory: an agent sends several events a
 * turn, and each read them again. Exact like the memory working set: every record,
 * ingest or finished compaction drops its conversations before it resolves
 * (`Store.onConversationChange`, other replicas included), and a read that raced one
 * is not kept.
 */
export class ConversationStates {
  readonly #store: Store;
  readonly #recentTurns: number;
  readonly #held: LRUCache<string, ConversationState>;
  readonly #reading = new Map<string, { promise: Promise<ConversationState>; stale: boolean }>();
  readonly #unsubscribe: () => void;

  constructor(options: ConversationStatesOptions) {
    this.#store = options.store;
    this.#recentTurns = options.recentTurns;
    this.#held = new LRUCache({ max: options.max ?? 10_000 });
    this.#unsubscribe = options.store.onConversationChange((clientId, ids) =>
      this.invalidate(clientId, ids),
    );
  }

  get(clientId: string, conversationId: string): Promise<ConversationState> {
    const key = `${clientId}\u0000${conversationId}`;
    const held = this.#held.get(key);
    if (held) return Promise.resolve(held);
    const reading = this.#reading.get(key);
    if (reading) return reading.promise;
    const read: { promise: Promise<ConversationState>; stale: boolean } = {
      stale: false,
      promise: Promise.all([
        this.#store.listMessages(clientId, conversationId, {
          newestFirst: true,
          limit: this.#recentTurns,
        }),
        this.#store.latestCompaction(clientId, conversationId, { status: 'completed' }),
      ])
        .then(([newest, compaction]) => {
          const state = { turns: newest.reverse(), compaction };
          if (!read.stale) this.#held.set(key, state);
          return state;
        })
        .finally(() => {
          if (this.#reading.get(key) === read) this.#reading.delete(key);
        }),
    };
    this.#reading.set(key, read);
    return read.promise;
  }

  /** Drops what is held of these conversations ('all': of the client, or of every client). */
  invalidate(clientId: string | null, conversationIds: readonly string[] | 'all'): void {
    const keys =
      conversationIds === 'all'
        ? [...this.#held.keys(), ...this.#reading.keys()].filter(
            (key) => clientId === null || key.startsWith(`${clientId}\u0000`),
          )
        : conversationIds.map((id) => `${clientId}\u0000${id}`);
    for (const key of keys) {
      this.#held.delete(key);
      const reading = this.#reading.get(key);
      if (reading) reading.stale = true;
      this.#reading.delete(key);
    }
  }

  close(): void {
    this.#unsubscribe();
    this.#held.clear();
  }
}
