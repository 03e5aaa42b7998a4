import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/engine/candidate-ranking.js';
import { demoteOthers } from '../../src/engine/others.js';
import { scoredCandidate as candidate } from '../support/candidates.js';

const scores = (ranked: readonly Candidate[]) =>
  ranked.map((entry) => [entry.item.content, Number(entry.score.toFixed(2))]);

describe('demoteOthers', () => {
  const pool = [
    candidate('Rosa is allergic to peanuts and always carries medication', 0.6),
    candidate("Rosa's passport expires in March", 0.5),
    candidate('Allergic to feathers', 0.5),
    candidate('Prefers a quiet room', 0.4),
    candidate('Tomasz is our account manager', 0.3),
  ];

  it('lowers what is said of someone else the user often speaks of, when the event names them not', () => {
    expect(scores(demoteOthers(pool, new Set(['hotel', 'room'])))).toEqual([
      ['Rosa is allergic to peanuts and always carries medication', 0.36],
      ["Rosa's passport expires in March", 0.3],
      ['Allergic to feathers', 0.5],
      ['Prefers a quiet room', 0.4],
      // Named once only: nothing says it is someone other than what the event is about.
      ['Tomasz is our account manager', 0.3],
    ]);
  });

  it('leaves them when the event names them', () => {
    expect(demoteOthers(pool, new Set(['dinner', 'rosa']))).toEqual(pool);
  });
});
