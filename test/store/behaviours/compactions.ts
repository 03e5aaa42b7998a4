import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { clientId } from '../fixtures.js';
import type { SuiteContext } from '../suite-context.js';

export function compactionBehaviours(context: SuiteContext): void {
  describe('compactions', () => {
    it('starts one at a time per conversation and finds the latest', async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      const start = (id: string) =>
        store.startCompaction(tenant, { id, conversationId, strategy: 'auto', targetTokens: 400 });

      const first = await start('c1');
      expect(first).toMatchObject({
        id: 'c1',
        status: 'queued',
        targetTokens: 400,
        summary: '',
        facts: [],
      });
      expect(await start('c2')).toBeNull();
      // Another conversation is independent.
      expect(
        await store.startCompaction(tenant, {
          id: 'c3',
          conversationId: randomUUID(),
          strategy: 'auto',
          targetTokens: null,
        }),
      ).not.toBeNull();
      if (!first) throw new Error('first compaction expected');

      await store.finishCompaction(tenant, { ...first, status: 'running' });
      expect(await start('c2')).toBeNull();
      expect((await store.getCompaction(tenant, 'c1'))?.completedAt).toBeNull();

      await store.finishCompaction(tenant, {
        ...first,
        status: 'completed',
        summary: 'Booked a hotel in Porto.',
        facts: ['hotel in Porto'],
        decisions: ['first week of May'],
        preferences: ['quiet rooms'],
        currentState: { step: 'payment' },
        originalTokenCount: 1200,
        compactedTokenCount: 150,
        throughSeq: 42,
        compactedMessageCount: 12,
      });
      const completed = await store.getCompaction(tenant, 'c1');
      expect(completed).toMatchObject({
        status: 'completed',
        facts: ['hotel in Porto'],
        currentState: { step: 'payment' },
        throughSeq: 42,
        compactedMessageCount: 12,
      });
      expect(completed?.completedAt).toBeInstanceOf(Date);

      const second = await start('c2');
      expect(second?.status).toBe('queued');
      expect((await store.latestCompaction(tenant, conversationId))?.id).toBe('c2');
      expect(
        (await store.latestCompaction(tenant, conversationId, { status: 'completed' }))?.id,
      ).toBe('c1');
      expect(await store.latestCompaction(tenant, conversationId, { status: 'failed' })).toBeNull();
    });
  });
}
