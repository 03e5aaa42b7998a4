import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  ClientClosedError,
  InvalidConversationIdError,
  InvalidInputError,
} from '../../../src/index.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import {
  DELIVER_ALL_MS,
  outboxClients,
  storedContents,
  turn,
  warningsLogger,
} from './outbox-fixtures.js';
import { batchRequests } from './restartable-server.js';

let t: TestServer;
const { client, closeAll } = outboxClients(() => ({ restUrl: t.server.restUrl, tenant: t.tenant }));

beforeAll(async () => {
  t = await startTestServer('postgres');
});

afterEach(async () => {
  await closeAll();
});

afterAll(async () => {
  await t?.close();
});

async function batchCalls(): Promise<number> {
  const counts = await batchRequests(t.server);
  return Object.values(counts).reduce((sum, count) => sum + count, 0);
}

describe('client.outbox', () => {
  it('sends 250 records in 3 batch requests, in order per conversation', async () => {
    const outbox = client({ outbox: { maxBatchSize: 100, flushIntervalMs: 10_000 } });
    const [first, second] = [randomUUID(), randomUUID()];
    const before = await batchCalls();
    for (let index = 0; index < 125; index += 1) {
      outbox.outbox.enqueue(turn(first, index));
      outbox.outbox.enqueue(turn(second, index));
    }

    const result = await outbox.flush({ timeoutMs: DELIVER_ALL_MS });

    expect(result).toMatchObject({ delivered: 250, undelivered: 0, dropped: 0, failed: 0 });
    expect((await batchCalls()) - before).toBe(3);
    for (const conversationId of [first, second]) {
      expect(await storedContents(t.server, t.tenant.clientId, conversationId)).toEqual(
        Array.from({ length: 125 }, (_, index) => turn(conversationId, index).content),
      );
    }
    expect(outbox.outbox.stats()).toMatchObject({ queued: 0, queuedBytes: 0, delivered: 250 });
  });

  it('sends a partial batch once its oldest record waited flushIntervalMs, and not before', async () => {
    const outbox = client({ outbox: { flushIntervalMs: 200 } });
    const conversationId = randomUUID();
    const before = await batchCalls();
    const startedAt = Date.now();
    for (let index = 0; index < 3; index += 1) outbox.outbox.enqueue(turn(conversationId, index));
    expect(outbox.outbox.stats()).toMatchObject({ queued: 3, delivered: 0 });

    await vi.waitFor(() => expect(outbox.outbox.stats().delivered).toBe(3), { timeout: 3_000 });

    // Not before: delivered no sooner than flushIntervalMs after the first enqueue.
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(190);
    expect((await batchCalls()) - before).toBe(1);
    expect(await storedContents(t.server, t.tenant.clientId, conversationId)).toHaveLength(3);
  });

  it('refuses an invalid record by field and rule and queues nothing of that call', () => {
    const outbox = client();
    const conversationId = randomUUID();
    const records = [turn(conversationId, 0), { ...turn(conversationId, 1), content: '' }];

    expect(() => outbox.outbox.enqueue(records)).toThrow(InvalidInputError);
    expect(() => outbox.outbox.enqueue(records)).toThrow('[1].content: must not be empty');
    expect(() =>
      outbox.outbox.enqueue({ ...turn(conversationId, 0), role: 'system' as 'user' }),
    ).toThrow('role: must be one of "user", "assistant"');
    expect(() => outbox.outbox.enqueue({ ...turn('not-a-uuid', 0) })).toThrow(
      InvalidConversationIdError,
    );
    expect(outbox.outbox.stats()).toMatchObject({ queued: 0, queuedBytes: 0 });
  });

  it('stores a record enqueued twice under one idempotency key once', async () => {
    const outbox = client();
    const conversationId = randomUUID();
    const record = { ...turn(conversationId, 0), idempotencyKey: `key-${randomUUID()}` };
    outbox.outbox.enqueue(record);
    outbox.outbox.enqueue(record);

    const result = await outbox.flush({ timeoutMs: DELIVER_ALL_MS });

    expect(result.delivered).toBe(2);
    expect(await storedContents(t.server, t.tenant.clientId, conversationId)).toEqual([
      record.content,
    ]);
  });

  it('counts rows the service refuses as failed, tells it once per kind, and never retries them', async () => {
    const logger = warningsLogger();
    // A B2B tenant needs customerId with userId: these rows are refused one by one.
    const outbox = client({ apiKey: t.b2b.key, logger });
    const conversationId = randomUUID();
    outbox.outbox.enqueue([
      turn(conversationId, 0),
      { ...turn(conversationId, 1), customerId: 'acme' },
      turn(conversationId, 2),
    ]);

    const result = await outbox.flush({ timeoutMs: DELIVER_ALL_MS });

    expect(result).toMatchObject({ delivered: 1, failed: 2, undelivered: 0 });
    expect(outbox.outbox.stats()).toMatchObject({ failed: 2, retries: 0, queued: 0 });
    const refusals = logger.messages.filter((message) => message.includes('was refused'));
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatch(/invalid_input/);
  });

  it('close() drains, answers what it delivered, and refuses later records', async () => {
    const outbox = client({ outbox: { flushIntervalMs: 10_000 } });
    const conversationId = randomUUID();
    for (let index = 0; index < 7; index += 1) outbox.outbox.enqueue(turn(conversationId, index));

    const result = await outbox.close({ timeoutMs: DELIVER_ALL_MS });

    expect(result).toEqual({
      settled: 0,
      pending: 0,
      delivered: 7,
      failed: 0,
      dropped: 0,
      undelivered: 0,
    });
    expect(await outbox.close()).toBe(result);
    expect(() => outbox.outbox.enqueue(turn(conversationId, 8))).toThrow(ClientClosedError);
    expect(await storedContents(t.server, t.tenant.clientId, conversationId)).toHaveLength(7);
  });

  it('flush() reports each record once: a second flush answers only what came since', async () => {
    const outbox = client();
    const conversationId = randomUUID();
    outbox.outbox.enqueue([turn(conversationId, 0), turn(conversationId, 1)]);
    const [first, shared] = [outbox.flush(), outbox.flush()];
    expect(await first).toBe(await shared);
    expect((await first).delivered).toBe(2);

    outbox.outbox.enqueue(turn(conversationId, 2));
    expect(await outbox.flush()).toMatchObject({ delivered: 1, undelivered: 0 });
    expect(await outbox.flush()).toMatchObject({ delivered: 0, undelivered: 0 });
  });
});

