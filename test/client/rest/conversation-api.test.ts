import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConversationApi } from '../../../src/client/conversation-api.js';
import {
  ConflictError,
  ContextNotFoundError,
  InvalidConversationIdError,
  InvalidInputError,
} from '../../../src/client/errors.js';
import { HttpClient } from '../../../src/client/http-client.js';
import type { RecordMessageInput } from '../../../src/client/types.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { rejection } from './rejection.js';

describe('ConversationApi', () => {
  let t: TestServer;
  let api: ConversationApi;
  let b2b: ConversationApi;
  const apiFor = (apiKey: string) =>
    new ConversationApi(new HttpClient({ baseUrl: t.server.restUrl, apiKey, timeoutMs: 5000 }));
  const requestCount = () =>
    t.server.metrics.registry.getSingleMetricAsString('foresight_http_requests_total');
  const turn = (overrides: Partial<RecordMessageInput> = {}): RecordMessageInput => ({
    conversationId: randomUUID(),
    role: 'user',
    content: 'I always fly aisle seats',
    userId: 'alice',
    ...overrides,
  });

  beforeAll(async () => {
    t = await startTestServer('pglite');
    api = apiFor(t.tenant.key);
    b2b = apiFor(t.b2b.key);
  });
  afterAll(() => t?.close());

  describe('recordMessage', () => {
    it('records a turn and answers typed fields', async () => {
      const input = turn({ sessionId: 'session-1', metadata: { source: 'test' } });
      const recorded = await api.recordMessage(input);
      expect(recorded).toEqual({
        messageId: expect.any(String),
        conversationId: input.conversationId,
        sessionId: 'session-1',
        recordedAt: expect.any(Date),
      });
      expect(Math.abs(recorded.recordedAt.getTime() - Date.now())).toBeLessThan(60_000);
      const stored = await t.server.store.listMessages(t.tenant.clientId, input.conversationId);
      expect(stored.map((row) => [row.id, row.content, row.metadata])).toEqual([
        [recorded.messageId, input.content, { source: 'test' }],
      ]);
    });

    it('answers the first message again for a retried idempotencyKey', async () => {
      const input = turn({ idempotencyKey: `key-${randomUUID()}` });
      const first = await api.recordMessage(input);
      const retry = await api.recordMessage(input);
      expect(retry.messageId).toBe(first.messageId);
      expect(
        await t.server.store.listMessages(t.tenant.clientId, input.conversationId),
      ).toHaveLength(1);
      const without = turn({ conversationId: input.conversationId });
      const a = await api.recordMessage(without);
      const b = await api.recordMessage(without);
      expect(a.messageId).not.toBe(b.messageId);
    });

    it('throws InvalidInputError naming the field before sending anything', async () => {
      const before = await requestCount();
      const cases: [unknown, string, string][] = [
        [turn({ content: '' }), 'content', 'content: must not be empty'],
        [turn({ role: 'system' as 'user' }), 'role', 'role: must be one of "user", "assistant"'],
        [turn({ userId: 'a/b' }), 'userId', 'userId: must not contain "/" or control characters'],
        [
          turn({ metadata: [] as unknown as Record<string, unknown> }),
          'metadata',
          'metadata: must be a plain object',
        ],
        [turn({ content: 'x'.repeat(256 * 1024 + 1) }), 'content', 'at most 262144 characters'],
        [{ ...turn(), userId: undefined }, 'userId', 'userId: is required'],
      ];
      for (const [input, field, message] of cases) {
        const error = await rejection(api.recordMessage(input as RecordMessageInput));
        expect(error).toBeInstanceOf(InvalidInputError);
        expect(error.field).toBe(field);
        expect(error.message).toContain(message);
      }
      const badId = await rejection(api.recordMessage(turn({ conversationId: 'thread-1' })));
      expect(badId).toBeInstanceOf(InvalidConversationIdError);
      expect(badId.message).toBe('conversationId: must be a UUID');
      expect(badId.field).toBe('conversationId');
      expect(await requestCount()).toBe(before);
    });

    it('passes server refusals on as InvalidInputError (B2B without customerId)', async () => {
      const error = await rejection(b2b.recordMessage(turn()));
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.status).toBe(422);
      expect(error.message).toContain('customer_id');
    });
  });

  describe('recordMessages', () => {
    it('records a batch with per-row outcomes in input order', async () => {
      const conversationId = randomUUID();
      const rows = [
        turn({ conversationId, customerId: 'acme', idempotencyKey: `row-${randomUUID()}` }),
        turn({ conversationId, content: 'no customer: refused for B2B' }),
        turn({ conversationId, customerId: 'acme', role: 'assistant', content: 'Noted.' }),
      ];
      const result = await b2b.recordMessages(rows);
      expect(result).toMatchObject({ total: 3, succeeded: 2, failed: 1 });
      expect(result.results.map((row) => row.ok)).toEqual([true, false, true]);
      const [first, failed] = result.results;
      if (!first?.ok || failed?.ok !== false) throw new Error('unexpected outcomes');
      expect(first.recordedAt).toBeInstanceOf(Date);
      expect(first.conversationId).toBe(conversationId);
      expect(failed).toMatchObject({ code: 'invalid_input', field: 'customerId' });
      expect(failed.message).toContain('customer_id');
      const again = await b2b.recordMessages([rows[0] as RecordMessageInput]);
      expect(again.results[0]).toMatchObject({ ok: true, messageId: first.messageId });
    });

    it('refuses an empty batch, more than 500 rows, or one bad row, before sending', async () => {
      const before = await requestCount();
      await expect(api.recordMessages([])).rejects.toMatchObject({
        name: 'InvalidInputError',
        field: 'inputs',
        message: 'inputs: must not be empty',
      });
      const many = Array.from({ length: 501 }, () => turn());
      await expect(api.recordMessages(many)).rejects.toMatchObject({ field: 'inputs' });
      await expect(api.recordMessages([turn(), turn({ content: '' })])).rejects.toMatchObject({
        name: 'InvalidInputError',
        field: 'inputs[1].content',
      });
      await expect(
        api.recordMessages([turn(), turn({ conversationId: 'nope' })]),
      ).rejects.toBeInstanceOf(InvalidConversationIdError);
      expect(await requestCount()).toBe(before);
    });
  });

  describe('ingest', () => {
    it('ingests once: the same again is a duplicate, another transcript a ConflictError', async () => {
      const input = {
        conversationId: `call-${randomUUID()}`,
        userId: 'alice',
        transcript: [
          { role: 'user' as const, content: 'Hi', timestamp: new Date('2026-01-01T10:00:00Z') },
          { role: 'assistant' as const, content: 'Hello!' },
        ],
      };
      const first = await api.ingest(input);
      expect(first).toEqual({
        conversationId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        externalConversationId: input.conversationId,
        ingestionId: expect.any(String),
        status: 'queued',
        summaryStatus: expect.stringMatching(/^(in_progress|skipped)$/),
        turnsRecorded: 2,
      });
      const again = await api.ingest(input);
      expect(again).toMatchObject({ status: 'duplicate', ingestionId: first.ingestionId });
      const conflict = await rejection(
        api.ingest({ ...input, transcript: 'user: something else' }),
      );
      expect(conflict).toBeInstanceOf(ConflictError);
      expect(conflict.status).toBe(409);
    });

    it('names the bad turn of a transcript', async () => {
      const error = await rejection(
        api.ingest({
          conversationId: 'any-id',
          userId: 'alice',
          transcript: [{ role: 'bot' as 'user', content: 'x' }],
        }),
      );
      expect(error).toBeInstanceOf(InvalidInputError);
      expect(error.field).toBe('transcript[0].role');
    });
  });

  describe('compaction', () => {
    const conversationId = randomUUID();
    beforeAll(async () => {
      for (const [role, content] of [
        ['user', 'I want to book a flight to Lisbon.'],
        ['assistant', 'Sure, which dates?'],
        ['user', 'I prefer morning flights. Let us go with December 3.'],
      ] as const)
        await api.recordMessage({ conversationId, role, content, userId: 'alice' });
    });

    it('answers null and status "none" before the first compaction', async () => {
      expect(await api.getCompacted(conversationId)).toBeNull();
      expect(await api.compactionStatus(conversationId)).toEqual({
        conversationId,
        status: 'none',
      });
      const prompt = await api.contextForPrompt(conversationId);
      expect(prompt).toMatchObject({ available: false, isStale: false, totalMessageCount: 3 });
      expect(prompt.recentMessages.map((message) => message.role)).toEqual([
        'user',
        'assistant',
        'user',
      ]);
      expect(prompt.recentMessages[0]?.timestamp).toBeInstanceOf(Date);
    });

    it('compacts, reports status until completed, and serves the result', async () => {
      const started = await api.compact({ conversationId, force: true });
      expect(started.conversationId).toBe(conversationId);
      expect(['queued', 'running', 'completed']).toContain(started.status);
      const status = await vi.waitFor(
        async () => {
          const current = await api.compactionStatus(conversationId);
          expect(current.status).toBe('completed');
          return current;
        },
        { timeout: 10_000, interval: 50 },
      );
      expect(status).toMatchObject({ status: 'completed', compactionId: started.compactionId });
      expect(status.completedAt).toBeInstanceOf(Date);
      expect(typeof status.compressionRatio).toBe('number');

      const compacted = await api.getCompacted(conversationId);
      expect(compacted).toMatchObject({
        compactionId: started.compactionId,
        strategyUsed: 'adaptive',
        currentState: expect.any(Object),
      });
      expect(compacted?.preferences).toContain('I prefer morning flights.');
      expect(compacted?.facts.every((fact) => typeof fact === 'string')).toBe(true);
      expect(compacted?.originalTokenCount).toBeGreaterThan(0);

      const prompt = await api.contextForPrompt(conversationId);
      expect(prompt).toMatchObject({
        available: true,
        isStale: false,
        compactedMessageCount: 3,
        totalMessageCount: 3,
      });
      expect(prompt.formattedContext).toContain('morning flights');
    });

    it('throws ContextNotFoundError for an unknown conversation', async () => {
      await expect(api.compactionStatus(randomUUID())).rejects.toBeInstanceOf(ContextNotFoundError);
      await expect(api.contextForPrompt(randomUUID())).rejects.toMatchObject({
        name: 'ContextNotFoundError',
        status: 404,
      });
      await expect(api.compact({ conversationId: randomUUID() })).rejects.toBeInstanceOf(
        ContextNotFoundError,
      );
    });

    it('checks ids and options before sending', async () => {
      const before = await requestCount();
      await expect(api.getCompacted('not-a-uuid')).rejects.toBeInstanceOf(
        InvalidConversationIdError,
      );
      await expect(api.contextForPrompt('../x')).rejects.toMatchObject({
        message: 'conversationId: must be a UUID',
      });
      await expect(api.compact({ conversationId, targetTokens: 10 })).rejects.toMatchObject({
        name: 'InvalidInputError',
        message: 'targetTokens: must be at least 50',
      });
      await expect(
        api.compact({ conversationId, strategy: 'summary' as 'adaptive' }),
      ).rejects.toMatchObject({ field: 'strategy' });
      expect(await requestCount()).toBe(before);
    });
  });
});
