import { describe, expect, it } from 'vitest';
import { words } from '../../../src/engine/query-planner.js';
import { withoutContractions } from '../../../src/engine/semantic/contractions.js';
import { semanticWords } from '../../../src/engine/semantic/semantic-similarity.js';

describe('withoutContractions', () => {
  it('spells out negations, modal ones included', () => {
    expect(withoutContractions("don't, didn't, isn't")).toBe('do not, did not, is not');
    expect(withoutContractions("can't won't shan't")).toBe('can not will not shall not');
    expect(withoutContractions('I DON’T know')).toBe('I DO not know');
  });

  it("drops a pronoun's contracted verb", () => {
    expect(withoutContractions("I've, we're, they'll, I'd, I'm")).toBe('I, we, they, I, I');
  });

  it('leaves possessives and quotes alone', () => {
    expect(withoutContractions("Pepper's vet, the 'legacy' service")).toBe(
      "Pepper's vet, the 'legacy' service",
    );
  });

  it('leaves no fragment that matches as a word', () => {
    const text = "I've been told they won't refund, so we didn't pay and I'll wait";
    for (const fragment of ['ve', 'won', 'didn', 'll', 'don']) {
      expect(semanticWords(text)).not.toContain(fragment);
      expect(words(text)).not.toContain(fragment);
    }
    expect(semanticWords(text)).toEqual(['told', 'refund', 'pay', 'wait']);
  });
});
