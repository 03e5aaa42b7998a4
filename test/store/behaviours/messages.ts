import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MessageRecord, RecordOutcome, Role } from '../../../src/store/records.js';
import { clientId, newMessage } from '../fixtures.js';
import type { SuiteContext } from '../suite-context.js';

function stored(outcome: RecordOutcome | undefined): MessageRecord {
  if (!outcome?.ok) throw new Error(`expected a stored message, got ${JSON.stringify(outcome)}`);
  return outcome.message;
}

export function messageBehaviours(context: SuiteContext): void {
  describe('messages', () => {
    it('reads a conversation back in recording order, with paging', async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      const contents = ['first', 'second', 'third'];
      const outcomes = await store.recordMessages(
        tenant,
        contents.map((content, index) =>
          newMessage({
            conversationId,
            content,
            role: index % 2 ? 'assistant' : 'user',
            metadata: { index },
          }),
        ),
      );
      const messages = outcomes.map(stored);
      expect(messages.map((message) => message.seq)).toEqual(
        [...messages.map((m) => m.seq)].sort((a, b) => a - b),
      );

      const listed = await store.listMessages(tenant, conversationId);
      expect(listed.map((message) => message.content)).toEqual(contents);
      expect(listed[1]).toMatchObject({
        role: 'assistant',
        metadata: { index: 1 },
        clientId: tenant,
        sessionId: 'session-1',
      });
      expect(listed[0]?.recordedAt).toBeInstanceOf(Date);
      expect(typeof listed[0]?.seq).toBe('number');

      const afterFirst = await store.listMessages(tenant, conversationId, {
        afterSeq: listed[0]?.seq ?? 0,
        limit: 1,
      });
      expect(afterFirst.map((message) => message.content)).toEqual(['second']);
      const newest = await store.listMessages(tenant, conversationId, {
        newestFirst: true,
        limit: 2,
      });
      expect(newest.map((message) => message.content)).toEqual(['third', 'second']);

      const conversation = await store.getConversation(tenant, conversationId);
      expect(conversation).toMatchObject({ id: conversationId, userId: 'user-1', messageCount: 3 });
    });

    it('stores an idempotency key once, answers the same message after, and refuses it with other content', async () => {
      const store = context.store();
      const tenant = clientId();
      const message = newMessage({ idempotencyKey: 'retry-1' });
      const [first] = await store.recordMessages(tenant, [message]);
      const [again, inBatch] = await store.recordMessages(tenant, [
        message,
        { ...message, content: 'changed' },
      ]);
      expect(first).toMatchObject({ ok: true, duplicate: false });
      expect(again).toMatchObject({ ok: true, duplicate: true });
      expect(stored(again).id).toBe(stored(first).id);
      // The same key with other content would drop the new turn silently: a conflict.
      expect(inBatch).toMatchObject({ ok: false, code: 'conflict', field: 'client_token' });
      expect(await store.listMessages(tenant, message.conversationId)).toHaveLength(1);
      expect((await store.getConversation(tenant, message.conversationId))?.messageCount).toBe(1);
    });

    it('keeps one row when retries with one key arrive at once', async () => {
      const store = context.store();
      const tenant = clientId();
      const message = newMessage({ idempotencyKey: 'burst' });
      const outcomes = await Promise.all(
        Array.from({ length: 6 }, () => store.recordMessages(tenant, [message])),
      );
      const ids = new Set(outcomes.map(([outcome]) => stored(outcome).id));
      expect(ids.size).toBe(1);
      expect(outcomes.filter(([outcome]) => outcome?.ok && !outcome.duplicate)).toHaveLength(1);
      expect(await store.listMessages(tenant, message.conversationId)).toHaveLength(1);
    });

    it("refuses a message into another user's conversation and still records the rest", async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      const outcomes = await store.recordMessages(tenant, [
        newMessage({ conversationId, userId: 'alice', content: 'mine' }),
        newMessage({ conversationId, userId: 'mallory', content: 'intrusion' }),
        newMessage({ conversationId: 'not-a-uuid' }),
        newMessage({ conversationId, userId: 'alice', role: 'system' as Role }),
        newMessage({ conversationId, userId: 'alice', content: 'still mine' }),
      ]);
      expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, false, false, true]);
      expect(outcomes[1]).toMatchObject({ ok: false, code: 'conflict', field: 'user_id' });
      expect(outcomes[2]).toMatchObject({
        ok: false,
        code: 'invalid_input',
        field: 'conversation_id',
      });
      expect(outcomes[3]).toMatchObject({ ok: false, code: 'invalid_input' });
      const listed = await store.listMessages(tenant, conversationId);
      expect(listed.map((message) => message.content)).toEqual(['mine', 'still mine']);
    });

    it('searches the messages of a user by any word, and lists the newest without a query', async () => {
      const store = context.store();
      const tenant = clientId();
      const trip = randomUUID();
      const other = randomUUID();
      await store.recordMessages(tenant, [
        newMessage({ conversationId: trip, content: 'I am flying to Tokyo in March' }),
        newMessage({ conversationId: trip, content: 'Book a window seat please' }),
        newMessage({ conversationId: other, content: 'My flight to Berlin got cancelled' }),
        newMessage({
          conversationId: randomUUID(),
          userId: 'someone-else',
          content: 'Tokyo flights are cheap',
        }),
      ]);
      const hits = await store.searchMessages(tenant, {
        userId: 'user-1',
        customerId: '',
        conversationId: null,
        query: 'when is my Tokyo flight?',
        limit: 10,
      });
      expect(hits.map((hit) => hit.message.content)).toEqual(
        expect.arrayContaining([
          'I am flying to Tokyo in March',
          'My flight to Berlin got cancelled',
        ]),
      );
      expect(hits).toHaveLength(2);
      expect(hits[0]?.textRank).toBeGreaterThan(0);

      const inTrip = await store.searchMessages(tenant, {
        userId: 'user-1',
        customerId: '',
        conversationId: trip,
        query: 'tokyo flight',
        limit: 10,
      });
      expect(inTrip.map((hit) => hit.message.content)).toEqual(['I am flying to Tokyo in March']);

      const recent = await store.searchMessages(tenant, {
        userId: 'user-1',
        customerId: '',
        conversationId: null,
        query: '  ',
        limit: 2,
      });
      expect(recent.map((hit) => hit.message.content)).toEqual([
        'My flight to Berlin got cancelled',
        'Book a window seat please',
      ]);
      expect(recent[0]?.textRank).toBe(0);
    });
  });
}
