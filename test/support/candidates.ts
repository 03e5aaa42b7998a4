import type { Candidate } from '../../src/engine/candidate-ranking.js';

/** A ranked memory item as the hops see it: its content is its id, scored `score`. */
export function scoredCandidate(content: string, score: number): Candidate {
  return {
    item: {
      itemId: content,
      content,
      contextType: 'facts',
      source: 'memories',
      similarityScore: score,
      relevanceScore: score,
      confidence: 0.9,
      scope: 'user',
      entityId: '',
      createdAt: '2026-01-01T00:00:00.000Z',
      temporalCategory: 'perpetual',
      temporalConfidence: 0.9,
    },
    score,
    tokens: 10,
    subjectKey: '',
    sourceIds: [],
  };
}
