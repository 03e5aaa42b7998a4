import type { ContextBundle, ContextItem } from '../../src/protocol/context-bundle.js';
import type { MemoryType } from '../../src/protocol/memory-types.js';

let counter = 0;

/** A memory item of the given type; relevance decides the order within a budget. */
export function item(
  content: string,
  contextType: MemoryType = 'facts',
  relevance = 0.5,
): ContextItem {
  counter++;
  return {
    itemId: `m-${counter}`,
    content,
    contextType,
    source: 'memories',
    similarityScore: relevance,
    relevanceScore: relevance,
    confidence: 0.9,
    scope: 'user',
    entityId: '',
    createdAt: '2026-01-01T00:00:00.000Z',
    temporalCategory: 'perpetual',
    temporalConfidence: 0.9,
  };
}

/** A bundle holding `items`, grouped by their type. */
export function bundleOf(
  items: ContextItem[],
  overrides: Partial<ContextBundle> = {},
): ContextBundle {
  counter++;
  const itemsByType: ContextBundle['itemsByType'] = {};
  for (const entry of items) {
    const list = itemsByType[entry.contextType] ?? [];
    list.push(entry);
    itemsByType[entry.contextType] = list;
  }
  return {
    bundleId: `b-${counter}`,
    decisionId: `d-${counter}`,
    itemsByType,
    totalTokens: 0,
    tokenBudget: 1000,
    budgetExceeded: false,
    retrievalMode: 'fast',
    sourcesQueried: [],
    degradationLevel: 'none',
    warnings: [],
    createdAt: '2026-01-01T00:00:00.000Z',
    retrievalTimeMs: 1,
    cacheHit: false,
    searchQueries: [],
    anticipationUserId: 'alice',
    anticipationCustomerId: '',
    anticipationConversationId: '',
    searchKeywords: [],
    bundleType: 'anticipation',
    bundleConfidence: 0.9,
    ttlHintSeconds: 0,
    ...overrides,
  };
}
