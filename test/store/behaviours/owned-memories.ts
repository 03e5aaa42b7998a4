import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MemoryOwner } from '../../../src/store/memory-owners.js';
import { daysFromNow } from '../../support/relative-dates.js';
import { clientId, newMemory, newMessage } from '../fixtures.js';
import type { SuiteContext } from '../suite-context.js';

export function ownedMemoryBehaviours(context: SuiteContext): void {
  describe('owned memories (the working set fill) and memory change notices', () => {
    it("lists one owner's current memories newest first, expired ones included", async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      await store.insertMemories(tenant, [
        newMemory({ content: 'Lives in Lisbon', subjectKey: 'home_city' }),
        newMemory({ content: 'Lives in Porto', subjectKey: 'home_city' }),
        newMemory({ content: 'Offer ended', validUntil: daysFromNow(-1) }),
        newMemory({ content: 'In this chat: be brief', scope: 'conversation', conversationId }),
        newMemory({ content: 'Another user', userId: 'user-2' }),
        newMemory({ content: 'Shared with the customer', scope: 'customer', customerId: 'acme' }),
        newMemory({ content: 'Client-wide rule', scope: 'client', userId: '' }),
      ]);
      const user = await store.listOwnedMemories(
        tenant,
        { scope: 'user', userId: 'user-1', customerId: '' },
        100,
      );
      // The superseded home city is gone; the expired offer is the reader's to judge.
      expect(user.map((held) => held.memory.content)).toEqual([
        'In this chat: be brief',
        'Offer ended',
        'Lives in Porto',
      ]);
      expect(user[0]?.conversationId).toBe(conversationId);
      expect(user[2]?.conversationId).toBeNull();
      const customer = await store.listOwnedMemories(
        tenant,
        { scope: 'customer', customerId: 'acme' },
        100,
      );
      expect(customer.map((held) => held.memory.content)).toEqual(['Shared with the customer']);
      const client = await store.listOwnedMemories(tenant, { scope: 'client' }, 100);
      expect(client.map((held) => held.memory.content)).toEqual(['Client-wide rule']);
      expect(await store.listOwnedMemories(clientId(), { scope: 'client' }, 100)).toEqual([]);
      const newest = await store.listOwnedMemories(
        tenant,
        { scope: 'user', userId: 'user-1', customerId: '' },
        1,
      );
      expect(newest.map((held) => held.memory.content)).toEqual(['In this chat: be brief']);
    });

    it('tells where each user memory was said: the conversation and order of its first source', async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      const outcomes = await store.recordMessages(tenant, [
        newMessage({ conversationId, content: 'I got a new library card' }),
        newMessage({ conversationId, content: 'It works at every branch' }),
      ]);
      const [first, second] = outcomes.map((outcome) => {
        if (!outcome?.ok) throw new Error('expected stored messages');
        return outcome.message;
      });
      if (!first || !second) throw new Error('expected two messages');
      await store.insertMemories(tenant, [
        newMemory({ content: 'Has a library card', sourceMessageIds: [first.id] }),
        newMemory({ content: 'Works at every branch', sourceMessageIds: [second.id, first.id] }),
        newMemory({ content: 'Imported', sourceMessageIds: ['legacy-42'] }),
        newMemory({ content: 'Said nowhere' }),
      ]);
      const held = await store.listOwnedMemories(
        tenant,
        { scope: 'user', userId: 'user-1', customerId: '' },
        100,
      );
      const turnOf = (content: string) =>
        held.find((entry) => entry.memory.content === content)?.sourceTurn;
      expect(turnOf('Has a library card')).toEqual({ conversationId, seq: first.seq });
      expect(turnOf('Works at every branch')).toEqual({ conversationId, seq: second.seq });
      expect(turnOf('Imported')).toBeNull();
      expect(turnOf('Said nowhere')).toBeNull();
    });

    it("keeps a B2B user's memories within their customer, and all of them when none is named", async () => {
      const store = context.store();
      const tenant = clientId();
      await store.insertMemories(tenant, [
        newMemory({ content: 'At acme', customerId: 'acme' }),
        newMemory({ content: 'At globex', customerId: 'globex' }),
      ]);
      const at = (customerId: string) =>
        store
          .listOwnedMemories(tenant, { scope: 'user', userId: 'user-1', customerId }, 10)
          .then((rows) => rows.map((held) => held.memory.content).sort());
      expect(await at('acme')).toEqual(['At acme']);
      expect(await at('')).toEqual(['At acme', 'At globex']);
    });

    it('tells listeners which owners a write changed, before the write resolves', async () => {
      const store = context.store();
      const tenant = clientId();
      const told: { clientId: string | null; owners: readonly MemoryOwner[] | 'all' }[] = [];
      const unsubscribe = store.onMemoryChange((changed, owners) => {
        told.push({ clientId: changed, owners });
      });
      try {
        await store.insertMemories(tenant, [
          newMemory({ content: 'A', customerId: 'acme' }),
          newMemory({ content: 'B', scope: 'customer', customerId: 'acme' }),
        ]);
        expect(told).toEqual([
          {
            clientId: tenant,
            owners: [
              { scope: 'user', userId: 'user-1', customerId: 'acme' },
              { scope: 'user', userId: 'user-1', customerId: '' },
              { scope: 'customer', customerId: 'acme' },
            ],
          },
        ]);
        // A clock-bound view of the store tells the same listeners.
        await store
          .withClock({ now: () => new Date() })
          .insertMemories(tenant, [newMemory({ content: 'C', scope: 'client', userId: '' })]);
        expect(told.at(-1)?.owners).toEqual([{ scope: 'client' }]);
      } finally {
        unsubscribe();
      }
      await store.insertMemories(tenant, [newMemory({ content: 'D' })]);
      expect(told).toHaveLength(2);
    });
  });
}
