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
});
