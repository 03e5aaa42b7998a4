import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ForesightClient } from '../../src/index.js';
import type { ContextBundle } from '../../src/protocol/context-bundle.js';
import { memory } from '../support/memories.js';
import {
  BACKENDS,
  listeningClient,
  startTestServer,
  type TestServer,
} from '../support/test-server.js';
import { ListenProbe, synapClient } from './grpc/listen-probe.js';

const grpcPort = (t: TestServer) => Number(t.server.grpcTarget.split(':').at(-1));

// The learning loop end to end: a client reports on its stream which items of a bundle
// it used (`context_used`); the next bundle for the same tool ranks those items higher.
describe.each(BACKENDS)('context_used through the server on %s', (backend) => {
  let t: TestServer;
  let client: ForesightClient;

  beforeAll(async () => {
    t = await startTestServer(backend);
    client = await listeningClient(t);
    await t.server.store.insertMemories(t.tenant.clientId, [
      memory({ userId: 'ines', content: 'Prefers hotels with a pool' }),
      memory({ userId: 'ines', content: 'Hotel loyalty number is HL-5521' }),
      memory({ userId: 'ines', content: 'Travels with a small dog' }),
      memory({ userId: 'other', content: 'Hotel loyalty number is HL-0001' }),
      memory({ userId: 'noa', content: 'Prefers hotels near the beach' }),
    ]);
  });
  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  async function bookHotel(userId = 'ines'): Promise<ContextBundle> {
    const conversationId = randomUUID();
    const eventId = await client.instance.sendMessage({
      eventType: 'tool_call',
      conversationId,
      userId,
      toolName: 'book_hotel',
      toolArgs: { city: 'Porto' },
    });
    const result = await client.context.waitFor({
      conversationId,
      afterEvent: eventId,
      timeoutMs: 5000,
    });
    if (result.status !== 'ready') throw new Error(`no bundle: ${result.status}`);
    return result.bundle;
  }
  const scoreOf = (bundle: ContextBundle, content: string) =>
    Object.values(bundle.itemsByType)
      .flat()
      .find((item) => item?.content === content)?.relevanceScore ?? 0;

  it('ranks what the agent used for a tool higher the next time, what it passed over lower, for that user only', async () => {
    const first = await bookHotel();
    const served = Object.values(first.itemsByType)
      .flat()
      .sort((a, b) => (a?.relevanceScore ?? 0) - (b?.relevanceScore ?? 0));
    // The weakest item served: the agent used it all the same.
    const used = served[0];
    expect(served.length).toBeGreaterThan(1);
    if (!used) return;
    expect(
      client.instance.reportContextUsed({
        bundleId: first.bundleId,
        userId: 'ines',
        itemIds: [used.itemId],
      }),
    ).toBe(true);
    const passedOver = served.at(-1);
    await vi.waitFor(
      async () => {
        const next = await bookHotel();
        expect(scoreOf(next, used.content)).toBeGreaterThan(used.relevanceScore);
        // Served, not used: it counts less for this tool (if it is still served at all).
        expect(scoreOf(next, passedOver?.content ?? '')).toBeLessThan(
          passedOver?.relevanceScore ?? 0,
        );
      },
      { timeout: 5000, interval: 50 },
    );
    // Another user's report cannot reach ines's learning: the bundle is not theirs.
    expect(
      await t.server.store.recordItemUsage(t.tenant.clientId, {
        bundleId: first.bundleId,
        userId: 'other',
        customerId: '',
        itemIds: [used.itemId],
      }),
    ).toBe(0);
    // Nor can a report count an item the bundle did not carry.
    expect(
      await t.server.store.recordItemUsage(t.tenant.clientId, {
        bundleId: first.bundleId,
        userId: 'ines',
        customerId: '',
        itemIds: ['not-in-the-bundle'],
      }),
    ).toBe(0);
    // Learned for ines and the tool the bundle answered, nothing for anyone else.
    const learned = await t.server.store.listItemUsage(t.tenant.clientId, {
      userId: 'ines',
      customerId: '',
    });
    // Every item of the bundle was served once for book_hotel; the reported one was used.
    expect(learned).toHaveLength(served.length);
    for (const row of learned) {
      expect(row).toMatchObject({ toolName: 'book_hotel', serves: 1 });
      expect(row.uses).toBe(row.itemId === used.itemId ? 1 : 0);
    }
    expect(
      await t.server.store.listItemUsage(t.tenant.clientId, { userId: 'other', customerId: '' }),
    ).toEqual([]);
  });

  it("counts a Synap client's report: a merged bundle id with its sources, empty ids", async () => {
    const first = await bookHotel('noa');
    const item = Object.values(first.itemsByType).flat()[0];
    expect(item).toBeDefined();
    const probe = new ListenProbe(synapClient(grpcPort(t)), t.tenant.key);
    try {
      probe.send({
        $case: 'contextUsed',
        value: {
          bundleId: 'anticipation_merged_3',
          conversationId: '',
          userId: '',
          customerId: '',
          servedItemIds: [item?.itemId ?? ''],
          timestampMs: Date.now(),
          scope: 'user',
          sourceBundleIds: [first.bundleId],
        },
      });
      await vi.waitFor(
        async () => {
          const learned = await t.server.store.listItemUsage(t.tenant.clientId, {
            userId: 'noa',
            customerId: '',
          });
          expect(learned.find((row) => row.itemId === item?.itemId)?.uses).toBe(1);
        },
        { timeout: 5000, interval: 50 },
      );
      // No error signal: a report is never refused on the stream.
      expect(probe.received.filter((payload) => payload.$case === 'signal')).toEqual([]);
    } finally {
      probe.call.end();
    }
  });

  it('refuses a report without a bundle id, naming the field, before sending anything', () => {
    expect(() =>
      client.instance.reportContextUsed({ bundleId: '', userId: 'ines', itemIds: ['x'] }),
    ).toThrow(/bundleId/);
  });
});
