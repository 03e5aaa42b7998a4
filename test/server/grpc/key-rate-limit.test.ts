import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../support/test-server.js';
import { ListenProbe, synapClient } from './listen-probe.js';

describe('Listen event limit per API key', () => {
  let t: TestServer;
  beforeAll(async () => {
    // Streams alone would allow 100/s each; the key allows a burst of 3 across them.
    t = await startTestServer('pglite', {
      streamEventsPerSecond: 100,
      requestsPerSecond: 1,
      requestBurst: 3,
    });
  });
  afterAll(() => t?.close());

  const thinking = () => ({
    $case: 'conversationEvent' as const,
    value: {
      eventType: 'agent_thinking',
      conversationId: randomUUID(),
      userId: 'alice',
      role: 'assistant',
      content: 'thinking',
      customerId: '',
      sessionId: '',
      metadata: {},
      timestampMs: Date.now(),
      toolName: '',
      toolArgsJson: '',
      searchQueries: [],
      contextTypes: [],
    },
  });

  it('shares one budget across every stream of a key, and leaves other keys alone', async () => {
    const client = synapClient(Number(t.server.grpcTarget.split(':').at(-1)));
    const first = new ListenProbe(client, t.tenant.key);
    const second = new ListenProbe(client, t.tenant.key);
    const otherKey = new ListenProbe(client, t.other.key);
    try {
      // A pong proves each call is authenticated, so the key's budget applies.
      for (const [index, probe] of [first, second, otherKey].entries()) {
        probe.ping(index);
        await probe.nextPong();
      }
      for (let i = 0; i < 3; i++) first.send(thinking());
      // The pong comes after the server read the three events on that stream.
      first.ping(10);
      await first.nextPong();
      second.send(thinking());
      const throttle = await second.nextSignal('throttle');
      expect(Number(throttle.metadata.retry_after_ms)).toBeGreaterThan(0);
      otherKey.send(thinking());
      otherKey.ping(99);
      expect((await otherKey.nextPong()).timestampMs).toBe(99);
      expect(otherKey.received.some((payload) => payload.$case === 'signal')).toBe(false);
    } finally {
      for (const probe of [first, second, otherKey]) probe.call.end();
      client.close();
    }
  });
});
