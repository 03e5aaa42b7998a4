import { describe, expect, it } from 'vitest';
import { meaningScore } from '../../../src/engine/semantic/meaning-score.js';
import {
  SemanticSimilarity,
  semanticWords,
  specificityOfRank,
  stem,
} from '../../../src/engine/semantic/semantic-similarity.js';
import { wordVectors } from '../../../src/engine/semantic/word-vectors.js';

describe('wordVectors', () => {
  it('loads the table and finds inflected words by their base form', () => {
    const vectors = wordVectors();
    expect(vectors.size).toBe(100_000);
    expect(vectors.dimensions).toBe(100);
    expect(vectors.vector('kennels')).toBeDefined();
    expect(vectors.vector('qzxv')).toBeUndefined();
    expect(vectors.rank('the')).toBeLessThan(vectors.rank('kennel'));
  });
});

describe('SemanticSimilarity', () => {
  const semantic = new SemanticSimilarity();
  const closest = (query: string, word: string) =>
    semantic.closeness(wordVectors().vector(word), semantic.textWords(query).vectors);

  it('finds a related word closer than an unrelated one, with no letter in common', () => {
    expect(closest('search_restaurants cuisine dinner', 'vegetarian')).toBeGreaterThan(
      closest('search_restaurants cuisine dinner', 'tyres'),
    );
    expect(closest('reserve pet_sitter dates', 'dog')).toBeGreaterThan(
      closest('reserve pet_sitter dates', 'invoice'),
    );
  });

  it('answers 0 for a word the table lacks, or a text without content words', () => {
    expect(semantic.closeness(undefined, semantic.textWords('dog').vectors)).toBe(0);
    expect(closest('ok thanks', 'dog')).toBe(0);
  });

  it("keeps a text's words under its key", () => {
    const first = semantic.textWords('Allergic to penicillin', 'memory-1');
    expect(semantic.textWords('another text entirely', 'memory-1')).toBe(first);
    expect(first.stems).toEqual(['allergic', 'penicillin']);
  });
});

describe('semanticWords and stem', () => {
  it('reads camelCase and snake_case names as words and drops generic ones', () => {
    expect(semanticWords('bookHotelRoom check_in_date please 401k')).toEqual([
      'hotel',
      'room',
      'date',
      '401k',
    ]);
  });

  it('folds plurals and inflections, but leaves short words and numbers alone', () => {
    expect(
      ['kennels', 'boxes', 'allergies', 'booked', 'running', 'bus', '1990s'].map(stem),
    ).toEqual(['kennel', 'box', 'allergy', 'book', 'runn', 'bus', '1990s']);
  });
});

describe('meaningScore', () => {
  it('says nothing below the noise floor and rises to 1 for clearly related words', () => {
    expect(meaningScore(0.2)).toBe(0);
    expect(meaningScore(Number.NaN)).toBe(0);
    expect(meaningScore(0.5)).toBeGreaterThan(0);
    expect(meaningScore(0.9)).toBe(1);
  });
});

describe('specificityOfRank', () => {
  it('rises on a log scale from the most common words to the rare ones', () => {
    const of = (word: string) => specificityOfRank(wordVectors().rank(word));
    expect(of('time')).toBeCloseTo(0.2, 5);
    expect(of('still')).toBeCloseTo(0.2, 5);
    expect(of('flight')).toBeGreaterThan(of('place'));
    expect(of('kennel')).toBe(1);
    // A word the table lacks is rarer than any it holds.
    expect(of('qzxv')).toBe(1);
  });

  it('marks names and numbers as specific, and common words as generic, per text', () => {
    const words = new SemanticSimilarity().textWords(
      'Lunch with Marta at the usual place, table 12',
    );
    const of = (stem: string) => words.specificity[words.stems.indexOf(stem)];
    expect(of('marta')).toBe(1);
    expect(of('12')).toBe(1);
    expect(of('place')).toBeLessThan(0.3);
  });
});

describe('SemanticSimilarity.meaning', () => {
  const semantic = new SemanticSimilarity();
  it('counts the closest word at its specificity and the weight the caller gives it', () => {
    const event = semantic.textWords('kennel time');
    const dog = wordVectors().vector('dog');
    const full = semantic.meaning(dog, event);
    expect(full).toBeGreaterThan(0);
    // Weighing "kennel" down lowers the meaning; weighing "time" up cannot replace it.
    expect(semantic.meaning(dog, event, [0.5, 1])).toBeCloseTo(full * 0.5, 5);
    expect(semantic.meaning(undefined, event)).toBe(0);
  });
});

describe('semanticWords and dates', () => {
  it('reads no ISO date or clock time as words', () => {
    expect(semanticWords('arrive 2026-03-14T15:00:00Z, leave at 07:10 on 2026-03-16')).toEqual([
      'arrive',
      'leave',
    ]);
    expect(semanticWords('401k match is 3200 a year')).toEqual(['401k', 'match', '3200', 'year']);
  });
});
