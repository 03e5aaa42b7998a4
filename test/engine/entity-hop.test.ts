import { describe, expect, it } from 'vitest';
import { entityNames, hopEntities } from '../../src/engine/entity-hop.js';
import { SemanticSimilarity } from '../../src/engine/index.js';
import { scoredCandidate as candidate } from '../support/candidates.js';

describe('entityNames', () => {
  it('finds names after the first word, and after titles, but no pronouns, days or months', () => {
    expect(entityNames('My tax advisor is Dr Amara Nwosu')).toEqual(['Amara', 'Nwosu']);
    expect(entityNames('I meet Jonas on Friday in March')).toEqual(['Jonas']);
    expect(entityNames('user: we moved to Leeds. I like it')).toEqual(['Leeds']);
  });
});

describe('entityNames after abbreviated titles', () => {
  it('reads "Prof. Gutierrez" and "Mr. Okafor" as names, not as sentence starts', () => {
    expect(entityNames('My advisor is Prof. Gutierrez, he is great')).toEqual(['Gutierrez']);
    expect(entityNames('Our landlord is Mr. Okafor. He wants it in writing.')).toEqual(['Okafor']);
  });
});

describe('hopEntities', () => {
  it("pulls in what the best item's entity is known for, below its seed", () => {
    const ranked = hopEntities(
      [
        candidate('My climbing coach is Tomasz', 0.8),
        candidate('Prefers morning sessions', 0.3),
        candidate('Tomasz only answers on WhatsApp', 0.1),
      ],
      { eventWords: new Set(['climbing', 'coach']) },
    );
    expect(ranked.map((entry) => entry.item.content)).toEqual([
      'My climbing coach is Tomasz',
      'Tomasz only answers on WhatsApp',
      'Prefers morning sessions',
    ]);
    expect(ranked[1]?.score).toBeCloseTo(0.72);
  });

  it('leaves the ranking alone when the event already names the entity, or no item names one', () => {
    const input = [candidate('Works with Priya', 0.8), candidate('Priya is vegan', 0.1)];
    expect(hopEntities(input, { eventWords: new Set(['priya']) })).toEqual(input);
    const plain = [candidate('likes tea', 0.5), candidate('hates coffee', 0.2)];
    expect(hopEntities(plain, { eventWords: new Set() })).toEqual(plain);
  });

  it('follows an identifier in any case: a service, a ticket, a repository', () => {
    const english = new Set(['follow-up', 'long-term']);
    const knownWord = (word: string) => english.has(word);
    expect(
      entityNames(
        'The service people mean is billing-core, see NW-5521 for the follow-up',
        knownWord,
      ),
    ).toEqual(['billing-core', 'NW-5521']);
    expect(entityNames('A long-term plan', knownWord)).toEqual([]);
    const ranked = hopEntities(
      [
        candidate("The thing we call 'the old API' is billing-core", 0.7),
        candidate('Prefers short answers', 0.3),
        candidate('Billing-core only deploys on Tuesdays', 0.05),
      ],
      { eventWords: new Set(['deploy', 'old', 'api']), knownWord },
    );
    expect(ranked[1]?.item.content).toBe('Billing-core only deploys on Tuesdays');
    expect(ranked[1]?.score).toBeCloseTo(0.63);
  });

  it('follows no name that many candidates share: a home town ties nothing together', () => {
    const ranked = hopEntities(
      [
        candidate('Flight to Chicago on Monday', 0.8),
        candidate('Omar lives in Chicago', 0.2),
        candidate('Priya grew up in Chicago', 0.2),
        candidate('Chicago deep dish is overrated', 0.1),
      ],
      { eventWords: new Set(['vet']) },
    );
    expect(ranked.map((entry) => entry.score)).toEqual([0.8, 0.2, 0.2, 0.1]);
  });

  it('counts the memories of one turn as one mention of a name', () => {
    const said = [
      candidate('My uncle Bram is visiting in June', 0.8),
      candidate('My uncle is Bram', 0.5),
      candidate('Bram grew up in Ghent', 0.2),
      candidate('Bram only eats halal', 0.1),
    ];
    // Four candidates name Bram: too many to follow, as separate mentions.
    expect(hopEntities(said, { eventWords: new Set(['uncle']) })[3]?.score).toBe(0.1);
    // The first two were said in one turn: three mentions, and the hop follows him.
    const turn = { conversationId: 'c1', seq: 4 };
    const turns = new Map([
      [said[0]?.item.itemId ?? '', turn],
      [said[1]?.item.itemId ?? '', turn],
    ]);
    const ranked = hopEntities(said, { eventWords: new Set(['uncle']), turns });
    expect(
      ranked.find((entry) => entry.item.content === 'Bram only eats halal')?.score,
    ).toBeCloseTo(0.72);
  });

  it('follows a name written in lower case after a relation, given word ranks', () => {
    const semantic = new SemanticSimilarity();
    const said = [
      candidate('my business partner odile handles the books', 0.8),
      candidate('Prefers morning calls', 0.3),
      candidate("odile's in Montreal, nothing before 9 her time", 0.1),
    ];
    const without = hopEntities(said, { eventWords: new Set(['partner']) });
    expect(without[2]?.score).toBe(0.1);
    const ranked = hopEntities(said, {
      eventWords: new Set(['partner']),
      wordRank: (word) => semantic.rank(word),
    });
    expect(ranked[1]?.item.content).toBe("odile's in Montreal, nothing before 9 her time");
  });
});
