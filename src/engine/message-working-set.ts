import type { MemoryOwner, RecordedMessages } from '../store/memory-owners.js';
import type { MessageHit, UserMessage } from '../store/records.js';
import { MESSAGE_WINDOW } from '../store/sql-retrieval.js';
import type { Store } from '../store/store.js';
import { ReadThroughCache } from './read-through-cache.js';
import type { TextWords } from './semantic/semantic-similarity.js';

/** A past message as the event's pool reads it, with its words compiled once. */
export interface HeldMessage {
  message: MessageHit;
  words: TextWords;
}

/** What one event searches a user's past messages with. */
export interface MessageQuery {
  userId: string;
  /** '' for every customer's messages. */
  customerId: string;
  /** Each planned query's words (stemmed), with its weight. */
  queries: readonly { stems: readonly string[]; weight: number }[];
  limit: number;
}

export interface MessageWorkingSetOptions {
  store: Store;
  /** Compiles a message's words; `key` is its id. */
  words: (text: string, key: string) => TextWords;
  /** Bytes the held messages may take, estimated. Default 64 MiB. */
  maxBytes?: number;
  /** Newest messages held per user. Default: retrieval's window (1000). */
  window?: number;
}

interface Held extends UserMessage {
  words: TextWords;
}

interface Entry {
  /** Newest first, at most `window`. */
  messages: Held[];
  bytes: number;
  /** Stored since the entry was read, announced by the store: read before the next search. */
  pending: Set<string>;
  catchingUp: Promise<void> | undefined;
}

interface Retired {
  /** Message id → from when it is retired, ms; -Infinity for good. */
  from: Map<string, number>;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;
const MESSAGE_OVERHEAD_BYTES = 400;
const BYTES_PER_WORD = 120;
/** What one matched word of a query stands for, as PostgreSQL's cover density ranks it. */
const RANK_PER_WORD = 0.1;

/**
 * Each user's newest messages, in memory with their words compiled, so an event's past
 * messages are found without a statement (it was one per event, the hot path's only
 * read, about 0.6 ms of PGlite's thread each). Exact like the memory working set: a
 * write that stores messages announces their ids before it resolves
 * (`Store.onMessagesRecorded`, other replicas' too), and the next search reads those
 * ids first; messages are never changed, only added. A message whose memory no longer
 * holds (replaced, or expired by now) is not served, as in SQL retrieval; what retired
 * them is read per user and dropped on every memory write of theirs.
 *
 * A message matches when it has a word of some query, and ranks by the sum over queries
 * of the weight times the saturated count of that query's words it has: the ranking the
 * statement made with `ts_rank_cd`, on the engine's own stems.
 */
export class MessageWorkingSet {
  readonly #store: Store;
  readonly #words: (text: string, key: string) => TextWords;
  readonly #window: number;
  readonly #entries: ReadThroughCache<Entry>;
  readonly #retired = new ReadThroughCache<Retired>({ max: 100_000 });
  readonly #unsubscribe: (() => void)[];

  constructor(options: MessageWorkingSetOptions) {
    this.#store = options.store;
    this.#words = options.words;
    this.#window = options.window ?? MESSAGE_WINDOW;
    this.#entries = new ReadThroughCache<Entry>({
      maxSize: options.maxBytes ?? DEFAULT_MAX_BYTES,
      size: (entry) => entry.bytes,
    });
    this.#unsubscribe = [
      options.store.onMessagesRecorded((clientId, recorded) => this.#recorded(clientId, recorded)),
      options.store.onMemoryChange((clientId, owners) => this.#memoriesChanged(clientId, owners)),
    ];
  }

  /** The best `limit` past messages of the user that match the queries, best first. */
  async search(clientId: string, query: MessageQuery, now: Date): Promise<HeldMessage[]> {
    if (query.userId === '') return [];
    const wanted = new Map<string, number[]>();
    query.queries.forEach(({ stems }, at) => {
      for (const stem of stems) {
        const queries = wanted.get(stem) ?? [];
        if (!queries.includes(at)) queries.push(at);
        wanted.set(stem, queries);
      }
    });
    if (wanted.size === 0) return [];
    const key = `${clientId}\u0000${query.userId}`;
    const [entry, retired] = await Promise.all([
      this.#entry(clientId, query.userId, key),
      this.#retired.get(key, () => this.#readRetired(clientId, query.userId)),
    ]);
    const at = now.getTime();
    const scored: { held: Held; score: number }[] = [];
    const hits = new Array<number>(query.queries.length);
    for (const held of entry.messages) {
      if (query.customerId !== '' && held.customerId !== query.customerId) continue;
      hits.fill(0);
      let matched = false;
      for (const stem of held.words.stems) {
        const queries = wanted.get(stem);
        if (!queries) continue;
        matched = true;
        for (const index of queries) hits[index] = (hits[index] ?? 0) + 1;
      }
      if (!matched) continue;
      const retiredFrom = retired.from.get(held.message.id);
      if (retiredFrom !== undefined && retiredFrom <= at) continue;
      let score = 0;
      query.queries.forEach(({ weight }, index) => {
        const rank = RANK_PER_WORD * (hits[index] ?? 0);
        score += (weight * rank) / (rank + RANK_PER_WORD);
      });
      scored.push({ held, score });
    }
    // Newest first among equals, as the statement ordered them (messages are newest first).
    scored.sort((a, b) => b.score - a.score || b.held.seq - a.held.seq);
    return scored
      .slice(0, query.limit)
      .map(({ held }) => ({ message: held.message, words: held.words }));
  }

