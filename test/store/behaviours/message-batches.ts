import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { MessageRecord, RecordOutcome, Role } from '../../../src/store/records.js';
import { clientId, newMessage } from '../fixtures.js';
import type { SuiteContext } from '../suite-context.js';

function stored(outcome: RecordOutcome | undefined): MessageRecord {
  if (!outcome?.ok) throw new Error(`expected a stored message, got ${JSON.stringify(outcome)}`);
  return outcome.message;
}

// A batch is recorded in a few statements (sql-message-batch.ts); these pin that its
// outcomes are those of recording its rows one after the other.
export function messageBatchBehaviours(context: SuiteContext): void {
  describe('message batches', () => {
    it('records a batch over several conversations in input order, each counted', async () => {
      const store = context.store();
      const tenant = clientId();
      const [first, second] = [randomUUID(), randomUUID()];
      const rows = [first, second, first, second, first].map((conversationId, index) =>
        newMessage({
          conversationId,
          sessionId: conversationId,
          content: `turn ${index}`,
          metadata: { index },
        }),
      );
      const messages = (await store.recordMessages(tenant, rows)).map(stored);
      const seqs = messages.map((message) => message.seq);
      expect(seqs).toEqual([...seqs].sort((left, right) => left - right));
      expect(new Set(seqs).size).toBe(rows.length);
      expect(messages[2]).toMatchObject({
        clientId: tenant,
        conversationId: first,
        sessionId: first,
        role: 'user',
        content: 'turn 2',
        metadata: { index: 2 },
        idempotencyKey: null,
      });
      const listed = await store.listMessages(tenant, first);
      expect(listed.map((message) => message.content)).toEqual(['turn 0', 'turn 2', 'turn 4']);
      expect(listed.map((message) => message.id)).toEqual(
        [messages[0], messages[2], messages[4]].map((message) => message?.id),
      );
      expect(listed[0]?.recordedAt.getTime()).toBe(messages[0]?.recordedAt.getTime());
      expect((await store.getConversation(tenant, first))?.messageCount).toBe(3);
      expect((await store.getConversation(tenant, second))?.messageCount).toBe(2);
    });

    it('answers a key repeated within the batch with its first row, or refuses other content', async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      const message = newMessage({ conversationId, idempotencyKey: 'twice' });
      const outcomes = await store.recordMessages(tenant, [
        message,
        { ...message },
        { ...message, content: 'changed' },
        newMessage({ conversationId, content: 'no key' }),
      ]);
      expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, true, false, true]);
      expect(outcomes[0]).toMatchObject({ ok: true, duplicate: false });
      expect(outcomes[1]).toMatchObject({ ok: true, duplicate: true });
      expect(stored(outcomes[1]).id).toBe(stored(outcomes[0]).id);
      expect(outcomes[2]).toMatchObject({ ok: false, code: 'conflict', field: 'client_token' });
      expect(await store.listMessages(tenant, conversationId)).toHaveLength(2);
      expect((await store.getConversation(tenant, conversationId))?.messageCount).toBe(2);
    });

    it('answers a stored key from the store and records the rest of the batch', async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      const [first] = await store.recordMessages(tenant, [
        newMessage({ conversationId, idempotencyKey: 'sent-before', content: 'earlier' }),
      ]);
      const outcomes = await store.recordMessages(tenant, [
        newMessage({ conversationId, content: 'new one' }),
        newMessage({ conversationId, idempotencyKey: 'sent-before', content: 'earlier' }),
      ]);
      expect(outcomes[0]).toMatchObject({ ok: true, duplicate: false });
      expect(outcomes[1]).toMatchObject({ ok: true, duplicate: true });
      expect(stored(outcomes[1]).id).toBe(stored(first).id);
      expect((await store.getConversation(tenant, conversationId))?.messageCount).toBe(2);
    });

    it('lets a later row use a key whose first row was refused, and creates no conversation for a repeat', async () => {
      const store = context.store();
      const tenant = clientId();
      const owned = randomUUID();
      await store.recordMessages(tenant, [newMessage({ conversationId: owned, userId: 'alice' })]);
      const [elsewhere, repeated] = [randomUUID(), randomUUID()];
      const outcomes = await store.recordMessages(tenant, [
        // Refused (alice owns it): its key stays free for the next row.
        newMessage({ conversationId: owned, userId: 'mallory', idempotencyKey: 'k1' }),
        newMessage({ conversationId: elsewhere, userId: 'mallory', idempotencyKey: 'k1' }),
        // A repeat of k1 in a third conversation: a collision, and nothing is created.
        newMessage({ conversationId: repeated, userId: 'mallory', idempotencyKey: 'k1' }),
      ]);
      expect(outcomes[0]).toMatchObject({ ok: false, code: 'conflict', field: 'user_id' });
      expect(outcomes[1]).toMatchObject({ ok: true, duplicate: false });
      expect(outcomes[2]).toMatchObject({ ok: false, code: 'conflict', field: 'client_token' });
      expect(await store.getConversation(tenant, elsewhere)).toMatchObject({
        userId: 'mallory',
        messageCount: 1,
      });
      expect(await store.getConversation(tenant, repeated)).toBeNull();
      expect((await store.getConversation(tenant, owned))?.messageCount).toBe(1);
    });

    it("gives a new conversation to its batch's first writer and refuses the others", async () => {
      const store = context.store();
      const tenant = clientId();
      const conversationId = randomUUID();
      const outcomes = await store.recordMessages(tenant, [
        newMessage({ conversationId, userId: 'bob', customerId: '', content: 'first' }),
        newMessage({ conversationId, userId: 'eve', content: 'intrusion' }),
        // Same user with a customer: a B2C conversation (no customer) accepts it.
        newMessage({ conversationId, userId: 'bob', customerId: 'acme', content: 'second' }),
      ]);
      expect(outcomes.map((outcome) => outcome.ok)).toEqual([true, false, true]);
      expect(outcomes[1]).toMatchObject({ code: 'conflict', field: 'user_id' });
      expect(await store.getConversation(tenant, conversationId)).toMatchObject({
        userId: 'bob',
        customerId: '',
        messageCount: 2,
      });
    });

    it('records concurrent batches that share conversations, every row once', async () => {
      const store = context.store();
      const tenant = clientId();
      const conversations = Array.from({ length: 6 }, () => randomUUID());
      const batch = (order: string[], tag: string) =>
        store.recordMessages(
          tenant,
          order.map((conversationId, index) =>
            newMessage({ conversationId, content: `${tag} ${index}` }),
          ),
        );
      // Opposite orders: a batch that locked conversations in input order could deadlock.
      const outcomes = await Promise.all([
        batch(conversations, 'forward'),
        batch([...conversations].reverse(), 'backward'),
        batch(conversations, 'again'),
      ]);
      expect(outcomes.flat().every((outcome) => outcome.ok && !outcome.duplicate)).toBe(true);
      for (const conversationId of conversations) {
        expect((await store.getConversation(tenant, conversationId))?.messageCount).toBe(3);
        expect(await store.listMessages(tenant, conversationId)).toHaveLength(3);
      }
    });

    it('queues the follow-up job with the rows it names, on every path, and none for duplicates', async () => {
      const store = context.store();
      const tenant = clientId();
      const kind = `follow-up-${randomUUID()}`;
      const options = {
        jobFor: (messages: readonly { id: string }[]) => ({
          kind,
          payload: { ids: messages.map((message) => message.id) },
        }),
      };
      const conversationId = randomUUID();
      const batch = await store.recordMessages(
        tenant,
        [
          newMessage({ conversationId, content: 'a', idempotencyKey: 'a' }),
          newMessage({ conversationId, content: 'b' }),
        ],
        options,
      );
      // A value the database refuses: the savepoint path, one job for the rows kept.
      const withBadRow = await store.recordMessages(
        tenant,
        [
          newMessage({ conversationId, content: 'c' }),
          newMessage({ conversationId, role: 'system' as Role }),
        ],
        options,
      );
      const single = await store.recordMessages(
        tenant,
        [newMessage({ conversationId, content: 'd' })],
        options,
      );
      const replay = await store.recordMessages(
        tenant,
        [newMessage({ conversationId, content: 'a', idempotencyKey: 'a' })],
        options,
      );
      expect(withBadRow.map((outcome) => outcome.ok)).toEqual([true, false]);
      expect(replay[0]).toMatchObject({ ok: true, duplicate: true });
      const jobs = await store.claimJobs([kind], 10, 60_000);
      expect(jobs.map((job) => job.payload.ids)).toEqual([
        batch.map((outcome) => stored(outcome).id),
        [stored(withBadRow[0]).id],
        [stored(single[0]).id],
      ]);
      expect(jobs.every((job) => job.clientId === tenant)).toBe(true);
    });

    it('queues no job when the follow-up says none, nor when nothing was stored', async () => {
      const store = context.store();
      const tenant = clientId();
      const kind = `follow-up-${randomUUID()}`;
      const conversationId = randomUUID();
      await store.recordMessages(tenant, [newMessage({ conversationId, userId: 'owner' })]);
      await store.recordMessages(
        tenant,
        [newMessage({ content: 'one' }), newMessage({ content: 'two' })],
        { jobFor: () => null },
      );
      const refused = await store.recordMessages(
        tenant,
        [
          newMessage({ conversationId, userId: 'intruder' }),
          newMessage({ conversationId, userId: 'intruder', content: 'again' }),
        ],
        { jobFor: () => ({ kind, payload: {} }) },
      );
      expect(refused.every((outcome) => !outcome.ok)).toBe(true);
      expect(await store.countPendingJobs([kind])).toBe(0);
    });

    it('reads recorded messages back by id, in recording order, skipping unknown ids', async () => {
      const store = context.store();
      const tenant = clientId();
      const messages = (
        await store.recordMessages(tenant, [
          newMessage({ content: 'one' }),
          newMessage({ content: 'two' }),
        ])
      ).map(stored);
      const ids = messages.map((message) => message.id);
      const read = await store.getMessages(tenant, [
        ids[1] ?? '',
        randomUUID(),
        'not-a-uuid',
        ids[0] ?? '',
      ]);
      expect(read.map((message) => message.content)).toEqual(['one', 'two']);
      expect(await store.getMessages(clientId(), ids)).toEqual([]);
    });
  });
}
