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

/** Called after a memory write commits, with the owners whose memories it changed. */
export type MemoryChangeListener = (clientId: string, owners: readonly MemoryOwner[]) => void;

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

/** The listeners of one store (shared by its clock-bound views). */
export class MemoryChanges {
  readonly #listeners = new Set<MemoryChangeListener>();

  subscribe(listener: MemoryChangeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /** Tells every listener; one that throws is not allowed to stop the others or the write. */
  publish(clientId: string, owners: readonly MemoryOwner[]): void {
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