describe('serverless pattern: waitUntil(client.flush())', () => {
  it('answers before the records are sent, and the flush handed to waitUntil delivers each once', async () => {
    // One warm function instance: the client lives across invocations.
    const outbox = client({ outbox: { flushIntervalMs: 10_000 } });
    const conversationId = randomUUID();
    const pending: Promise<unknown>[] = [];
    const waitUntil = (promise: Promise<unknown>) => {
      pending.push(promise);
    };
    async function handler(request: { turn: number }): Promise<Response> {
      outbox.outbox.enqueue(turn(conversationId, request.turn));
      waitUntil(outbox.flush({ timeoutMs: DELIVER_ALL_MS }));
      return new Response('ok');
    }

    const heldWhenAnswered: number[] = [];
    for (let index = 0; index < 3; index += 1) {
      const response = await handler({ turn: index });
      expect(response.status).toBe(200);
      heldWhenAnswered.push(outbox.outbox.stats().queued);
      // The platform keeps the instance alive until the waitUntil promises settle.
      await Promise.all(pending.splice(0));
    }

    expect(heldWhenAnswered).toEqual([1, 1, 1]);
    expect(await storedContents(t.server, t.tenant.clientId, conversationId)).toEqual(
      [0, 1, 2].map((index) => turn(conversationId, index).content),
    );
    expect(outbox.outbox.stats()).toMatchObject({ delivered: 3, queued: 0, retries: 0 });
  });
});
