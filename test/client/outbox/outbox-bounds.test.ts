import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  DELIVER_ALL_MS,
  outboxClients,
  storedContents,
  turn,
  warningsLogger,
} from './outbox-fixtures.js';
import { type RestartableServer, startRestartableServer } from './restartable-server.js';

let s: RestartableServer;
const { client, closeAll } = outboxClients(() => s);

beforeAll(async () => {
  s = await startRestartableServer();
});

afterEach(async () => {
  await s.start();
  await closeAll();
});

afterAll(async () => {
  await s?.close();
});

const retryFast = { baseRetryDelayMs: 10, maxRetryDelayMs: 20 };

describe('client.outbox bounds', () => {
  it('drops the oldest records past maxQueued, counts them exactly, and tells the logger', async () => {
    const logger = warningsLogger();
    const outbox = client({ logger, outbox: { maxQueued: 5, ...retryFast } });
    await s.stop();
    const conversationId = randomUUID();
    for (let index = 0; index < 12; index += 1) outbox.outbox.enqueue(turn(conversationId, index));

    expect(outbox.outbox.stats()).toMatchObject({ queued: 5, dropped: 7 });
    expect(logger.messages).toContain('outbox full: oldest records dropped');
    const told = logger.details.flatMap((detail) =>
      'dropped' in detail ? [(detail as { dropped: number }).dropped] : [],
    );
    await s.start();
    const result = await outbox.flush({ timeoutMs: DELIVER_ALL_MS });

    expect(result).toMatchObject({ delivered: 5, dropped: 7, undelivered: 0 });
    // Every drop is told: at once for the first, in the flush for the rest.
    const toldAfter = logger.details.flatMap((detail) =>
      'dropped' in detail ? [(detail as { dropped: number }).dropped] : [],
    );
    expect(told[0]).toBe(1);
    expect(toldAfter.reduce((sum, count) => sum + count, 0)).toBe(7);
    expect(await storedContents(s.server, s.tenant.clientId, conversationId)).toEqual(
      [7, 8, 9, 10, 11].map((index) => turn(conversationId, index).content),
    );
  });

  it('drops the oldest records past maxQueuedBytes, keeping queuedBytes under it', async () => {
    const conversationId = randomUUID();
    const recordBytes = Buffer.byteLength(
      JSON.stringify({ ...turn(conversationId, 0), idempotencyKey: randomUUID() }),
    );
    const outbox = client({ outbox: { maxQueuedBytes: recordBytes * 3 + 10, ...retryFast } });
    await s.stop();
    for (let index = 0; index < 10; index += 1) outbox.outbox.enqueue(turn(conversationId, index));

    const stats = outbox.outbox.stats();
    expect(stats).toMatchObject({ queued: 3, dropped: 7 });
    expect(stats.queuedBytes).toBeLessThanOrEqual(recordBytes * 3 + 10);
    await s.start();
    expect(await outbox.flush({ timeoutMs: DELIVER_ALL_MS })).toMatchObject({
      delivered: 3,
      dropped: 7,
    });
    expect(await storedContents(s.server, s.tenant.clientId, conversationId)).toEqual(
      [7, 8, 9].map((index) => turn(conversationId, index).content),
    );
  });

  it('close() without a spool answers the undelivered count and warns that they are lost', async () => {
    const logger = warningsLogger();
    const outbox = client({ logger, outbox: retryFast });
    await s.stop();
    outbox.outbox.enqueue([turn(randomUUID(), 0), turn(randomUUID(), 0)]);

    const result = await outbox.close({ timeoutMs: 200 });

    expect(result).toMatchObject({ delivered: 0, undelivered: 2, dropped: 0 });
    expect(logger.messages.some((message) => /undelivered; they are lost/.test(message))).toBe(
      true,
    );
  });
});
