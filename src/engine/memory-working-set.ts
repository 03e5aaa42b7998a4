import { type MemoryOwner, ownerKey } from '../store/memory-owners.js';
import type { MemoryHit, MemoryType, OwnedMemory, SourceTurn } from '../store/records.js';
import { VISIBLE_MEMORY_WINDOW } from '../store/sql-retrieval.js';
import type { Store } from '../store/store.js';
import { ReadThroughCache } from './read-through-cache.js';
import type { TextWords } from './semantic/semantic-similarity.js';

/** A memory as ranking reads it, with its words compiled once. */
export interface WorkingMemory {
  memory: MemoryHit;
  category: string | null;
  conversationId: string | null;
  /** Where the user said it (`OwnedMemory.sourceTurn`). */
  sourceTurn: SourceTurn | null;
  words: TextWords;
}

/** What one event may see. */
export interface WorkingScope {
  userId: string;
  customerId: string;
  /** Only when the event's user owns it: its conversation-scoped memories are seen. */
  conversationId: string | null;
  types: readonly MemoryType[];
}

export interface MemoryWorkingSetOptions {
  store: Store;
  /** Compiles a memory's words (stems, vectors, specificity). */
  words: (text: string) => TextWords;
  /** Bytes the held memories may take, estimated. Default 64 MiB. */
  maxBytes?: number;
  /** Newest memories held per owner. Default: retrieval's window (5000). */
  window?: number;
}

interface Entry {
  memories: WorkingMemory[];
  bytes: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
// Per memory besides its text: the record, its ids and dates, and its compiled words.
const MEMORY_OVERHEAD_BYTES = 600;
const BYTES_PER_WORD = 120;

/**
 * The memories each owner (a user, a customer, the client) holds, in memory, with their
 * words compiled: an event's candidates come from here, without SQL once warm. Filled on
 * first use, bounded by bytes (least recently used owners go first), and exact: every
 * memory write drops the owners it touched before the write resolves
 * (`Store.onMemoryChange`), and a fill that raced a write is not kept. Validity is judged
 * at read time, so an expired memory leaves the bundle on time without a write.
 */
export class MemoryWorkingSet {
  readonly #store: Store;
  readonly #words: (text: string) => TextWords;
  readonly #window: number;
  readonly #entries: ReadThroughCache<Entry>;
  readonly #unsubscribe: () => void;
  #hits = 0;
  #misses = 0;

  constructor(options: MemoryWorkingSetOptions) {
    this.#store = options.store;
    this.#words = options.words;
    this.#window = options.window ?? VISIBLE_MEMORY_WINDOW;
    this.#entries = new ReadThroughCache<Entry>({
      maxSize: options.maxBytes ?? DEFAULT_MAX_BYTES,
      size: (entry) => entry.bytes,
    });
    this.#unsubscribe = options.store.onMemoryChange((clientId, owners) =>
      this.invalidate(clientId, owners),
    );
  }

  /** The current memories `scope` may see at `now`, newest first within each owner. */
  async visible(clientId: string, scope: WorkingScope, now: Date): Promise<WorkingMemory[]> {
    const owners: MemoryOwner[] = [{ scope: 'client' }];
    if (scope.userId !== '') {
      owners.unshift({ scope: 'user', userId: scope.userId, customerId: scope.customerId });
    }
    if (scope.customerId !== '') owners.push({ scope: 'customer', customerId: scope.customerId });
    const entries = await Promise.all(owners.map((owner) => this.#entry(clientId, owner)));
    const at = now.getTime();
    const types = scope.types.length > 0 ? new Set(scope.types) : undefined;
    const visible: WorkingMemory[] = [];
    for (const entry of entries) {
      for (const held of entry.memories) {
        const { memory } = held;
        if (memory.validUntil && memory.validUntil.getTime() <= at) continue;
        if (types && !types.has(memory.memoryType)) continue;
        if (memory.scope === 'conversation' && held.conversationId !== scope.conversationId) {
          continue;
        }
        visible.push(held);
      }
    }
    return visible;
  }

  /**
   * Drops what `owners` hold, and makes any fill in flight for them not count; 'all':
   * every owner of the client, or of every client when `clientId` is null.
   */
  invalidate(clientId: string | null, owners: readonly MemoryOwner[] | 'all'): void {
    if (owners === 'all')
      this.#entries.invalidatePrefix(clientId === null ? '' : `${clientId}\u0000`);
    else this.#entries.invalidate(owners.map((owner) => `${clientId}\u0000${ownerKey(owner)}`));
  }

  stats(): { owners: number; bytes: number; hits: number; misses: number } {
    return {
      owners: this.#entries.size,
      bytes: this.#entries.calculatedSize,
      hits: this.#hits,
      misses: this.#misses,
    };
  }

  /** Stops following the store's writes (the held memories are dropped). */
  close(): void {
    this.#unsubscribe();
    this.#entries.clear();
  }

  #entry(clientId: string, owner: MemoryOwner): Promise<Entry> {
    const key = `${clientId}\u0000${ownerKey(owner)}`;
    if (this.#entries.has(key)) this.#hits++;
    else this.#misses++;
    return this.#entries.get(key, async () =>
      this.#compile(await this.#store.listOwnedMemories(clientId, owner, this.#window)),
    );
  }

  #compile(rows: readonly OwnedMemory[]): Entry {
    let bytes = 0;
    const memories = rows.map((row) => {
      const words = this.#words(row.memory.content);
      bytes +=
        MEMORY_OVERHEAD_BYTES + row.memory.content.length * 2 + words.stems.length * BYTES_PER_WORD;
      return { ...row, words };
    });
    return { memories, bytes };
  }
}
