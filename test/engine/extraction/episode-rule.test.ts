import { describe, expect, it } from 'vitest';
import { episodeRule } from '../../../src/engine/extraction/index.js';
import { extractFrom } from './user-turn.js';

describe('episodeRule', () => {
  it('reads a past trip with its participants', async () => {
    const [memory] = await extractFrom(
      'We went to Kyoto with my sister and Tom last spring.',
      episodeRule,
    );
    expect(memory).toMatchObject({
      memoryType: 'episodes',
      content: 'We went to Kyoto with my sister and Tom last spring',
      participants: ['my sister', 'Tom'],
      temporalCategory: 'episode',
    });
  });

  it('weighs life events above small outings', async () => {
    const [move] = await extractFrom('I moved to Berlin two years ago.', episodeRule);
    const [outing] = await extractFrom('I went to the shop.', episodeRule);
    expect(move?.significance).toBeGreaterThan(outing?.significance ?? 1);
    expect(move?.significance).toBeLessThanOrEqual(1);
  });

  it('names the partner in "my wife and I"', async () => {
    const [memory] = await extractFrom('My wife and I flew to Rome in 2019.', episodeRule);
    expect(memory?.participants).toEqual(['my wife']);
  });

  it('ignores present plans, questions and assistant turns', async () => {
    expect(await extractFrom('I want to go to Rome.', episodeRule)).toEqual([]);
    expect(await extractFrom('Did I book the hotel?', episodeRule)).toEqual([]);
    expect(
      await extractFrom('I went through your itinerary.', episodeRule, { role: 'assistant' }),
    ).toEqual([]);
  });
});
