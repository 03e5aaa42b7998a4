import { MockEmbeddingModelV4 } from 'ai/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AnticipationEvent } from '../../src/engine/anticipator.js';
import { EmbeddingIndexer } from '../../src/engine/embedding-indexer.js';
import { MemoryAnticipator } from '../../src/engine/memory-anticipator.js';
import type { ContextBundle } from '../../src/protocol/context-bundle.js';
import type { Store } from '../../src/store/store.js';
import { memory, openTestStore } from '../server/events/fixtures.js';

// A stand-in for an embedding provider (mocked with the AI SDK's own test model):
// each text becomes a vector over a few concepts, so texts that share no word can
// still be near. "view" and "window" are one concept; a real model learns that.
const CONCEPTS: string[][] = [
  ['window', 'view', 'outside', 'scenery', 'look'],
  ['aisle', 'legroom', 'stretch'],
  ['peanut', 'peanuts', 'allergic', 'allergy', 'nuts'],
  ['budget', 'cheap', 'price', 'money'],
];

function embed(text: string): number[] {
  const words = text.toLowerCase().match(/[a-z]+/g) ?? [];
  // The last dimension keeps every vector non-zero, so cosine is always defined.
  return [...CONCEPTS.map((concept) => words.filter((word) => concept.includes(word)).length), 0.1];
}

function embeddingModel(options: { failing?: boolean } = {}) {
  return new MockEmbeddingModelV4({
    doEmbed: async ({ values }) => {
      if (options.failing) throw new Error('provider down');
      return { embeddings: values.map(embed), warnings: [] };
    },
  });
}

let store: Store;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ store, close } = await openTestStore());
  await store.upsertClient({ id: 'acme', name: 'acme', mode: 'b2c' });
  await store.insertMemories('acme', [
    memory({ userId: 'lea', memoryType: 'preferences', content: 'Wants a window seat' }),
    memory({ userId: 'lea', content: 'Allergic to peanuts' }),
    memory({ userId: 'kai', memoryType: 'preferences', content: 'Wants a window seat too' }),
  ]);
});

afterAll(async () => {
  await close();
});

function userTurn(content: string, userId = 'lea'): AnticipationEvent {
  return {
    eventId: 'evt',
    eventType: 'user_message',
    conversationId: '',
    userId,
    customerId: '',
    role: 'user',
    content,
    toolName: '',
    toolArgs: null,
    searchQueries: [],
    contextTypes: [],
  };
}

const contents = (bundle: ContextBundle) =>
  Object.values(bundle.itemsByType)
    .flat()
    .map((item) => item?.content);

describe('hybrid retrieval', () => {
  it('indexes every current memory once, then has nothing left to do', async () => {
    expect(store.vectors).toBe(true);
    const indexer = new EmbeddingIndexer({ store, model: embeddingModel() });
    expect(await indexer.runOnce()).toBe(3);
    expect(await indexer.runOnce()).toBe(0);
  });

  it('finds a memory by meaning where no word matches, and only the user’s own', async () => {
    const turn = userTurn('I would love some nice scenery on the way');
    const lexical = await new MemoryAnticipator({ store }).anticipate('acme', turn);
    expect(lexical.warnings).toEqual([]);
    expect(contents(lexical)).not.toContain('Wants a window seat');
    const hybrid = await new MemoryAnticipator({
      store,
      embeddings: { model: embeddingModel() },
    }).anticipate('acme', turn);
    expect(contents(hybrid)).toContain('Wants a window seat');
    expect(contents(hybrid)).not.toContain('Wants a window seat too');
    expect(hybrid.warnings).toEqual([]);
  });

  it('goes on lexical only, and says so, when the embedding model fails', async () => {
    const bundle = await new MemoryAnticipator({
      store,
      embeddings: { model: embeddingModel({ failing: true }) },
    }).anticipate('acme', userTurn('Any snacks with peanuts on board?'));
    expect(contents(bundle)).toContain('Allergic to peanuts');
    expect(bundle.warnings).toEqual(['embeddings unavailable']);
    expect(bundle.degradationLevel).toBe('partial');
  });

  it('bounds the wait for a slow embedding model', async () => {
    const slow = new MockEmbeddingModelV4({
      doEmbed: ({ abortSignal }) =>
        new Promise((_, reject) =>
          abortSignal?.addEventListener('abort', () => reject(abortSignal.reason)),
        ),
    });
    // The model never answers: were the wait unbounded, anticipate() would never resolve.
    const bundle = await new MemoryAnticipator({
      store,
      embeddings: { model: slow, timeoutMs: 30 },
    }).anticipate('acme', userTurn('peanuts again'));
    expect(bundle.warnings).toEqual(['embeddings unavailable']);
    expect(contents(bundle)).toContain('Allergic to peanuts');
  });
});