  stats(): { users: number; bytes: number } {
    return { users: this.#entries.size, bytes: this.#entries.calculatedSize };
  }

  /** Stops following the store's writes (the held messages are dropped). */
  close(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    this.#entries.clear();
    this.#retired.clear();
  }

  async #entry(clientId: string, userId: string, key: string): Promise<Entry> {
    const entry = await this.#entries.get(key, async () =>
      this.#compile(await this.#store.listUserMessages(clientId, userId, this.#window)),
    );
    while (entry.pending.size > 0 || entry.catchingUp) {
      entry.catchingUp ??= this.#catchUp(clientId, userId, key, entry).finally(() => {
        entry.catchingUp = undefined;
      });
      await entry.catchingUp;
    }
    return entry;
  }

  /** Reads the messages announced since the entry was read, and holds them. */
  async #catchUp(clientId: string, userId: string, key: string, entry: Entry): Promise<void> {
    const ids = [...entry.pending];
    entry.pending.clear();
    let added: UserMessage[];
    try {
      added = await this.#store.getUserMessages(clientId, userId, ids);
    } catch (error) {
      for (const id of ids) entry.pending.add(id);
      throw error;
    }
    const heldIds = new Set(entry.messages.map((held) => held.message.id));
    const fresh = this.#compile(added.filter((row) => !heldIds.has(row.message.id)));
    if (fresh.messages.length === 0) return;
    const merged = [...fresh.messages, ...entry.messages].sort((a, b) => b.seq - a.seq);
    const dropped = merged.splice(this.#window);
    entry.messages = merged;
    entry.bytes += fresh.bytes - dropped.reduce((sum, held) => sum + heldBytes(held), 0);
    this.#entries.refresh(key, entry);
  }

  #compile(rows: readonly UserMessage[]): Entry {
    let bytes = 0;
    const messages = rows.map((row) => {
      const held = { ...row, words: this.#words(row.message.content, row.message.id) };
      bytes += heldBytes(held);
      return held;
    });
    return { messages, bytes, pending: new Set(), catchingUp: undefined };
  }

  async #readRetired(clientId: string, userId: string): Promise<Retired> {
    const rows = await this.#store.listRetiredSources(clientId, userId);
    return {
      from: new Map(
        rows.map((row) => [
          row.messageId,
          row.retiredAt === null ? Number.NEGATIVE_INFINITY : row.retiredAt.getTime(),
        ]),
      ),
    };
  }

  #recorded(clientId: string | null, recorded: readonly RecordedMessages[] | 'all'): void {
    if (recorded === 'all' || clientId === null) {
      this.#entries.invalidatePrefix(clientId === null ? '' : `${clientId}\u0000`);
      return;
    }
    for (const { userId, ids } of recorded) {
      const key = `${clientId}\u0000${userId}`;
      const held = this.#entries.peek(key);
      // Held: the new ids are read before the next search. Not held, or still being
      // read: dropped, so a read that may have missed them is not kept.
      if (held && ids !== 'all') for (const id of ids) held.pending.add(id);
      else this.#entries.invalidate([key]);
    }
  }

  #memoriesChanged(clientId: string | null, owners: readonly MemoryOwner[] | 'all'): void {
    const userIds =
      owners === 'all' || owners.some((owner) => owner.scope !== 'user')
        ? 'all'
        : owners.flatMap((owner) => (owner.scope === 'user' ? [owner.userId] : []));
    if (userIds === 'all' || clientId === null) {
      this.#retired.invalidatePrefix(clientId === null ? '' : `${clientId}\u0000`);
      return;
    }
    this.#retired.invalidate(userIds.map((userId) => `${clientId}\u0000${userId}`));
  }
}

function heldBytes(held: Held): number {
  return (
    MESSAGE_OVERHEAD_BYTES +
    held.message.content.length * 2 +
    held.words.stems.length * BYTES_PER_WORD
  );
}
