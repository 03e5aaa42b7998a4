import { randomUUID } from 'node:crypto';
import { MockEmbeddingModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ForesightClient } from '../../src/index.js';
import { call, listeningClient, startTestServer, type TestServer } from '../support/test-server.js';

// The embedding provider is outside the project: mocked with the AI SDK's own test
// model. Texts become vectors over a few concepts, so "view" is near "window".
const CONCEPTS = [
  ['window', 'view', 'scenery', 'outside'],
  ['aisle', 'legroom'],
];
const embeddingModel = new MockEmbeddingModelV4({
  doEmbed: async ({ values }) => ({
    embeddings: values.map((text) => {
      const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
      return [...CONCEPTS.map((group) => words.filter((w) => group.includes(w)).length), 0.1];
    }),
    warnings: [],
  }),
});

describe('hybrid retrieval through the server', () => {
  let t: TestServer;
  let client: ForesightClient;

  beforeAll(async () => {
    t = await startTestServer('pglite', { embeddings: { model: embeddingModel } });
    client = await listeningClient(t);
  });
  afterAll(async () => {
    await client?.close();
    await t?.close();
  });

  it('embeds extracted memories in the background and serves them by meaning', async () => {
    const recorded = await call(t.server.restUrl, 'POST', '/v1/conversations/messages', {
      key: t.tenant.key,
      body: {
        conversation_id: randomUUID(),
        user_id: 'noor',
        role: 'user',
        content: 'I always want a window seat when I fly.',
      },
    });
    expect(recorded.status).toBe(200);
    // Extraction, then the indexer: both in the background.
    await vi.waitFor(
      async () => {
        const memories = await t.server.store.listMemories(t.tenant.clientId, { userId: 'noor' });
        const waiting = await t.server.store.memoriesToEmbed(10);
        if (memories.length === 0 || waiting.length > 0)
          throw new Error('memories were not extracted and embedded');
      },
      { timeout: 15_000, interval: 50 },
    );
    const conversationId = randomUUID();
    const eventId = await client.instance.sendMessage({
      eventType: 'user_message',
      conversationId,
      userId: 'noor',
      content: 'Somewhere with a nice view, please',
    });
    const result = await client.context.waitFor({
      conversationId,
      afterEvent: eventId,
      timeoutMs: 5000,
    });
    expect(result.status).toBe('ready');
    if (result.status !== 'ready') return;
    const contents = Object.values(result.bundle.itemsByType)
      .flat()
      .map((item) => item?.content ?? '');
    expect(contents.some((content) => /window seat/i.test(content))).toBe(true);
    expect(result.bundle.warnings).toEqual([]);
  });
});
