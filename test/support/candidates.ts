import type { Candidate } from '../../src/engine/candidate-ranking.js';
import { item } from '../tracker/bundle-fixture.js';

/** A ranked memory item as the hops see it: its content is its id, scored `score`. */
export function scoredCandidate(content: string, score: number): Candidate {
  return {
    item: { ...item(content, 'facts', score), itemId: content },
    score,
    tokens: 10,
    subjectKey: '',
    sourceIds: [],
  };
}
