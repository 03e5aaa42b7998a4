import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clientId, newMemory, newMessage } from '../fixtures.js';
import type { SuiteContext } from '../suite-context.js';

export function tenancyBehaviours(context: SuiteContext): void {
  describe('tenancy', () => {
    it("never shows one client another client's rows, even under the same ids", async () => {
      const store = context.store();
      const clientA = clientId();
      const clientB = clientId();
      const conversationId = randomUUID();
      const scope = { userId: 'user-1', customerId: '', conversationId };

      const [recordedA] = await store.recordMessages(clientA, [
        newMessage({
          conversationId,
          content: 'secret plans for the launch',
          idempotencyKey: 'shared-key',
        }),
      ]);
      await store.insertMemories(clientA, [
        newMemory({ content: 'secret launch date is June', subjectKey: 'launch' }),
        newMemory({ scope: 'client', userId: '', content: 'secret company policy on launch' }),
      ]);
      await store.saveBundle(clientA, {
        id: 'bundle-1',
        conversationId,
        userId: 'user-1',
        customerId: '',
        inReplyToEventId: '',
        bundleType: 'anticipation',
        payload: { secret: true },
        retrievalMs: 3,
      });
      await store.startCompaction(clientA, {
        id: 'compaction-1',
        conversationId,
        strategy: 'auto',
        targetTokens: null,
      });

      expect(await store.getConversation(clientB, conversationId)).toBeNull();
      expect(await store.listMessages(clientB, conversationId)).toEqual([]);
      expect(
        await store.searchMessages(clientB, { ...scope, query: 'secret launch', limit: 10 }),
      ).toEqual([]);
      expect(
        await store.searchMemories(clientB, {
          ...scope,
          query: 'secret launch',
          types: [],
          limit: 10,
        }),
      ).toEqual([]);
      expect(
        await store.searchMemories(clientB, { ...scope, query: '', types: [], limit: 10 }),
      ).toEqual([]);
      expect(
        await store.listMemories(clientB, { userId: 'user-1', includeSuperseded: true }),
      ).toEqual([]);
      expect(
        await store.listBundlesSince(clientB, {
          conversationId,
          userId: 'user-1',
          afterSeq: 0,
          limit: 10,
        }),
      ).toEqual([]);
      expect(await store.getCompaction(clientB, 'compaction-1')).toBeNull();
      expect(await store.latestCompaction(clientB, conversationId)).toBeNull();

      // The same ids are free for client B: its own conversation, key, memory subject and bundle.
      const [recordedB] = await store.recordMessages(clientB, [
        newMessage({ conversationId, userId: 'other-user', idempotencyKey: 'shared-key' }),
      ]);
      expect(recordedB).toMatchObject({ ok: true, duplicate: false });
      expect(recordedB?.ok && recordedA?.ok && recordedB.message.id !== recordedA.message.id).toBe(
        true,
      );
      await store.insertMemories(clientB, [
        newMemory({ content: 'B launch', subjectKey: 'launch' }),
      ]);
      await store.saveBundle(clientB, {
        id: 'bundle-1',
        conversationId,
        userId: 'other-user',
        customerId: '',
        inReplyToEventId: '',
        bundleType: 'anticipation',
        payload: {},
        retrievalMs: 1,
      });
      const memoriesA = await store.listMemories(clientA, {
        userId: 'user-1',
        includeSuperseded: true,
      });
      expect(memoriesA.map((memory) => memory.supersededBy)).toEqual([null]);
      expect((await store.getConversation(clientA, conversationId))?.userId).toBe('user-1');
    });
  });
}
