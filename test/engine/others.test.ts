import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/engine/candidate-ranking.js';
import { SemanticSimilarity } from '../../src/engine/index.js';
import { demoteOthers, openingName } from '../../src/engine/others.js';
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

describe('openingName', () => {
  const semantic = new SemanticSimilarity();
  const knownWord = (word: string) => semantic.knows(word);

  it('reads a subject and its verb: an auxiliary, a possessive, a verb in -s', () => {
    expect(openingName('Marta is vegan', knownWord)).toBe('marta');
    expect(openingName("Marta's flat is in Porto", knownWord)).toBe('marta');
    expect(openingName('Marta only flies Iberia', knownWord)).toBe('marta');
    expect(openingName('Marta teaches piano on Sundays', knownWord)).toBe('marta');
  });

  it('reads no name in an opening verb, a noun, a date or a grammar word', () => {
    for (const text of [
      'Prefers trains over planes',
      'Hates loud restaurants',
      'Needs receipts for everything',
      'Felt anxious about the move',
      'Birthday dinner at Luigi',
      'Friday is the office day',
      'The plumber comes on Monday',
    ]) {
      expect(openingName(text, knownWord), text).toBeUndefined();
    }
  });
});
