import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  createClient,
  type ForesightClient,
  type SendMessageInput,
  type StreamStatus,
} from '../../../src/index.js';
import { memory } from '../../support/memories.js';
import { warningsLogger } from '../outbox/outbox-fixtures.js';
import { type RestartableServer, startRestartableServer } from '../outbox/restartable-server.js';

/**
 * What `client.instance.status` and `ListenOptions.onStatus` show through a real
 * outage: the server is stopped, then started again on the same ports and data.
 */
let s: RestartableServer;
const clients: ForesightClient[] = [];

beforeAll(async () => {
  s = await startRestartableServer();
  await s.server.store.insertMemories(s.tenant.clientId, [
    memory({
      content: 'Alice prefers aisle seats on flights to Lisbon',
      memoryType: 'preferences',
    }),
  ]);
});

afterEach(async () => {
  await s.start();
  await Promise.all(clients.splice(0).map((client) => client.close({ timeoutMs: 1_000 })));
});

afterAll(async () => {
  await s?.close();
});

function toolCall(conversationId: string): SendMessageInput {
  return {
    eventType: 'tool_call',
    conversationId,
    userId: 'alice',
    toolName: 'book_flight',
    toolArgs: { destination: 'Lisbon' },
  };
}

/** Resolves once `statuses` ends with `status`; fails naming what it saw. */
function reached(statuses: StreamStatus[], status: StreamStatus, timeoutMs = 5_000) {
  return vi.waitFor(
    () => {
      if (statuses.at(-1) !== status)
        throw new Error(`no ${status} within ${timeoutMs} ms; saw ${statuses.join(' → ')}`);
    },
    { timeout: timeoutMs, interval: 10 },
  );
}

describe.each(['grpc', 'http'] as const)(
  '%s: client.instance.status through an outage',
  (transport) => {
    it('goes connecting → connected → reconnecting → degraded → connected, and streams again', async () => {
      const client = createClient({
        url: s.restUrl,
        grpcTarget: s.grpcTarget,
        apiKey: s.tenant.key,
        transport,
        env: {},
        logger: warningsLogger(),
        heartbeatIntervalMs: 100,
        deadStreamMs: 500,
        reconnect: {
          initialDelayMs: 20,
          maxDelayMs: 100,
          degradedAfterAttempts: 3,
          degradedAfterMs: 60_000,
        },
      });
      clients.push(client);
      const statuses: StreamStatus[] = [];
      await client.instance.listen({ onStatus: (status) => statuses.push(status) });
      expect(statuses).toEqual(['connecting', 'connected']);
      const conversationId = randomUUID();
      // Over HTTP, a conversation with an event sent is what gets polled.
      const before = await client.instance.sendMessage(toolCall(conversationId));
      const answer = await client.context.waitFor({
        conversationId,
        afterEvent: before,
        timeoutMs: 3_000,
      });
      expect(answer.status).toBe('ready');

      await s.stop();
      await reached(statuses, 'degraded');
      expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'degraded']);
      expect(client.instance.status).toBe('degraded');
      // gRPC queues an event sent while down and replays it; HTTP refuses it at once.
      const duringOutage = toolCall(conversationId);
      const queued =
        transport === 'grpc'
          ? await client.instance.sendMessage(duringOutage)
          : await client.instance.sendMessage(duringOutage).catch((error: unknown) => error);
      if (transport === 'http') expect(queued).toMatchObject({ code: 'service_unavailable' });
      else expect(typeof queued).toBe('string');

      await s.start();
      await reached(statuses, 'connected');
      expect(statuses).toEqual([
        'connecting',
        'connected',
        'reconnecting',
        'degraded',
        'connected',
      ]);
      expect(client.instance.status).toBe('connected');
      if (typeof queued === 'string') {
        const replayed = await client.context.waitFor({
          conversationId,
          afterEvent: queued,
          timeoutMs: 3_000,
        });
        expect(replayed.status).toBe('ready');
      }

      // The same listen (its options, its cache) goes on over the new connection.
      const after = await client.instance.sendMessage(toolCall(conversationId));
      const result = await client.context.waitFor({
        conversationId,
        afterEvent: after,
        timeoutMs: 3_000,
      });
      expect(result.status).toBe('ready');
    });

    it('turns degraded after degradedAfterMs down, however few attempts failed', async () => {
      const client = createClient({
        url: s.restUrl,
        grpcTarget: s.grpcTarget,
        apiKey: s.tenant.key,
        transport,
        env: {},
        logger: warningsLogger(),
        reconnect: {
          initialDelayMs: 20,
          maxDelayMs: 100,
          degradedAfterAttempts: 1_000,
          degradedAfterMs: 400,
        },
      });
      clients.push(client);
      const statuses: StreamStatus[] = [];
      await client.instance.listen({ onStatus: (status) => statuses.push(status) });
      await client.instance.sendMessage(toolCall(randomUUID()));

      await s.stop();
      await reached(statuses, 'reconnecting');
      const downAt = Date.now();
      await reached(statuses, 'degraded');

      expect(Date.now() - downAt).toBeGreaterThanOrEqual(300);
      expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'degraded']);
    });
  },
);
