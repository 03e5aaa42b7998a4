import { describe, expect, it } from 'vitest';
import { PoolRelevance, type PoolText } from '../../src/engine/pool-relevance.js';
import {
  SemanticSimilarity,
  semanticWords,
  stem,
} from '../../src/engine/semantic/semantic-similarity.js';

const semantic = new SemanticSimilarity();
const words = (text: PoolText) => semantic.textWords(text.text);

function rank(pool: string[], terms: string[], eventText = terms.join(' ')): string[] {
  const texts = pool.map((text, at) => ({ key: String(at), text }));
  const relevance = new PoolRelevance(
    texts,
    terms.flatMap((term) => semanticWords(term).map((word) => ({ word: stem(word), weight: 0.8 }))),
    semantic,
    semantic.textWords(eventText),
    words,
  );
  return texts
    .map((text, at) => ({ text: text.text, score: relevance.score(at) }))
    .sort((a, b) => b.score - a.score)
    .map((entry) => entry.text);
}

describe('PoolRelevance', () => {
  it('weighs a word by how rare it is among the candidates', () => {
    const ranked = rank(
      [
        'Train to Leeds on Friday',
        'Train strike planned in Leeds',
        'Train fares went up again',
        'Always wants the quiet coach on a train',
      ],
      ['train', 'quiet'],
    );
    expect(ranked[0]).toBe('Always wants the quiet coach on a train');
  });

  it('ranks a candidate that shares no word with the event by its meaning', () => {
    const ranked = rank(
      ['Quarterly invoice is overdue', 'Our dog panics in kennels', 'Car insurance renews soon'],
      ['pet sitter'],
    );
    expect(ranked[0]).toBe('Our dog panics in kennels');
  });

  it('scores a candidate with neither a shared word nor a related one 0', () => {
    const texts = [{ key: 'a', text: 'Quarterly invoice is overdue' }];
    const relevance = new PoolRelevance(texts, [], undefined, undefined, words);
    expect(relevance.score(0)).toBe(0);
  });

  it('counts the words of a bag once per text, by the best of them', () => {
    // A contract's expansion: what kind of thing it needs, not what it is about.
    const bag = ['approval', 'seats', 'hours', 'policy'].map((word) => ({
      word: stem(word),
      weight: 0.45,
      bag: true,
    }));
    const planned = [{ word: stem('invoice'), weight: 0.9 }];
    const texts = [
      { key: 'many', text: 'Wants aisle seats when flights take more than four hours' },
      { key: 'one', text: 'Every hire needs approval from finance' },
      { key: 'planned', text: 'Invoices go out on the first of the month' },
      { key: 'both', text: 'Invoices above the policy limit need approval' },
    ];
    const relevance = new PoolRelevance(texts, [...planned, ...bag], undefined, undefined, words);
    const score = (key: string) => relevance.score(texts.findIndex((text) => text.key === key));
    // Two bag words are worth no more than the better of them alone would be.
    const alone = new PoolRelevance(
      texts,
      [...planned, ...bag.filter((term) => term.word !== stem('hours'))],
      undefined,
      undefined,
      words,
    );
    expect(score('many')).toBeCloseTo(alone.score(0), 10);
    expect(score('many')).toBeLessThan(score('planned'));
    // A planned word and a bag word still add up.
    expect(score('both')).toBeGreaterThan(score('planned'));
    expect(score('both')).toBeGreaterThan(score('one'));
  });

  it('counts a word that a planned query also carries as planned, not as a bag word', () => {
    const texts = [
      { key: 'a', text: 'Needs approval for travel' },
      { key: 'b', text: 'Needs approval and a policy for travel' },
    ];
    const terms = [
      { word: stem('approval'), weight: 0.45, bag: true },
      { word: stem('policy'), weight: 0.45, bag: true },
      { word: stem('policy'), weight: 0.9 },
    ];
    const relevance = new PoolRelevance(texts, terms, undefined, undefined, words);
    expect(relevance.score(1)).toBeGreaterThan(relevance.score(0));
  });
});
