import { randomUUID } from 'node:crypto';
import type { NewMemory } from './records.js';

/**
 * Who a memory belongs to, as the reads that serve it to a prompt see it: a user (their
 * user- and conversation-scoped memories, within one customer, or across all of them
 * when the customer is ''), a customer (shared by its users), or the whole client.
 */
export type MemoryOwner =
  | { scope: 'user'; userId: string; customerId: string }
  | { scope: 'customer'; customerId: string }
  | { scope: 'client' };

/**
 * Called after a memory write commits, with the owners whose memories it changed; 'all'
 * when it cannot say which (every owner of `clientId`, or of every client when
 * `clientId` is null: a replica that lost its notification connection for a while).
 */
export type MemoryChangeListener = (
  clientId: string | null,
  owners: readonly MemoryOwner[] | 'all',
) => void;

/** A stable key of one owner (within a client). */
export function ownerKey(owner: MemoryOwner): string {
  switch (owner.scope) {
    case 'user':
      return `user\u0000${owner.userId}\u0000${owner.customerId}`;
    case 'customer':
      return `customer\u0000${owner.customerId}`;
    case 'client':
      return 'client';
  }
}

/**
 * The owners a written memory changes what they see. A user's memory is also seen by
 * reads that name no customer (B2C, and B2B events that omit it), so both keys go.
 * Supersession only touches memories of the same owner (sql-memories.ts), so these
 * cover the rows it updates too.
 */
export function ownersOf(
  memories: readonly Pick<NewMemory, 'scope' | 'userId' | 'customerId'>[],
): MemoryOwner[] {
  const owners = new Map<string, MemoryOwner>();
  const add = (owner: MemoryOwner) => owners.set(ownerKey(owner), owner);
  for (const memory of memories) {
    if (memory.scope === 'user' || memory.scope === 'conversation') {
      add({ scope: 'user', userId: memory.userId, customerId: memory.customerId });
      add({ scope: 'user', userId: memory.userId, customerId: '' });
    } else if (memory.scope === 'customer') {
      add({ scope: 'customer', customerId: memory.customerId });
    } else {
      add({ scope: 'client' });
    }
  }
  return [...owners.values()];
}

/** The topic memory and conversation changes are announced on to other replicas. */
export const MEMORY_CHANGE_TOPIC = 'foresight_memory_changes';

/**
 * Called after a write that changed conversations' turns or compaction commits; 'all'
 * when it cannot say which (of `clientId`, or of every client when it is null).
 */
export type ConversationChangeListener = (
  clientId: string | null,
  conversationIds: readonly string[] | 'all',
) => void;

/** Messages a write stored for one user: their ids, or 'all' when it cannot say which. */
export interface RecordedMessages {
  userId: string;
  ids: readonly string[] | 'all';
}

/**
 * Called after a write that stored messages commits, with whose and which; 'all' when it
 * cannot say (of `clientId`, or of every client when it is null).
 */
export type MessageChangeListener = (
  clientId: string | null,
  recorded: readonly RecordedMessages[] | 'all',
) => void;

/** The listeners of one store (shared by its clock-bound views). */
export class MemoryChanges {
  readonly #listeners = new Set<MemoryChangeListener>();
  readonly #conversationListeners = new Set<ConversationChangeListener>();
  readonly #messageListeners = new Set<MessageChangeListener>();
  /** This process's mark on its notices, so it does not act on its own twice. */
  readonly origin = randomUUID();

