import { describe, expect, it } from 'vitest';
import { emotionRule } from '../../../src/engine/extraction/index.js';
import { extractFrom, RECORDED_AT } from './user-turn.js';

describe('emotionRule', () => {
  it('reads a feeling and its cause, and lets it expire after a few days', async () => {
    const [memory] = await extractFrom(
      "Honestly I'm really frustrated with the airline's customer service.",
      emotionRule,
    );
    expect(memory).toMatchObject({
      memoryType: 'emotions',
      content: "Feels frustrated about the airline's customer service",
      metadata: { emotion: 'frustrated' },
      temporalCategory: 'temporal_fact',
    });
    expect(memory?.validUntil?.getTime()).toBeGreaterThan(RECORDED_AT.getTime());
  });

  it('reads a feeling without a cause', async () => {
    const memories = await extractFrom('I feel so excited!', emotionRule);
    expect(memories.map((memory) => memory.content)).toEqual(['Feels excited']);
  });

  it('keeps the reason given for a feeling as a fact that outlives the mood', async () => {
    const memories = await extractFrom(
      "I'm nervous about the audit because the bookkeeper quit in March.",
      emotionRule,
    );
    expect(memories.map((memory) => [memory.memoryType, memory.content])).toEqual([
      ['facts', 'The bookkeeper quit in March'],
      ['emotions', 'Feels nervous about the audit'],
    ]);
    expect(memories[0]?.validUntil ?? null).toBeNull();
    // "since Monday" dates the feeling: no reason.
    const dated = await extractFrom("I've been anxious since Monday.", emotionRule);
    expect(dated.map((memory) => memory.memoryType)).toEqual(['emotions']);
  });

  it('ignores negated feelings, questions and assistant turns', async () => {
    expect(await extractFrom("I'm not worried about it.", emotionRule)).toEqual([]);
    expect(await extractFrom('Am I being anxious?', emotionRule)).toEqual([]);
    expect(await extractFrom("I'm glad I could help!", emotionRule, { role: 'assistant' })).toEqual(
      [],
    );
  });
});
