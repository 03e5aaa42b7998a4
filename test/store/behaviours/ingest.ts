import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IngestInput } from '../../../src/store/records.js';
import { clientId, newMessage } from '../fixtures.js';
import type { SuiteContext } from '../suite-context.js';

function transcript(overrides: Partial<IngestInput> = {}): IngestInput {
  return {
    conversationId: randomUUID(),
    userId: 'user-1',
    customerId: '',
    sessionId: 'session-ingest',
    turns: [
      {
        role: 'user',
        content: 'I need a hotel in Porto',
        timestamp: new Date('2025-03-01T10:00:00Z'),
      },
      { role: 'assistant', content: 'For which dates?', timestamp: null },
      { role: 'user', content: 'The first week of May', timestamp: null },
    ],
    transcriptHash: 'hash-a',
    metadata: { source: 'import' },
    ...overrides,
  };
}

export function ingestBehaviours(context: SuiteContext): void {
  describe('ingestTranscript', () => {
    it('records the turns in order and answers queued', async () => {
      const store = context.store();
      const tenant = clientId();
      const input = transcript();
      const outcome = await store.ingestTranscript(tenant, input);
      expect(outcome).toMatchObject({ status: 'queued', turnsRecorded: 3 });

      const messages = await store.listMessages(tenant, input.conversationId);
      expect(messages.map((message) => message.content)).toEqual(
        input.turns.map((turn) => turn.content),
      );
      expect(messages.map((message) => message.role)).toEqual(['user', 'assistant', 'user']);
      expect(messages[0]?.recordedAt.toISOString()).toBe('2025-03-01T10:00:00.000Z');
      expect(messages[0]?.metadata).toMatchObject({
        source: 'import',
        ingestion_id: outcome.ingestionId,
      });
      expect((await store.getConversation(tenant, input.conversationId))?.messageCount).toBe(3);
    });

    it('answers duplicate for the same transcript and conflict for another one', async () => {
      const store = context.store();
      const tenant = clientId();
      const input = transcript();
      const first = await store.ingestTranscript(tenant, input);
      const again = await store.ingestTranscript(tenant, input);
      expect(again).toEqual({
        status: 'duplicate',
        ingestionId: first.ingestionId,
        turnsRecorded: 3,
      });
      const other = await store.ingestTranscript(tenant, { ...input, transcriptHash: 'hash-b' });
      expect(other).toEqual({ status: 'conflict', ingestionId: first.ingestionId });
      expect(await store.listMessages(tenant, input.conversationId)).toHaveLength(3);
    });

    it('records a transcript once when the same ingest arrives twice at once', async () => {
      const store = context.store();
      const tenant = clientId();
      const input = transcript();
      const outcomes = await Promise.all([
        store.ingestTranscript(tenant, input),
        store.ingestTranscript(tenant, input),
      ]);
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['duplicate', 'queued']);
      expect(await store.listMessages(tenant, input.conversationId)).toHaveLength(3);
    });

    it("refuses a transcript for another user's conversation and records nothing", async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      await store.recordMessages(tenant, [newMessage({ conversationId, userId: 'owner' })]);
      const outcome = await store.ingestTranscript(
        tenant,
        transcript({ conversationId, userId: 'intruder' }),
      );
      expect(outcome).toMatchObject({ status: 'conflict', field: 'user_id' });
      expect(await store.listMessages(tenant, conversationId)).toHaveLength(1);
      // The refusal left no ingestion behind: the owner can still ingest.
      expect(
        await store.ingestTranscript(tenant, transcript({ conversationId, userId: 'owner' })),
      ).toMatchObject({
        status: 'queued',
      });
    });
  });
}