  subscribe(listener: MemoryChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  subscribeConversations(listener: ConversationChangeListener): () => void {
    this.#conversationListeners.add(listener);
    return () => {
      this.#conversationListeners.delete(listener);
    };
  }

  subscribeMessages(listener: MessageChangeListener): () => void {
    this.#messageListeners.add(listener);
    return () => {
      this.#messageListeners.delete(listener);
    };
  }

  publishMessages(clientId: string | null, recorded: readonly RecordedMessages[] | 'all'): void {
    if (recorded.length === 0) return;
    for (const listener of this.#messageListeners) {
      try {
        listener(clientId, recorded);
      } catch {
        // A listener's failure is its own; the write has committed.
      }
    }
  }

  publishConversations(clientId: string | null, conversationIds: readonly string[] | 'all'): void {
    if (conversationIds.length === 0) return;
    for (const listener of this.#conversationListeners) {
      try {
        listener(clientId, conversationIds);
      } catch {
        // A listener's failure is its own; the write has committed.
      }
    }
  }

  /** Tells every listener; one that throws is not allowed to stop the others or the write. */
  publish(clientId: string | null, owners: readonly MemoryOwner[] | 'all'): void {
    if (owners.length === 0) return;
    for (const listener of this.#listeners) {
      try {
        listener(clientId, owners);
      } catch {
        // A listener's failure is its own; the write has committed.
      }
    }
  }
}

/** Largest notification payload PostgreSQL takes is 8000 bytes; past this, say "all". */
const MAX_PAYLOAD_CHARS = 7000;

/**
 * A change as one notification's payload (another replica reads it with `parseChange`):
 * the memory owners a write changed, or the conversations whose turns or compaction it
 * changed. Too many to name: 'all' of the client.
 */
export function changePayload(
  origin: string,
  clientId: string,
  change: {
    owners?: readonly MemoryOwner[];
    conversations?: readonly string[];
    messages?: readonly RecordedMessages[];
  },
): string {
  const payload = JSON.stringify({ origin, clientId, ...change });
  if (payload.length <= MAX_PAYLOAD_CHARS) return payload;
  return JSON.stringify({
    origin,
    clientId,
    ...(change.owners ? { owners: 'all' } : {}),
    ...(change.conversations ? { conversations: 'all' } : {}),
    ...(change.messages ? { messages: 'all' } : {}),
  });
}

/** A notification's change; null for a payload this version does not understand. */
export function parseChange(payload: string): {
  origin: string;
  clientId: string;
  owners: MemoryOwner[] | 'all';
  conversations: string[] | 'all';
  messages: RecordedMessages[] | 'all';
} | null {
  try {
    const parsed = JSON.parse(payload) as {
      origin?: unknown;
      clientId?: unknown;
      owners?: unknown;
      conversations?: unknown;
      messages?: unknown;
    };
    if (typeof parsed.clientId !== 'string' || typeof parsed.origin !== 'string') return null;
    const { origin, clientId } = parsed;
    const owners = listOrAll(parsed.owners, isOwner);
    const conversations = listOrAll(
      parsed.conversations,
      (id): id is string => typeof id === 'string',
    );
    const messages = listOrAll(parsed.messages, isRecordedMessages);
    if (owners === null || conversations === null || messages === null) return null;
    return { origin, clientId, owners, conversations, messages };
  } catch {
    return null;
  }
}

/** A notice's field: 'all', a list of valid entries, absent (none), or null when malformed. */
function listOrAll<T>(value: unknown, isEntry: (entry: unknown) => entry is T): T[] | 'all' | null {
  if (value === 'all') return 'all';
  if (value === undefined) return [];
  return Array.isArray(value) && value.every(isEntry) ? value : null;
}

function isRecordedMessages(value: unknown): value is RecordedMessages {
  if (typeof value !== 'object' || value === null) return false;
  const recorded = value as Record<string, unknown>;
  return (
    typeof recorded.userId === 'string' &&
    (recorded.ids === 'all' ||
      (Array.isArray(recorded.ids) && recorded.ids.every((id) => typeof id === 'string')))
  );
}

function isOwner(value: unknown): value is MemoryOwner {
  if (typeof value !== 'object' || value === null) return false;
  const owner = value as Record<string, unknown>;
  if (owner.scope === 'client') return true;
  if (owner.scope === 'customer') return typeof owner.customerId === 'string';
  return (
    owner.scope === 'user' &&
    typeof owner.userId === 'string' &&
    typeof owner.customerId === 'string'
  );
}
