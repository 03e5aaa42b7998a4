import type { Store } from '../store/store.js';
import type { ConversationState } from './conversation-context.js';
import { ReadThroughCache } from './read-through-cache.js';

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
  readonly #held: ReadThroughCache<ConversationState>;
  readonly #unsubscribe: () => void;

  constructor(options: ConversationStatesOptions) {
    this.#store = options.store;
    this.#recentTurns = options.recentTurns;
    this.#held = new ReadThroughCache<ConversationState>({ max: options.max ?? 10_000 });
    this.#unsubscribe = options.store.onConversationChange((clientId, ids) =>
      this.invalidate(clientId, ids),
    );
  }

  get(clientId: string, conversationId: string): Promise<ConversationState> {
    return this.#held.get(`${clientId}\u0000${conversationId}`, async () => {
      const [newest, compaction] = await Promise.all([
        this.#store.listMessages(clientId, conversationId, {
          newestFirst: true,
          limit: this.#recentTurns,
        }),
        this.#store.latestCompaction(clientId, conversationId, { status: 'completed' }),
      ]);
      return { turns: newest.reverse(), compaction };
    });
  }

  /** Drops what is held of these conversations ('all': of the client, or of every client). */
  invalidate(clientId: string | null, conversationIds: readonly string[] | 'all'): void {
    if (conversationIds === 'all') {
      this.#held.invalidatePrefix(clientId === null ? '' : `${clientId}\u0000`);
    } else this.#held.invalidate(conversationIds.map((id) => `${clientId}\u0000${id}`));
  }

  close(): void {
    this.#unsubscribe();
    this.#held.clear();
  }
}
