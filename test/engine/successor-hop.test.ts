import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../src/engine/candidate-ranking.js';
import { SemanticSimilarity } from '../../src/engine/index.js';
import { followSuccessors } from '../../src/engine/successor-hop.js';
import { scoredCandidate } from '../support/candidates.js';

const semantic = new SemanticSimilarity();

/** A memory said on `day` (of January 2026), scored `score`. */
function said(content: string, score: number, day: number): Candidate {
  const candidate = scoredCandidate(content, score);
  const createdAt = `2026-01-${String(day).padStart(2, '0')}T10:00:00.000Z`;
  return { ...candidate, item: { ...candidate.item, createdAt } };
}

const scores = (ranked: readonly Candidate[]) =>
  ranked.map((entry) => [entry.item.content, Number(entry.score.toFixed(2))]);

describe('followSuccessors', () => {
  it('puts the later statement of a changed amount in the place of the one it replaced', () => {
    const ranked = followSuccessors(
      [
        said('Rent is $1,450 a month, due on the 1st', 0.6, 2),
        said('Prefers window seats', 0.3, 3),
        said("We're paying $1,700 starting this month", 0.1, 20),
      ],
      { semantic },
    );
    expect(scores(ranked)).toEqual([
      ["We're paying $1,700 starting this month", 0.57],
      ['Prefers window seats', 0.3],
      ['Rent is $1,450 a month, due on the 1st', 0.12],
    ]);
  });

  it('follows an address, a size, an email or a phone number whatever words the change uses', () => {
    const ranked = followSuccessors(
      [
        said('My delivery address is 22 Birch Lane, Apt 4', 0.8, 2),
        said('Everything comes to 5 Heron Court, Salem from here on', 0.05, 25),
      ],
      { semantic },
    );
    expect(ranked[0]?.item.content).toBe('Everything comes to 5 Heron Court, Salem from here on');
  });

  it('follows a named provider only to a statement about the same thing', () => {
    const pharmacy = followSuccessors(
      [
        said('My pharmacy is the Rite Aid on Elm, they know me there', 0.8, 2),
        said('I pick up my prescriptions at the Walgreens by work these days', 0.05, 25),
      ],
      { semantic },
    );
    expect(pharmacy[0]?.item.content).toBe(
      'I pick up my prescriptions at the Walgreens by work these days',
    );
    // A change of something else that also names a place stays where it ranked.
    const other = [
      said('My pharmacy is the Rite Aid on Elm, they know me there', 0.8, 2),
      said('Switched my phone plan to Mint Mobile', 0.05, 25),
    ];
    expect(scores(followSuccessors(other, { semantic }))).toEqual(scores(other));
  });

  it('takes a change found for the same event among the best for a successor, by kind alone', () => {
    const ranked = followSuccessors(
      [
        said('Our vet is Dr. Hale at Pawsitive Care', 0.8, 2),
        said("Northside Animal Hospital has all of Pepper's records now", 0.7, 20),
        said('Prefers window seats', 0.3, 3),
      ],
      { semantic },
    );
    expect(scores(ranked)).toEqual([
      ["Northside Animal Hospital has all of Pepper's records now", 0.76],
      ['Prefers window seats', 0.3],
      ['Our vet is Dr. Hale at Pawsitive Care', 0.16],
    ]);
  });

  it('lets a best item that says something changed push down the older one near the top', () => {
    const ranked = followSuccessors(
      [
        said("Northside Animal Hospital has all of Pepper's records now", 0.8, 20),
        said("She's due for her rabies shot soon", 0.75, 20),
        said('Our vet is Dr. Hale at Pawsitive Care', 0.7, 2),
        said('Prefers window seats', 0.3, 3),
      ],
      { semantic },
    );
    expect(scores(ranked)).toEqual([
      ["Northside Animal Hospital has all of Pepper's records now", 0.8],
      ["She's due for her rabies shot soon", 0.75],
      ['Prefers window seats', 0.3],
      ['Our vet is Dr. Hale at Pawsitive Care', 0.14],
    ]);
  });

  it('follows nothing without a change cue, backwards in time, or from a weak item', () => {
    const noCue = [
      said('Furnace filter is 16x25x1', 0.8, 2),
      said('The installer says it takes 20x25x4 ones', 0.05, 25),
    ];
    expect(scores(followSuccessors(noCue, { semantic }))).toEqual(scores(noCue));
    const older = [
      said('Delivery address is 9 Oak Street', 0.8, 20),
      said('From now on ship to 4 Elm Road', 0.05, 2),
    ];
    expect(scores(followSuccessors(older, { semantic }))).toEqual(scores(older));
    const weak = [
      said('Loves jazz', 0.9, 2),
      said('Rent is $1,450 a month', 0.15, 2),
      said("We're paying $1,700 starting this month", 0.05, 20),
    ];
    expect(scores(followSuccessors(weak, { semantic }))).toEqual(scores(weak));
    // "for now" names no new state.
    const meanwhile = [
      said('Rent is $1,450 a month', 0.8, 2),
      said('Paying $200 less for now while the heating is fixed', 0.05, 20),
    ];
    expect(scores(followSuccessors(meanwhile, { semantic }))).toEqual(scores(meanwhile));
  });

  it('reads a three-sided size and "my new …" as a change', () => {
    const ranked = followSuccessors(
      [
        said('The window blind is 36x48x2', 0.8, 2),
        said('Prefers cotton sheets', 0.3, 3),
        said('My new blinds came in, the frame takes 40 x 60 x 3 now', 0.05, 20),
      ],
      { semantic },
    );
    expect(ranked[0]?.item.content).toBe('My new blinds came in, the frame takes 40 x 60 x 3 now');
  });

  it('replaces a statement with no value of a kind by one that says it switched and means the same', () => {
    const ranked = followSuccessors(
      [
        said('I play the violin in the community orchestra', 0.8, 2),
        said('I switched to the cello last spring', 0.05, 20),
      ],
      { semantic },
    );
    expect(ranked[0]?.item.content).toBe('I switched to the cello last spring');
    // Something that changed is no switch of the speaker's, and a switch about something
    // else leaves the statement where it ranked.
    for (const later of ['The orchestra changed its rehearsal room', 'I switched to oat milk']) {
      const kept = [
        said('I play the violin in the community orchestra', 0.8, 2),
        said(later, 0.05, 20),
      ];
      expect(scores(followSuccessors(kept, { semantic }))).toEqual(scores(kept));
    }
  });

  it('replaces where the user lives by a move, whatever else the two statements say', () => {
    const ranked = followSuccessors(
      [
        said('Prefers short calls', 0.6, 20),
        said("I'm in Denver, so mountain time for my calls", 0.3, 2),
        said('Big news: we relocated to Porto last month', 0.05, 20),
      ],
      { semantic },
    );
    expect(scores(ranked)).toEqual([
      ['Prefers short calls', 0.6],
      ['Big news: we relocated to Porto last month', 0.28],
      ["I'm in Denver, so mountain time for my calls", 0.06],
    ]);
  });

  it('orders memories extracted at one time by the turns they were said in', () => {
    const earlier = said('Rent is $1,450 a month', 0.8, 5);
    const later = said("We're paying $1,700 starting this month", 0.05, 5);
    const turns = new Map([
      [earlier.item.itemId, { conversationId: 'c1', seq: 10 }],
      [later.item.itemId, { conversationId: 'c2', seq: 42 }],
    ]);
    expect(followSuccessors([earlier, later], { semantic, turns })[0]?.item.content).toBe(
      "We're paying $1,700 starting this month",
    );
    // Without the turns, one creation time says nothing of which came first.
    expect(followSuccessors([earlier, later], { semantic })[0]?.item.content).toBe(
      'Rent is $1,450 a month',
    );
  });

  it('follows a member number replaced in a turn that says something is new', () => {
    const turn = { conversationId: 'c9', seq: 30 };
    const card = said('the card says regence, member id QRX55120', 0.05, 20);
    const ranked = followSuccessors(
      [said('my dental plan is delta, member id D77123', 0.8, 2), card],
      { semantic, turns: new Map([[card.item.itemId, turn]]) },
    );
    // Nothing in it or its turn says something changed: no successor yet.
    expect(ranked[0]?.item.content).toBe('my dental plan is delta, member id D77123');
    const cued = said('got my new card: regence, member id QRX55120', 0.05, 20);
    expect(
      followSuccessors([said('my dental plan is delta, member id D77123', 0.8, 2), cued], {
        semantic,
      })[0]?.item.content,
    ).toBe('got my new card: regence, member id QRX55120');
  });

  it('reads moving something to something else as a switch', () => {
    const ranked = followSuccessors(
      [
        said('the docs site is built with jekyll', 0.8, 2),
        said('spent the weekend moving the docs site to astro', 0.05, 20),
      ],
      { semantic },
    );
    expect(ranked[0]?.item.content).toBe('spent the weekend moving the docs site to astro');
  });
});
