import { describe, expect, it } from 'vitest';
import { hopNeighbours } from '../../src/engine/turn-neighbours.js';
import type { SourceTurn } from '../../src/store/records.js';
import { scoredCandidate as candidate } from '../support/candidates.js';

const turns = (entries: [string, string, number][]) =>
  new Map<string, SourceTurn>(
    entries.map(([id, conversationId, seq]) => [id, { conversationId, seq }]),
  );

describe('hopNeighbours', () => {
  it('pulls in what was said right before and after the best item, below it', () => {
    const ranked = hopNeighbours(
      [
        candidate('Parking at the clinic is free on weekends', 0.8),
        candidate('Prefers window seats', 0.3),
        candidate('I moved my physio to the Eastside clinic', 0.05),
        candidate('The Eastside physio takes my insurance', 0.02),
        candidate('Hates early meetings', 0.01),
      ],
      turns([
        ['I moved my physio to the Eastside clinic', 'c1', 10],
        ['Parking at the clinic is free on weekends', 'c1', 12],
        ['The Eastside physio takes my insurance', 'c1', 14],
        ['Hates early meetings', 'c1', 20],
        ['Prefers window seats', 'c2', 13],
      ]),
    );
    expect(ranked.map((entry) => [entry.item.content, Number(entry.score.toFixed(2))])).toEqual([
      ['Parking at the clinic is free on weekends', 0.8],
      ['I moved my physio to the Eastside clinic', 0.64],
      ['The Eastside physio takes my insurance', 0.64],
      ['Prefers window seats', 0.3],
      // Two statements away, and another conversation's neighbour by number only.
      ['Hates early meetings', 0.01],
    ]);
  });

  it("pulls in the other statements of the best item's own turn, above its neighbours", () => {
    const ranked = hopNeighbours(
      [
        candidate("Heads up, the supplier's ops team got reshuffled", 0.8),
        candidate('Prefers window seats', 0.3),
        candidate("It's Marcus we deal with now for anything vendor related", 0.05),
        candidate('Had lunch with the team', 0.02),
      ],
      turns([
        ["Heads up, the supplier's ops team got reshuffled", 'c1', 7],
        // The same message: one turn said both.
        ["It's Marcus we deal with now for anything vendor related", 'c1', 7],
        ['Had lunch with the team', 'c1', 8],
        ['Prefers window seats', 'c2', 7],
      ]),
    );
    expect(ranked.map((entry) => [entry.item.content, Number(entry.score.toFixed(2))])).toEqual([
      ["Heads up, the supplier's ops team got reshuffled", 0.8],
      ["It's Marcus we deal with now for anything vendor related", 0.68],
      ['Had lunch with the team', 0.64],
      ['Prefers window seats', 0.3],
    ]);
  });

  it('follows nothing from a weak item, nor without recorded sources', () => {
    const input = [
      candidate('Loves jazz', 0.9),
      candidate('Vague match', 0.2),
      candidate('Said after the vague match', 0.01),
    ];
    const weakSeed = hopNeighbours(
      input,
      turns([
        ['Vague match', 'c1', 1],
        ['Said after the vague match', 'c1', 2],
      ]),
    );
    expect(weakSeed).toEqual(input);
    expect(hopNeighbours(input, new Map())).toEqual(input);
    // The best of a vague turn, but below the bar: its neighbours would be more noise.
    const vague = [candidate('Closest to a vague turn', 0.05), candidate('Said after it', 0.01)];
    const vagueTurns = turns([
      ['Closest to a vague turn', 'c1', 1],
      ['Said after it', 'c1', 2],
    ]);
    expect(hopNeighbours(vague, vagueTurns)).toEqual(vague);
  });
});
