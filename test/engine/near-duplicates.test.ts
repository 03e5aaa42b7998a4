import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/engine/candidate-ranking.js';
import { spreadRepeats } from '../../src/engine/near-duplicates.js';
import { scoredCandidate as candidate } from '../support/candidates.js';

const scores = (ranked: readonly Candidate[]) =>
  ranked.map((entry) => [entry.item.content, Number(entry.score.toFixed(2))]);

describe('spreadRepeats', () => {
  it('moves what repeats an item above it, word for word, below what adds something', () => {
    const ranked = spreadRepeats([
      candidate('Dentist appointment on Sunday at 13:00', 0.8),
      candidate('Dentist appointment on Thursday at 16:00', 0.78),
      candidate('Dentist appointment on Friday at 13:00', 0.76),
      candidate('Aria started at Westbrook Academy after the move', 0.6),
    ]);
    expect(scores(ranked)).toEqual([
      ['Dentist appointment on Sunday at 13:00', 0.8],
      ['Aria started at Westbrook Academy after the move', 0.6],
      // Each has two of its words in four (dentist, appointment) in common with the first:
      // it loses half its score times that share, a quarter.
      ['Dentist appointment on Thursday at 16:00', 0.58],
      ['Dentist appointment on Friday at 13:00', 0.57],
    ]);
  });

  it('leaves items that share no words as they were', () => {
    const input = [
      candidate('Prefers aisle seats', 0.9),
      candidate('Allergic to peanuts', 0.5),
      candidate('Works at Acme', 0.2),
    ];
    expect(spreadRepeats(input)).toEqual(input);
    expect(spreadRepeats([])).toEqual([]);
  });
});
