import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClient } from '../../../src/index.js';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { AnswerDroppingProxy } from './answer-dropping-proxy.js';
import {
  DELIVER_ALL_MS,
  outboxClients,
  storedContents,
  turn,
  warningsLogger,
} from './outbox-fixtures.js';
import {
  batchRequests,
  type RestartableServer,
  startRestartableServer,
} from './restartable-server.js';

let s: RestartableServer;
const { client, closeAll } = outboxClients(() => s);
const cleanups: (() => Promise<void>)[] = [];

beforeAll(async () => {
  s = await startRestartableServer();
});

afterEach(async () => {
  await s.start();
  await closeAll();
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

afterAll(async () => {
  await s?.close();
});

describe('client.outbox retries', () => {
  it('holds records through a server stop and delivers each exactly once, in order, after the restart', async () => {
    const logger = warningsLogger();
    const outbox = client({
      logger,
      outbox: { maxBatchSize: 4, flushIntervalMs: 5, baseRetryDelayMs: 10, maxRetryDelayMs: 40 },
    });
    const conversations = [randomUUID(), randomUUID(), randomUUID()];
    // Some records reach the server before it stops.
    for (const conversationId of conversations) outbox.outbox.enqueue(turn(conversationId, 0));
    expect((await outbox.flush({ timeoutMs: DELIVER_ALL_MS })).delivered).toBe(3);

    await s.stop();
    for (let index = 1; index <= 10; index += 1) {
      for (const conversationId of conversations)
        outbox.outbox.enqueue(turn(conversationId, index));
    }
    await vi.waitFor(() => expect(outbox.outbox.stats().retries).toBeGreaterThanOrEqual(3), {
      timeout: 5_000,
    });
    // Down, nothing was delivered and nothing dropped.
    expect(outbox.outbox.stats()).toMatchObject({ queued: 30, delivered: 3, dropped: 0 });

    await s.start();
    const result = await outbox.flush({ timeoutMs: 10_000 });

    expect(result).toMatchObject({ delivered: 30, undelivered: 0, dropped: 0, failed: 0 });
    for (const conversationId of conversations) {
      expect(await storedContents(s.server, s.tenant.clientId, conversationId)).toEqual(
        Array.from({ length: 11 }, (_, index) => turn(conversationId, index).content),
      );
    }
    // One warning for the outage, however many retries it took.
    expect(logger.messages.filter((message) => message.includes('retrying'))).toHaveLength(1);
  });

  it('stores a batch whose answer was lost once: the retry carries the same idempotency keys', async () => {
    const proxy = await AnswerDroppingProxy.start(s.restUrl);
    cleanups.push(() => proxy.close());
    const outbox = client({
      url: proxy.url,
      outbox: { maxBatchSize: 5, baseRetryDelayMs: 10, maxRetryDelayMs: 20 },
    });
    const conversationId = randomUUID();
    // The first two batches are stored, then their answers are lost.
    proxy.dropAnswers = 2;
    outbox.outbox.enqueue(Array.from({ length: 10 }, (_, index) => turn(conversationId, index)));

    const result = await outbox.flush({ timeoutMs: DELIVER_ALL_MS });

    expect(result).toMatchObject({ delivered: 10, undelivered: 0, failed: 0 });
    expect(outbox.outbox.stats().retries).toBe(2);
    expect(proxy.relayed).toBe(4);
    expect(await storedContents(s.server, s.tenant.clientId, conversationId)).toEqual(
      Array.from({ length: 10 }, (_, index) => turn(conversationId, index).content),
    );
  });

  it('gives up at the flush deadline without losing what it holds', async () => {
    const outbox = client({ outbox: { baseRetryDelayMs: 10, maxRetryDelayMs: 20 } });
    await s.stop();
    const conversationId = randomUUID();
    outbox.outbox.enqueue([turn(conversationId, 0), turn(conversationId, 1)]);

    const timeoutMs = 300;
    const startedAt = Date.now();
    const result = await outbox.flush({ timeoutMs });

    // Gave up near its deadline, not after retrying on.
    expect(Date.now() - startedAt).toBeLessThan(5 * timeoutMs);
    expect(result).toMatchObject({ delivered: 0, undelivered: 2, dropped: 0 });
    await s.start();
    expect(await outbox.flush({ timeoutMs: DELIVER_ALL_MS })).toMatchObject({
      delivered: 2,
      undelivered: 0,
    });
  });
});

describe('client.outbox against a rate limit', () => {
  let limited: TestServer;

  beforeAll(async () => {
    // One request a second, no burst: the second batch in a row gets 429 + Retry-After: 1.
    limited = await startTestServer('postgres', { requestsPerSecond: 1, requestBurst: 1 });
  });

  afterAll(async () => {
    await limited?.close();
  });

  it('waits the Retry-After the service asks for, not its own shorter backoff', async () => {
    // The limit is per key: a key of its own starts with a full bucket.
    const { key } = await limited.server.apiKeys.create({
      clientId: limited.tenant.clientId,
      name: `retry-after-${randomUUID()}`,
    });
    const outbox = createClient({
      url: limited.server.restUrl,
      apiKey: key,
      logger: warningsLogger(),
      env: {},
      outbox: { maxBatchSize: 2, flushIntervalMs: 0, baseRetryDelayMs: 1, maxRetryDelayMs: 5 },
    });
    cleanups.push(async () => {
      await outbox.close({ timeoutMs: 1_000 });
    });
    const conversationId = randomUUID();
    const startedAt = Date.now();
    outbox.outbox.enqueue([0, 1, 2, 3].map((index) => turn(conversationId, index)));

    const result = await outbox.flush({ timeoutMs: DELIVER_ALL_MS });

    const elapsed = Date.now() - startedAt;
    expect(result).toMatchObject({ delivered: 4, undelivered: 0 });
    const counts = await batchRequests(limited.server);
    // With its own 1–5 ms backoff alone it would have hit the limit dozens of times.
    expect(counts['429']).toBe(1);
    expect(counts['200']).toBe(2);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    expect(outbox.outbox.stats().retries).toBe(1);
    expect(await storedContents(limited.server, limited.tenant.clientId, conversationId)).toEqual(
      [0, 1, 2, 3].map((index) => turn(conversationId, index).content),
    );
  });
});
